"""What a moderator sees beside each comment of the queue, for a whole page in a constant number of queries.

The parent comment and the article come with the page (select_related); the standing reports
and the comment's log entries with one query each (prefetch_related); the poster's history
with one grouped query for the whole page.
"""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import Lower

from .models import Comment, ModerationEvent, Report

_DECIDED = [Comment.Status.APPROVED, Comment.Status.REJECTED, Comment.Status.SPAM]


@dataclass
class History:
    """A poster's decided comments: those of the same account, the same email address or the same IP address."""

    approved: int = 0
    rejected: int = 0
    spam: int = 0

    @property
    def total(self) -> int:
        return self.approved + self.rejected + self.spam


def with_context(comments):
    """Return the queryset with what each item of a moderation page shows, fetched per page, not per comment."""
    return comments.with_posters().select_related("article__blog", "user__reader").prefetch_related(
        Prefetch("parent", queryset=Comment.objects.with_posters()),
        Prefetch("reports", queryset=Report.objects.filter(dismissed=False).order_by("created_at"),
                 to_attr="standing_reports"),
        Prefetch("moderation_events", queryset=ModerationEvent.objects.order_by("created_at", "pk"),
                 to_attr="log_entries"),
    )


def add_histories(comments) -> None:
    """Set `.history` on each comment: the decided comments of the same account, email or IP (one query)."""
    comments = list(comments)
    users = {c.user_id for c in comments if c.user_id}
    emails = {c.email.lower() for c in comments if c.email}
    ips = {c.ip_address for c in comments if c.ip_address}
    same = Q(pk__in=[])
    if users:
        same |= Q(user_id__in=users)
    if emails:
        same |= Q(email_lower__in=emails)
    if ips:
        same |= Q(ip_address__in=ips)
    rows = []
    if users or emails or ips:
        rows = list(
            Comment.objects.annotate(email_lower=Lower("email")).filter(same, status__in=_DECIDED)
            .values_list("user_id", "email_lower", "ip_address", "status").annotate(n=Count("pk")).order_by()
        )
    for comment in comments:
        history = History()
        email = comment.email.lower() if comment.email else None
        for user_id, row_email, ip, status, n in rows:
            if ((comment.user_id and user_id == comment.user_id) or (email and row_email == email)
                    or (comment.ip_address and ip == comment.ip_address)):
                setattr(history, status, getattr(history, status) + n)
        comment.history = history


def reason_counts(reports) -> list[tuple[str, int]]:
    """Return [(reason label, how many)] of a comment's reports, most frequent first."""
    counts: dict[str, int] = {}
    for report in reports:
        label = report.get_reason_display()
        counts[label] = counts.get(label, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
