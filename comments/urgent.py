"""Crisis comments that no moderator has handled: the reminders, and the banner before staff.

A comment with crisis language is handled when a moderator decides it (pending) or marks it
handled (published at once). Until then, every COMMENTS_URGENT_MINUTES after it was posted,
`follow_up()` mails every moderator again and logs the alert. `manage.py follow_up_urgent`
runs it; Celery beat runs it every minute (comments.tasks.follow_up_urgent), or cron calls the command.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from . import audit, notifications
from .models import Comment, ModerationEvent


def _cutoff(now=None):
    return (now or timezone.now()) - timedelta(minutes=settings.COMMENTS_URGENT_MINUTES)


def overdue(now=None):
    """Return the crisis comments left unhandled for longer than COMMENTS_URGENT_MINUTES."""
    return Comment.objects.urgent_unhandled().filter(created_at__lte=_cutoff(now))


def follow_up(now=None) -> list[Comment]:
    """Alert the moderators again about each overdue crisis comment not alerted in the last period; return them.

    Each alert is logged. Two runs at once alert once: on PostgreSQL the rows are claimed with
    SKIP LOCKED, and a run sees the alerts the other has committed.
    """
    now = now or timezone.now()
    last_alert = ModerationEvent.objects.filter(
        comment=OuterRef("pk"), action=ModerationEvent.Action.URGENT_ALERT,
    ).order_by("-created_at").values("created_at")[:1]
    minutes = settings.COMMENTS_URGENT_MINUTES
    with transaction.atomic():
        due = list(
            overdue(now).annotate(last_alert=Subquery(last_alert))
            .filter(Q(last_alert__isnull=True) | Q(last_alert__lte=_cutoff(now)))
            .select_for_update(skip_locked=True, of=("self",)).select_related("article").order_by("created_at")
        )
        for comment in due:
            waited = int((now - comment.created_at).total_seconds() // 60)
            audit.record(action=ModerationEvent.Action.URGENT_ALERT, comment=comment, at=now,
                         before=comment.status, after=comment.status,
                         note=f"Not handled after {waited} minutes (limit {minutes}): every moderator mailed again.")
            # Written to the outbox with its log entry: an alert is logged only if its mail will go.
            notifications.urgent_reminder(comment, now=now)
    return due
