"""The life of a comment: submission, approval, rejection."""

from django.conf import settings
from django.db import connection, transaction

from articles import sanitize

from .models import Comment

# Any fixed 64-bit number; every process that writes the comment tree takes this lock.
_TREE_LOCK_KEY = 0x6865616C7468


def _lock_tree() -> None:
    """Serialize writes to the comment tree inside the current transaction.

    django-mptt does no locking of its own and gives a new root max(tree_id) + 1, so two
    concurrent posts could share a tree id (django-mptt issues #236 and #555).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_TREE_LOCK_KEY])


def initial_status(*, comment: Comment, user) -> str:
    """Return the status a new comment starts with, by who posts it and what it holds."""
    trusted = user is not None and user.is_authenticated and user.has_perm("comments.post_without_approval")
    if trusted and sanitize.count_links(sanitize.comment_html(comment.body)) <= 2:
        return Comment.Status.APPROVED
    return Comment.Status.PENDING


def attach_within_depth(*, comment: Comment) -> None:
    """Past the maximum depth, attach a reply to the deepest allowed ancestor."""
    parent = comment.parent
    max_level = settings.COMMENTS_MAX_DEPTH - 1  # level 0 is a top-level comment
    while parent is not None and parent.level >= max_level:
        parent = parent.parent
    comment.parent = parent


def submit(*, comment: Comment, user) -> Comment:
    """Store a new comment with the status its poster earns."""
    if user is not None and user.is_authenticated:
        comment.user = user
    comment.status = initial_status(comment=comment, user=user)
    attach_within_depth(comment=comment)
    with transaction.atomic():
        _lock_tree()
        if comment.parent_id:
            # Re-read the parent under the lock: its tree position may have moved.
            comment.parent = Comment.objects.get(pk=comment.parent_id)
        comment.save()
    return comment


def set_status(*, comment: Comment, status: str) -> None:
    """Change a comment's status without touching the tree."""
    Comment.objects.filter(pk=comment.pk).update(status=status)
    comment.status = status


def approve(*, comment: Comment, by) -> None:
    set_status(comment=comment, status=Comment.Status.APPROVED)


def reject(*, comment: Comment, by) -> None:
    set_status(comment=comment, status=Comment.Status.REJECTED)


def mark_spam(*, comment: Comment, by) -> None:
    set_status(comment=comment, status=Comment.Status.SPAM)
