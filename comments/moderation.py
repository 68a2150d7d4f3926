"""The life of a comment: submission, moderation, reports, edits and removal."""

import ipaddress
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from healthsite import pagecache, sanitize

from . import crisis, notifications, readers
from .models import Comment, Reader, Report, display_name, is_verified
from .text import fingerprint

logger = logging.getLogger(__name__)

# Any fixed 64-bit number; every process that writes the comment tree takes this lock.
_TREE_LOCK_KEY = 0x6865616C7468
_ATTEMPTS = 5
# Set in the poster's session when their comment used crisis language: the next page shows help.
CRISIS_SESSION_KEY = "comments_show_crisis"
# How much one report counts towards COMMENTS_REPORT_WEIGHT_TO_HIDE, by who sends it.
REPORT_WEIGHT_ANONYMOUS = 1
REPORT_WEIGHT_READER = 2
REPORT_WEIGHT_STAFF = 3


def is_open(article) -> bool:
    """Return True if the article takes comments: open, and not past the automatic closing age."""
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    if not article.comments_enabled:
        return False
    return not days or timezone.now() < article.published_at + timezone.timedelta(days=days)


def _lock_tree() -> None:
    """Serialize writes to the comment tree inside the current transaction.

    django-mptt does no locking of its own and gives a new root max(tree_id) + 1, so two
    concurrent posts could share a tree id (django-mptt issues #236 and #555). SQLite
    serializes writers itself.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_TREE_LOCK_KEY])


def can_post_without_approval(user) -> bool:
    return user is not None and user.is_authenticated and user.has_perm("comments.post_without_approval")


def initial_status(*, comment: Comment, user) -> str:
    """Return the status a new or edited comment gets, by who posts it and what it holds.

    Staff who may post without approval, and verified readers who earned trust or were granted it
    (comments/readers.py), are published at once, unless the comment has too many links.
    """
    links = sanitize.count_links(sanitize.comment_html(comment.body))
    if links > settings.COMMENTS_MAX_LINKS_WITHOUT_APPROVAL:
        return Comment.Status.PENDING
    if can_post_without_approval(user) or readers.is_trusted(user):
        return Comment.Status.APPROVED
    return Comment.Status.PENDING


def attach_within_depth(parent: Comment | None) -> Comment | None:
    """Return the parent a reply attaches to: past the maximum depth, the deepest allowed ancestor."""
    max_level = settings.COMMENTS_MAX_DEPTH - 1  # level 0 is a top-level comment
    while parent is not None and parent.level >= max_level:
        parent = parent.parent
    return parent


def _refuse_duplicate(comment: Comment) -> None:
    """Raise ValidationError if the article took the same words within COMMENTS_DUPLICATE_WINDOW."""
    since = timezone.now() - timedelta(seconds=settings.COMMENTS_DUPLICATE_WINDOW)
    recent = Comment.objects.filter(article_id=comment.article_id, created_at__gte=since).values_list("body", flat=True)
    words = fingerprint(comment.body)
    if any(fingerprint(body) == words for body in recent):
        raise ValidationError("This comment has just been posted on this article already.", code="duplicate")


def _save_in_tree(comment: Comment) -> None:
    """Insert the comment into the tree under the lock, retrying what the database aborts.

    Raise ValidationError (code "duplicate") if the same words just came in: checked under the
    lock, so of parallel identical posts exactly one is stored.
    """
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            # On SQLite the transaction begins IMMEDIATE (settings): it holds the write lock from here.
            with transaction.atomic():
                _lock_tree()
                _refuse_duplicate(comment)
                # django-mptt reads the parent's lft/rght again itself, now under the lock.
                comment.save()
            return
        except OperationalError:  # "database is locked", deadlock, serialization failure
            if attempt == _ATTEMPTS or connection.in_atomic_block:
                raise
            logger.warning("Comment insert aborted by the database; retrying (attempt %s)", attempt)
            comment.pk = None
            time.sleep(0.05 * 2**attempt)


def submit(*, comment: Comment, user) -> Comment:
    """Store a new comment with the status its poster earns, and tell whom it concerns.

    Raise ValidationError (code "duplicate") if the article has just taken the same words, or
    (code "suspended") if the poster's account is suspended.
    """
    if readers.is_suspended(user):
        raise ValidationError(readers.REFUSALS["suspended"], code="suspended")
    if user is not None and user.is_authenticated:
        comment.user = user
    comment.status = initial_status(comment=comment, user=user)
    comment.urgent = crisis.is_crisis(comment.body)
    comment.parent = attach_within_depth(comment.parent)
    _save_in_tree(comment)
    if comment.status == Comment.Status.PENDING:
        notifications.new_pending(comment)
    else:
        notifications.approved(comment)
    return comment


def _set_status(comment: Comment, status: str, *, only_from: str | None = None) -> bool:
    """Change a comment's status without touching the tree; return True if it changed."""
    rows = Comment.objects.filter(pk=comment.pk).exclude(status=status)
    if only_from is not None:
        rows = rows.filter(status=only_from)
    changed = rows.update(status=status)
    comment.status = status
    if changed:
        pagecache.changed(comment)
    return bool(changed)


