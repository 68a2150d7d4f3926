"""Email about comments, written to the outbox in the comment's transaction and sent by a job (healthsite/outbox.py).

Mail never blocks or breaks posting, and is never lost: a failed send is logged and tried again.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache
from django.db.models import Q
from django.urls import reverse

from healthsite import outbox

from .models import Comment
from .text import quoted, single_line

_UNSUBSCRIBE_SALT = "comments.unsubscribe"


def _send(*, subject: str, body: str, to: list[str], headers: dict | None = None) -> None:
    # A line break in a title would fail every mail with BadHeaderError.
    outbox.add(subject=single_line(subject), body=body, to=to, headers=headers)


def unsubscribe_token(email: str) -> str:
    return signing.dumps(email.lower(), salt=_UNSUBSCRIBE_SALT)


def email_from_token(token: str) -> str | None:
    """Return the address a signed unsubscribe token stands for, or None if it was tampered with.

    Raise signing.SignatureExpired when the token is older than COMMENTS_UNSUBSCRIBE_MAX_AGE.
    """
    try:
        return signing.loads(token, salt=_UNSUBSCRIBE_SALT, max_age=settings.COMMENTS_UNSUBSCRIBE_MAX_AGE)
    except signing.SignatureExpired:
        raise
    except signing.BadSignature:
        return None


def unsubscribe_url(email: str) -> str:
    return settings.SITE_URL + reverse("comments:unsubscribe", kwargs={"token": unsubscribe_token(email)})


def moderators_emails() -> list[str]:
    """Return the addresses of everyone who may moderate (kept a minute in the cache)."""
    return cache.get_or_set("comments:moderators-emails", _moderators_emails, 60)


def _moderators_emails() -> list[str]:
    User = get_user_model()
    holders = User.objects.filter(
        Q(is_superuser=True)
        | Q(groups__permissions__codename="moderate_comment")
        | Q(user_permissions__codename="moderate_comment"),
        is_active=True,
    ).exclude(email="")
    return sorted(set(holders.values_list("email", flat=True)))


def _poster(comment: Comment) -> str:
    return f"“{single_line(comment.poster_name)}”"


def new_pending(comment: Comment, *, reported: bool = False) -> None:
    """Tell the moderators a comment waits for them; crisis language goes in the subject.

    `reported`: readers' reports have just hidden the comment, which was published.
    """
    title = single_line(comment.article.title)
    prefix = "[URGENT: crisis language] " if comment.urgent else ""
    what = "Comment hidden after reports" if reported else "Comment awaiting moderation"
    why = ("Readers reported this published comment; it is hidden until a moderator decides.\n\n"
           if reported else "")
    body = (
        f"A comment on “{title}” is waiting for moderation.\n\n{why}"
        f"From: {_poster(comment)} <{comment.email}>\n\n{quoted(comment.body)}\n\n"
        f"Moderation queue: {settings.SITE_URL}{reverse('comments:moderation')}\n"
    )
    _send(subject=f"{prefix}{what}: {title}", body=body, to=moderators_emails())


def urgent_reminder(comment: Comment, *, now) -> None:
    """Tell every moderator again that a comment with crisis language is still waiting for one of them."""
    title = single_line(comment.article.title)
    minutes = int((now - comment.created_at).total_seconds() // 60)
    state = ("It is published and nobody has marked it handled." if comment.status == Comment.Status.APPROVED
             else "Nobody has decided it yet.")
    body = (
        f"A comment with crisis language on “{title}” has waited {minutes} minutes for a moderator. {state}\n\n"
        f"From: {_poster(comment)} <{comment.email}>\n\n{quoted(comment.body)}\n\n"
        f"Moderation queue: {settings.SITE_URL}{reverse('comments:moderation')}#urgent\n"
    )
    _send(subject=f"[URGENT: still waiting, {minutes} min] Crisis language: {title}", body=body,
          to=moderators_emails())


def approved(comment: Comment) -> None:
    """Tell the parent's poster about a published reply (if they asked) and the authors about a comment."""
    article = comment.article
    title = single_line(article.title)
    parent = comment.parent
    if (parent is not None and parent.notify_replies and parent.email
            and parent.email.lower() != (comment.email or "").lower()):
        link = unsubscribe_url(parent.email)
        _send(
            subject=f"New reply to your comment on “{title}”",
            body=(
                f"{_poster(comment)} replied to your comment:\n\n{quoted(comment.body)}\n\n"
                f"Read it: {settings.SITE_URL}{comment.get_absolute_url()}\n\n"
                f"Stop these emails with one click: {link}\n"
            ),
            to=[parent.email],
            headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        )
    for author in article.credited_authors():
        user = author.user
        if author.notify_on_comments and user is not None and user.email and user.pk != comment.user_id:
            _send(
                subject=f"New comment on “{title}”",
                body=(f"{_poster(comment)} commented:\n\n{quoted(comment.body)}\n\n"
                      f"Read it: {settings.SITE_URL}{comment.get_absolute_url()}\n"),
                to=[user.email],
            )
