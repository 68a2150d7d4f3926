from django import template

from comments.models import Comment

register = template.Library()


@register.simple_tag
def pending_comment_count() -> int:
    """Return how many comments wait for a moderator."""
    return Comment.objects.pending().count()
