"""The moderation log: every moderation act, written here and nowhere else.

    audit.record(action=ModerationEvent.Action.APPROVE, by=moderator, comment=comment,
                 before="pending", after="approved")
    audit.record(action=ModerationEvent.Action.TRUST_GRANTED, by=moderator, user=reader, note="Known poster")

An entry keeps the names and ids of the moderator, the comment (its poster, article, posting time)
and the reader it concerns, so it still reads whole after any of them is deleted. `by=None`
is the site acting by itself (a blocklist rule, the urgent follow-up).
"""

from django.utils import timezone

from .models import Comment, ModerationEvent, display_name

Action = ModerationEvent.Action


def person_name(user) -> str:
    """Return how the log names a person as the site shows them: their reader name, else full name, else username."""
    return display_name(user).strip()


def record(*, action: str, by=None, comment: Comment | None = None, user=None, before: str = "",
           after: str = "", note: str = "", at=None) -> ModerationEvent:
    """Write one entry of the moderation log and return it.

    Name the comment acted on, or the reader (`user`) for acts on an account (trust, suspension),
    or both. `before` and `after` are the states on either side ("pending", "approved", "trusted").
    """
    if comment is None and user is None:
        raise ValueError("A moderation act concerns a comment or a reader.")
    moderator = by if by is not None and by.is_authenticated else None
    event = ModerationEvent(action=action, created_at=at or timezone.now(), status_before=before,
                            status_after=after, note=note)
    if moderator is not None:
        event.moderator, event.moderator_pk, event.moderator_name = moderator, moderator.pk, person_name(moderator)
    if comment is not None:
        event.comment, event.comment_pk = comment, comment.pk
        event.comment_poster = comment.poster_name[:100]
        event.comment_posted_at, event.comment_urgent = comment.created_at, comment.urgent
        event.article_title = comment.article.title[:200]
    if user is not None:
        event.user, event.user_pk, event.user_name = user, user.pk, person_name(user)[:150]
    event.save()
    return event
