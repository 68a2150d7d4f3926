"""Periodic jobs of the comments (CELERY_BEAT_SCHEDULE); each is also a management command."""

import logging

from celery import shared_task
from django.core.management import CommandError, call_command

logger = logging.getLogger(__name__)


@shared_task(name="comments.tasks.purge_comment_ips")
def purge_comment_ips() -> None:
    call_command("purge_comment_ips")


@shared_task(name="comments.tasks.check_comment_tree")
def check_comment_tree() -> bool:
    """Check the tree (not repair it: that is for someone who reads the problems); log what is wrong."""
    try:
        call_command("check_comment_tree")
    except CommandError as problems:
        logger.error("The comment tree needs repair (manage.py check_comment_tree --repair): %s", problems)
        return False
    return True


@shared_task(name="comments.tasks.follow_up_urgent")
def follow_up_urgent() -> int:
    """Alert the moderators again about crisis comments left unhandled (comments/urgent.py)."""
    from . import urgent

    return len(urgent.follow_up())
