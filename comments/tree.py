"""Read the comment tree of an article as nested threads, in one query."""

from django.db.models import Q

from .models import Comment

SESSION_KEY = "comments_own_pending"


def visible_threads(*, article, own_pending_ids=()) -> list[Comment]:
    """Return the article's top-level comments, newest first, each with `.replies` nested, oldest first.

    Approved comments are shown, plus the viewer's own pending ones. A comment whose parent is
    not shown is hidden with it, so no reply floats up as a top-level comment.
    """
    visible = Q(status=Comment.Status.APPROVED)
    if own_pending_ids:
        visible |= Q(status=Comment.Status.PENDING, pk__in=list(own_pending_ids))
    nodes = (
        Comment.objects.filter(visible, article=article)
        .order_by("tree_id", "lft")
        .only("id", "parent_id", "user_id", "name", "body_html", "status", "created_at", "level", "tree_id", "lft")
    )
    shown: dict[int, Comment] = {}
    roots = []
    for comment in nodes:  # tree order: a parent always comes before its replies
        comment.replies = []
        if comment.parent_id is None:
            roots.append(comment)
        elif comment.parent_id in shown:
            comment.reply_to = shown[comment.parent_id]
            comment.reply_to.replies.append(comment)
        else:
            continue
        shown[comment.pk] = comment
    roots.sort(key=lambda c: (c.created_at, c.pk), reverse=True)
    return roots


def own_pending_ids(session) -> list[int]:
    """Return the ids of the pending comments this browser session posted."""
    return session.get(SESSION_KEY, [])


def remember_own_pending(session, comment: Comment) -> None:
    """Let this browser session see its own comment while it awaits moderation."""
    session[SESSION_KEY] = (own_pending_ids(session) + [comment.pk])[-50:]
