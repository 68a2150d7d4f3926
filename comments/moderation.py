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

from . import audit, crisis, dosing, notifications, readers, rules
from .models import Comment, ModerationEvent, Reader, Report, display_name, is_verified
from .text import fingerprint

Action = ModerationEvent.Action

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


def _save_in_tree(comment: Comment, *, then=None) -> None:
    """Insert the comment into the tree under the lock, retrying what the database aborts.

    Raise ValidationError (code "duplicate") if the same words just came in: checked under the
    lock, so of parallel identical posts exactly one is stored. `then(comment)` runs in the same
    transaction, so what it writes (its log entries, the mail to send) is stored with the comment
    or not at all.
    """
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            # On SQLite the transaction begins IMMEDIATE (settings): it holds the write lock from here.
            with transaction.atomic():
                _lock_tree()
                _refuse_duplicate(comment)
                # django-mptt reads the parent's lft/rght again itself, now under the lock.
                comment.save()
                if then is not None:
                    then(comment)
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
    log = apply_desk_rules(comment)

    def then(saved: Comment) -> None:
        if log is not None:
            log()
        _tell_of_new(saved)

    _save_in_tree(comment, then=then)
    return comment


def _tell_of_new(comment: Comment) -> None:
    if comment.status == Comment.Status.PENDING:
        notifications.new_pending(comment)
    elif comment.status == Comment.Status.APPROVED:
        notifications.approved(comment)


def apply_desk_rules(comment: Comment):
    """Flag dosing advice and apply the blocklist and hold list to a new or edited comment.

    Set `dosing` and, where a rule says so, the status: spam for the blocklist, pending for the
    hold list and for dosing advice (COMMENTS_DOSING_HOLD), whoever posts. Crisis language is
    never sent to spam unread: a blocklisted crisis comment is held instead. Return a function
    that records why in the moderation log, to run once the comment is saved.
    """
    comment.dosing = dosing.gives_doses(comment.body)
    verdict = rules.check(comment)
    reasons = []
    if verdict.spam is not None and not comment.urgent:
        before, comment.status = comment.status, Comment.Status.SPAM
        entry = {"action": Action.BLOCKED, "before": before, "after": comment.status, "note": str(verdict.spam)}
    else:
        if verdict.spam is not None:
            reasons.append(f"{verdict.spam} (crisis language: held for a person to read)")
        if verdict.hold is not None:
            reasons.append(str(verdict.hold))
        if comment.dosing and settings.COMMENTS_DOSING_HOLD:
            reasons.append("Dosing advice")
        if not reasons:
            return None
        before, comment.status = comment.status, Comment.Status.PENDING
        entry = {"action": Action.HELD, "before": before, "after": comment.status, "note": "; ".join(reasons)}
    return lambda: audit.record(comment=comment, **entry)


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


def _decide(comment: Comment, status: str, *, by, action: str, note: str = "") -> bool:
    """Give the comment a moderator's decision and log it; deciding a crisis comment handles it.

    Return True if the status changed (deciding again what is decided already logs nothing).
    """
    with transaction.atomic():
        before = Comment.objects.filter(pk=comment.pk).values_list("status", flat=True).first() or comment.status
        changed = _set_status(comment, status)
        if changed:
            audit.record(action=action, by=by, comment=comment, before=before, after=status, note=note)
            _handle_urgent(comment, by)
    return changed


def _handle_urgent(comment: Comment, by) -> bool:
    """Mark a crisis comment handled (once), by whom; return True if this did it."""
    if not comment.urgent or comment.urgent_handled_at is not None:
        return False
    comment.urgent_handled_at, comment.urgent_handled_by = timezone.now(), by
    handled = bool(Comment.objects.filter(pk=comment.pk, urgent_handled_at__isnull=True)
                   .update(urgent_handled_at=comment.urgent_handled_at, urgent_handled_by=by))
    if handled:
        pagecache.changed(comment)  # it leaves the urgent list, and its marks on the page
    return handled


