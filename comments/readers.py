"""Rules about readers with an account: the names they may take, earned trust, who may post."""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone

from authors.models import Author
from healthsite import pagecache

from .models import Comment, Reader, is_verified, reader_of
from .text import fold, single_line

NAME_MIN, NAME_MAX = 2, 50
# Words a reader's name may not hold: they would pass for the site speaking (checked as whole words).
RESERVED_WORDS = {"moderator", "moderators", "moderation", "admin", "administrator", "staff", "healthyplace"}


def _key(name: str) -> str:
    """Return what two names share when they look the same: letters and digits, ASCII, no case."""
    return "".join(c for c in fold(name) if c.isalnum())


def _words(name: str) -> set[str]:
    return set(re.split(r"[^a-z0-9]+", fold(name))) - {""}


def _staff_names(exclude_user) -> set[str]:
    """Return the keys of every name staff and authors go by (their own excepted for `exclude_user`)."""
    User = get_user_model()
    names = set(Author.objects.values_list("display_name", flat=True))
    staff = User.objects.filter(is_staff=True).exclude(pk=getattr(exclude_user, "pk", None))
    for username, first, last in staff.values_list("username", "first_name", "last_name"):
        names |= {username, f"{first} {last}"}
    names |= set(Reader.objects.filter(user__is_staff=True).exclude(user=exclude_user)
                 .values_list("display_name", flat=True))
    return {_key(name) for name in names} - {""}


def clean_display_name(name: str, *, user=None) -> str:
    """Return the name on one line, or raise ValidationError if a reader may not take it.

    2 to 50 characters, with a letter or digit; not the name of an author or a staff member, and not a
    name that passes for the site ("Moderator", the site's name), whatever its case, spacing, accents
    or look-alike letters.
    """
    name = single_line(name or "")
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise ValidationError(f"Please choose a name of {NAME_MIN} to {NAME_MAX} characters.", code="name_length")
    key = _key(name)
    if not key:
        raise ValidationError("Please choose a name with letters or digits in it.", code="name_empty")
    site = _key(settings.SITE_NAME)
    if _words(name) & RESERVED_WORDS or (site and site in key) or "healthyplace" in key:
        raise ValidationError("That name belongs to the site and its moderators. Please choose another.",
                              code="name_reserved")
    if key in _staff_names(user):
        raise ValidationError("That is the name of one of our authors or staff. Please choose another.",
                              code="name_taken_by_staff")
    return name


def is_suspended(user) -> bool:
    reader = reader_of(user)
    return reader is not None and reader.suspended


def is_trusted(user) -> bool:
    """Return True if the user's comments are published at once: a verified reader who earned trust or was granted it.

    Earned: at least COMMENTS_TRUST_AFTER_APPROVED approved comments and no rejected one within the
    last COMMENTS_TRUST_WINDOW_DAYS, and no comment ever marked spam. A moderator's grant or revoke
    overrides the rule (marking a comment spam takes a grant back).
    """
    if not is_verified(user) or is_suspended(user):
        return False
    reader = reader_of(user)
    if reader is not None and reader.trust != Reader.Trust.EARNED:
        return reader.trust == Reader.Trust.GRANTED
    since = timezone.now() - timedelta(days=settings.COMMENTS_TRUST_WINDOW_DAYS)
    recent = Q(created_at__gte=since)
    found = Comment.objects.filter(user=user).aggregate(
        approved=Count("pk", filter=recent & Q(status=Comment.Status.APPROVED)),
        rejected=Count("pk", filter=recent & Q(status=Comment.Status.REJECTED)),
        spam=Count("pk", filter=Q(status=Comment.Status.SPAM)),
    )
    return found["approved"] >= settings.COMMENTS_TRUST_AFTER_APPROVED and not found["rejected"] and not found["spam"]


def posting_refusal(user) -> str | None:
    """Return why this reader may not post a comment now ("login", "confirm", "suspended"), or None if they may."""
    if user is not None and user.is_authenticated:
        if is_suspended(user):
            return "suspended"
        if not settings.COMMENTS_ALLOW_ANONYMOUS and not is_verified(user):
            return "confirm"
        return None
    return None if settings.COMMENTS_ALLOW_ANONYMOUS else "login"


REFUSALS = {
    "login": "Please log in or sign up to comment: comments from readers without an account are turned off. "
             "Your text is kept below.",
    "confirm": "Please confirm your email address (see the mail we sent you) before commenting. "
               "Your text is kept below.",
    "suspended": "Your account is suspended, so you cannot post comments. Your text is kept below.",
}


def update_profile(*, user, display_name: str, notify_replies: bool) -> Reader:
    """Save the reader's name (checked as at sign-up) and reply-mail preference, which applies to all their comments."""
    reader = reader_of(user) or Reader(user=user)
    name = clean_display_name(display_name, user=user)
    changed = [field for field, value in (("display_name", name), ("notify_replies", notify_replies))
               if getattr(reader, field) != value]
    reader.display_name, reader.notify_replies = name, notify_replies
    if reader.pk is None:
        reader.save()
    elif changed:
        reader.save(update_fields=changed)  # a new name replaces the cached pages of the reader's comments
    mail = list(Comment.objects.filter(user=user).exclude(notify_replies=notify_replies)
                .select_related("article__blog"))
    Comment.objects.filter(pk__in=[c.pk for c in mail]).update(notify_replies=notify_replies)
    for comment in {c.article_id: c for c in mail}.values():
        pagecache.changed(comment)
    user._comments_reader = reader
    return reader