def _decided(comment: Comment, by) -> None:
    """Record that a moderator has handled a crisis comment by deciding it (it leaves the urgent list)."""
    if comment.urgent and comment.urgent_handled_at is None:
        comment.urgent_handled_at, comment.urgent_handled_by = timezone.now(), by
        Comment.objects.filter(pk=comment.pk).update(urgent_handled_at=comment.urgent_handled_at,
                                                     urgent_handled_by=by)
        pagecache.changed(comment)


def approve(*, comment: Comment, by) -> None:
    # A moderator has read the comment: the reports that came before no longer count.
    comment.reports.filter(dismissed=False).update(dismissed=True)
    _decided(comment, by)
    if _set_status(comment, Comment.Status.APPROVED):
        notifications.approved(comment)


def reject(*, comment: Comment, by) -> None:
    _decided(comment, by)
    _set_status(comment, Comment.Status.REJECTED)


def mark_spam(*, comment: Comment, by) -> None:
    """Mark the comment spam; a poster a moderator had granted trust loses it (one spam mark removes trust)."""
    _decided(comment, by)
    _set_status(comment, Comment.Status.SPAM)
    if comment.user_id and Reader.objects.filter(user_id=comment.user_id, trust=Reader.Trust.GRANTED).exists():
        reset_trust(user=comment.user, by=by)


def mark_handled(*, comment: Comment, by) -> None:
    """Take a published crisis comment out of the urgent list: a moderator has seen to it."""
    _decided(comment, by)


def report_weight(user) -> int:
    """Return how much a report from this user counts: staff more than verified readers, they more than cookies.

    An account whose email address is not confirmed reports as an anonymous browser does.
    """
    if user is None or not user.is_authenticated:
        return REPORT_WEIGHT_ANONYMOUS
    if user.is_staff:
        return REPORT_WEIGHT_STAFF
    return REPORT_WEIGHT_READER if is_verified(user) else REPORT_WEIGHT_ANONYMOUS


def _address(ip: str | None) -> str:
    """Return the address a report counts under: an IPv6 address's /64, which one household holds."""
    if not ip:
        return ""
    address = ipaddress.ip_address(ip)
    address = getattr(address, "ipv4_mapped", None) or address
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def reports_hide(comment: Comment) -> bool:
    """Return True if the comment's standing reports weigh enough to send it back to moderation.

    Reports from verified readers and staff add their weight; the others (anonymous browsers,
    accounts whose address is not confirmed) count once per address (their heaviest), and those from
    a single address never hide a comment, whatever the setting.
    """
    signed_in, by_address = 0, {}
    for user_id, ip, weight in comment.reports.filter(dismissed=False).values_list("user_id", "ip_address", "weight"):
        if user_id is not None and weight > REPORT_WEIGHT_ANONYMOUS:
            signed_in += weight
        else:
            by_address[_address(ip)] = max(weight, by_address.get(_address(ip), 0))
    if not signed_in and len(by_address) < 2:
        return False
    return signed_in + sum(by_address.values()) >= settings.COMMENTS_REPORT_WEIGHT_TO_HIDE


