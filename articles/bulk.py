"""Publish, unpublish and schedule many articles at once, each checked against the user's rights to it.

The admin's bulk actions call these; every article is checked with the one publish check
(`roles.may_save_with_status`) and saved on its own, as a revision with a note saying which action,
so caches, history and the cited versions (a publication records the article's next `v/<n>/`) see each change.
"""

import datetime
from dataclasses import dataclass, field

import reversion
from django.db import transaction
from django.utils import timezone

from . import revisions, roles
from .models import Article

NOT_YOURS = "not yours to change"
MAY_NOT_PUBLISH = "you may save it as a draft; an editor publishes it"


@dataclass
class Outcome:
    """What a bulk change did: the articles changed, and those refused with the reason for each."""

    changed: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (article, reason)


def _apply(articles, by, *, status: str, why_unchanged, change, note: str) -> Outcome:
    outcome = Outcome()
    with transaction.atomic():
        for article in articles:
            was_published = article.status == Article.Status.PUBLISHED
            if not roles.may_change_article(by, article):
                outcome.refused.append((article, NOT_YOURS))
            elif not roles.may_save_with_status(by, status, was_published=was_published):
                outcome.refused.append((article, MAY_NOT_PUBLISH))
            elif (reason := why_unchanged(article)) is not None:
                outcome.refused.append((article, reason))
            else:
                with reversion.create_revision():
                    reversion.set_user(by)
                    reversion.set_comment(note)
                    revisions.lock(article)
                    change(article)
                    article.save()
                    revisions.add_published_version(article=article)
                outcome.changed.append(article)
    return outcome


def publish(*, articles, by) -> Outcome:
    """Publish drafts and scheduled articles now (a draft's publication time becomes now)."""
    now = timezone.now()
    return _apply(
        articles, by, status=Article.Status.PUBLISHED,
        why_unchanged=lambda a: "already published" if a.is_public() else None,
        change=lambda a: _publish_now(a, now), note="Published from the article list.",
    )


def _publish_now(article, now) -> None:
    if article.status == Article.Status.DRAFT or article.published_at > now:
        article.published_at = now  # a draft goes out dated today; a scheduled one comes forward to now
    article.status = Article.Status.PUBLISHED


def unpublish(*, articles, by) -> Outcome:
    """Take published and scheduled articles back to drafts."""
    return _apply(
        articles, by, status=Article.Status.DRAFT,
        why_unchanged=lambda a: "already a draft" if a.status == Article.Status.DRAFT else None,
        change=lambda a: setattr(a, "status", Article.Status.DRAFT), note="Unpublished from the article list.",
    )


def schedule(*, articles, by, at: datetime.datetime) -> Outcome:
    """Publish articles at the time `at` (in the future): readers see them from then on."""
    def change(article):
        article.status, article.published_at = Article.Status.PUBLISHED, at
    return _apply(
        articles, by, status=Article.Status.PUBLISHED,
        why_unchanged=lambda a: "already published (unpublish it first)" if a.is_public() else None,
        change=change, note="Scheduled from the article list.",
    )