@transaction.atomic
def approve(*, comment: Comment, by, note: str = "") -> None:
    # A moderator has read the comment: the reports that came before no longer count.
    comment.reports.filter(dismissed=False).update(dismissed=True)
    if _decide(comment, Comment.Status.APPROVED, by=by, action=Action.APPROVE, note=note):
        notifications.approved(comment)


def reject(*, comment: Comment, by, note: str = "") -> None:
    _decide(comment, Comment.Status.REJECTED, by=by, action=Action.REJECT, note=note)


def mark_spam(*, comment: Comment, by, note: str = "") -> None:
    """Mark the comment spam; a poster a moderator had granted trust loses it (one spam mark removes trust)."""
    _decide(comment, Comment.Status.SPAM, by=by, action=Action.SPAM, note=note)
    if comment.user_id and Reader.objects.filter(user_id=comment.user_id, trust=Reader.Trust.GRANTED).exists():
        reset_trust(user=comment.user, by=by, note=f"Comment {comment.pk} marked as spam: trust back to the rule")


def mark_handled(*, comment: Comment, by, note: str = "") -> bool:
    """Record that a moderator has seen to a published crisis comment; return False if it was handled already."""
    with transaction.atomic():
        if not _handle_urgent(comment, by):
            return False
        audit.record(action=Action.URGENT_HANDLED, by=by, comment=comment, before=comment.status,
                     after=comment.status, note=note)
    return True


def _set_removed(comment: Comment, removed: bool, *, by, note: str) -> bool:
    with transaction.atomic():
        if not Comment.objects.filter(pk=comment.pk, is_removed=not removed).update(is_removed=removed):
            return False
        comment.is_removed = removed
        pagecache.changed(comment)
        states = (comment.status, "removed") if removed else ("removed", comment.status)
        audit.record(action=Action.REMOVE if removed else Action.RESTORE, by=by, comment=comment,
                     before=states[0], after=states[1], note=note)
    return True


def take_down(*, comment: Comment, by, note: str = "") -> bool:
    """Remove a comment as a moderator (it stays as a placeholder above approved replies); log it."""
    return _set_removed(comment, True, by=by, note=note)


def restore(*, comment: Comment, by, note: str = "") -> bool:
    """Bring back a removed comment; log it."""
    return _set_removed(comment, False, by=by, note=note)


def dismiss_reports(*, comment: Comment, by, note: str = "") -> int:
    """Let a published comment stand: its reports stop counting. Return how many were dismissed."""
    with transaction.atomic():
        dismissed = comment.reports.filter(dismissed=False).update(dismissed=True)
        if dismissed:
            audit.record(action=Action.REPORTS_DISMISSED, by=by, comment=comment, before=comment.status,
                         after=comment.status, note=note or f"{dismissed} report{'s' if dismissed != 1 else ''}")
    return dismissed


def staff_edit(*, comment: Comment, by, changed: list[str], note: str = "") -> None:
    """Save a staff member's changes to a comment (its words, name or email) and log which fields changed."""
    with transaction.atomic():
        comment.save()
        if changed:
            audit.record(action=Action.EDIT, by=by, comment=comment, before=comment.status, after=comment.status,
                         note=note or "Changed: " + ", ".join(changed))


def reply(*, parent: Comment, by, body: str) -> Comment:
    """Publish a moderator's reply at once, with the Moderator badge; a pending parent is approved with it.

    Raise ValidationError (code "parent_not_open") if the parent was rejected, marked as spam or
    removed, and (code "duplicate") if the same words were just posted.
    """
    if parent.is_removed or parent.status in (Comment.Status.REJECTED, Comment.Status.SPAM):
        raise ValidationError("This comment was rejected, marked as spam or removed, so it cannot take a reply.",
                              code="parent_not_open")
    comment = Comment(
        article=parent.article, parent=attach_within_depth(parent), user=by, name=audit.person_name(by)[:80],
        email=by.email, body=body, status=Comment.Status.APPROVED, posted_as_moderator=True,
    )
    with transaction.atomic():
        if parent.status != Comment.Status.APPROVED:
            approve(comment=parent, by=by, note="Approved with a moderator's reply")
        _save_in_tree(comment, then=lambda saved: audit.record(
            action=Action.REPLY, by=by, comment=saved, after=saved.status, note=f"In reply to comment {parent.pk}"))
        notifications.approved(comment)  # written to the outbox with the reply
    return comment


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