def report(*, comment: Comment, user, session_key: str, ip_address: str | None = None) -> bool:
    """Record a reader's report; with enough weight, send the comment back to moderation.

    The moderators are mailed once, by the report that hides the comment. Return False if this
    reader had reported the comment already.
    """
    authenticated = user is not None and user.is_authenticated
    try:
        with transaction.atomic():
            Report.objects.create(comment=comment, user=user if authenticated else None,
                                  session_key="" if authenticated else session_key,
                                  ip_address=ip_address, weight=report_weight(user))
    except IntegrityError:
        return False
    if comment.is_approved and reports_hide(comment):
        if _set_status(comment, Comment.Status.PENDING, only_from=Comment.Status.APPROVED):
            notifications.new_pending(comment, reported=True)
    return True


def can_edit(*, comment: Comment, user) -> bool:
    """Return True if the user may still edit the comment: theirs, recent, without replies."""
    return (
        user is not None and user.is_authenticated and comment.user_id == user.pk and not comment.is_removed
        and (timezone.now() - comment.created_at).total_seconds() <= settings.COMMENTS_EDIT_WINDOW
        and comment.is_leaf_node()
    )


def edit(*, comment: Comment, user, body: str) -> None:
    """Replace the body; only a post-without-approval user's approved comment stays approved."""
    comment.body = body
    comment.edited_at = timezone.now()
    was_approved = comment.is_approved
    if not comment.urgent and crisis.is_crisis(body):
        comment.urgent, comment.urgent_handled_at, comment.urgent_handled_by = True, None, None
    if not (was_approved and initial_status(comment=comment, user=user) == Comment.Status.APPROVED):
        comment.status = Comment.Status.PENDING
    comment.save(update_fields=["body", "body_html", "edited_at", "status", "urgent", "urgent_handled_at",
                                "urgent_handled_by"])
    if comment.status == Comment.Status.PENDING:
        notifications.new_pending(comment)


def remove(*, comment: Comment, user) -> None:
    """Soft-delete a poster's own comment: the tree keeps its place for any replies."""
    comment.is_removed = True
    comment.save(update_fields=["is_removed"])


# Moderators' acts on readers' accounts. Each records who and when on the reader.

def _reader(user) -> Reader:
    if user.is_staff:
        raise ValidationError("Staff accounts are managed in the admin, not by trust or suspension.", code="staff")
    reader = Reader.objects.filter(user=user).first()
    if reader is None:  # an account made before reader profiles, or in the admin
        reader = Reader.objects.create(user=user, display_name=display_name(user)[:50].ljust(2, "."))
    return reader


def _record(user, **changes) -> Reader:
    """Change the reader's trust or suspension, recording the moderator and the time beside it."""
    reader = _reader(user)
    for field, value in changes.items():
        setattr(reader, field, value)
    reader.save(update_fields=list(changes))
    user._comments_reader = reader
    return reader


def grant_trust(*, user, by) -> Reader:
    """Publish the reader's comments at once from now on, whatever the rule says (links still wait)."""
    return _record(user, trust=Reader.Trust.GRANTED, trust_changed_by=by, trust_changed_at=timezone.now())


def revoke_trust(*, user, by) -> Reader:
    """Hold every comment of the reader for moderation from now on, whatever the rule says."""
    return _record(user, trust=Reader.Trust.REVOKED, trust_changed_by=by, trust_changed_at=timezone.now())


def reset_trust(*, user, by) -> Reader:
    """Let the rule decide the reader's trust again (COMMENTS_TRUST_AFTER_APPROVED in the window)."""
    return _record(user, trust=Reader.Trust.EARNED, trust_changed_by=by, trust_changed_at=timezone.now())


def suspend(*, user, by) -> Reader:
    """Stop the reader from posting, replying, editing and reporting; they can still log in and read."""
    return _record(user, suspended=True, suspension_changed_by=by, suspension_changed_at=timezone.now())


def unsuspend(*, user, by) -> Reader:
    """Let a suspended reader post again."""
    return _record(user, suspended=False, suspension_changed_by=by, suspension_changed_at=timezone.now())
