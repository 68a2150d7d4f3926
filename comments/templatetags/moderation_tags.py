from django import template
from django.conf import settings

from comments import dosing, numbers, urgent
from comments.models import Comment

register = template.Library()


@register.simple_tag
def pending_comment_count() -> int:
    """Return how many comments wait for a moderator."""
    return Comment.objects.pending().count()


@register.inclusion_tag("moderation/_urgent_banner.html", takes_context=True)
def urgent_banner(context) -> dict:
    """Warn every staff member while a crisis comment waits past COMMENTS_URGENT_MINUTES (one query)."""
    user = context.get("user") or getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return {"overdue": 0}
    return {
        "overdue": urgent.overdue().count(),
        "minutes": settings.COMMENTS_URGENT_MINUTES,
        "can_moderate": user.has_perm("comments.moderate_comment"),
    }


@register.inclusion_tag("moderation/_nav.html")
def desk_nav(current: str) -> dict:
    """Draw the moderation pages' tabs with their counts (two queries)."""
    return {
        "current": current,
        "pending": Comment.objects.pending().count(),
        "reported": Comment.objects.reported().count(),
    }


@register.filter
def duration(seconds) -> str:
    """Show seconds as '12 min', '3 h 5 min'."""
    return numbers.duration(seconds)


@register.filter
def dosing_marked(text: str):
    """Show a comment's text with its dosing advice marked (escaped, then marked)."""
    return dosing.highlighted(text)