def report(*, comment: Comment, user, session_key: str, ip_address: str | None = None,
           reason: str = Report.Reason.OTHER, details: str = "") -> bool:
    """Record a reader's report; with enough weight, send the comment back to moderation.

    The moderators are mailed once, by the report that hides the comment. Return False if this
    reader had reported the comment already.
    """
    authenticated = user is not None and user.is_authenticated
    try:
        with transaction.atomic():
            Report.objects.create(comment=comment, user=user if authenticated else None,
                                  session_key="" if authenticated else session_key,
                                  ip_address=ip_address, weight=report_weight(user), reason=reason,
                                  details=details)
    except IntegrityError:
        return False
    with transaction.atomic():
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


@transaction.atomic
def edit(*, comment: Comment, user, body: str) -> None:
    """Replace the body; only a post-without-approval user's approved comment stays approved."""
    comment.body = body
    comment.edited_at = timezone.now()
    was_approved = comment.is_approved
    if not comment.urgent and crisis.is_crisis(body):
        comment.urgent, comment.urgent_handled_at, comment.urgent_handled_by = True, None, None
    if not (was_approved and initial_status(comment=comment, user=user) == Comment.Status.APPROVED):
        comment.status = Comment.Status.PENDING
    log = apply_desk_rules(comment)
    with transaction.atomic():
        comment.save(update_fields=["body", "body_html", "edited_at", "status", "urgent", "dosing",
                                    "urgent_handled_at", "urgent_handled_by"])
        if log is not None:
            log()
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


def _record(user, *, by, action: str, note: str = "", **changes) -> Reader:
    """Change the reader's trust or suspension, recording the moderator and the time beside it and in the log."""
    reader = _reader(user)
    field = "trust" if "trust" in changes else "suspended"
    before = _state(reader, field)
    with transaction.atomic():
        for name, value in changes.items():
            setattr(reader, name, value)
        reader.save(update_fields=list(changes))
        audit.record(action=action, by=by, user=user, before=before, after=_state(reader, field), note=note)
    user._comments_reader = reader
    return reader


def _state(reader: Reader, field: str) -> str:
    if field == "trust":
        return reader.trust
    return "suspended" if reader.suspended else "active"


def grant_trust(*, user, by, note: str = "") -> Reader:
    """Publish the reader's comments at once from now on, whatever the rule says (links still wait)."""
    return _record(user, by=by, action=Action.TRUST_GRANTED, note=note,
                   trust=Reader.Trust.GRANTED, trust_changed_by=by, trust_changed_at=timezone.now())


def revoke_trust(*, user, by, note: str = "") -> Reader:
    """Hold every comment of the reader for moderation from now on, whatever the rule says."""
    return _record(user, by=by, action=Action.TRUST_REVOKED, note=note,
                   trust=Reader.Trust.REVOKED, trust_changed_by=by, trust_changed_at=timezone.now())


def reset_trust(*, user, by, note: str = "") -> Reader:
    """Let the rule decide the reader's trust again (COMMENTS_TRUST_AFTER_APPROVED in the window)."""
    return _record(user, by=by, action=Action.TRUST_RESET, note=note,
                   trust=Reader.Trust.EARNED, trust_changed_by=by, trust_changed_at=timezone.now())


def suspend(*, user, by, note: str = "") -> Reader:
    """Stop the reader from posting, replying, editing and reporting; they can still log in and read."""
    return _record(user, by=by, action=Action.READER_SUSPENDED, note=note,
                   suspended=True, suspension_changed_by=by, suspension_changed_at=timezone.now())


def unsuspend(*, user, by, note: str = "") -> Reader:
    """Let a suspended reader post again."""
    return _record(user, by=by, action=Action.READER_REINSTATED, note=note,
                   suspended=False, suspension_changed_by=by, suspension_changed_at=timezone.now())
