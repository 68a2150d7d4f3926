"""Revisions of articles (django-reversion) and the published versions readers can cite.

Every admin save of an article is a revision (healthsite.admin.RevisionAdmin); a save while the
article is published also records a PublishedVersion, numbered from 1 for each article, whose
address `<article>v/<n>/` shows that text for good. Saves outside the admin (autosaves, imports,
loaddemo's reload of the seed) make no revision.
"""

import reversion
from django.db.models import Max
from django.utils import timezone
from reversion.models import Version

from .models import Article, PublishedVersion

SEED_NOTE = "The article as first published."


def lock(article: Article) -> None:
    """Hold the article's row until the transaction ends, so two saves never take the same version number."""
    Article.objects.select_for_update().filter(pk=article.pk).values_list("pk").first()


def add_published_version(*, article: Article, note: str = "", public: bool = False) -> None:
    """Record, with the revision being saved, the article as readers now see it (if it is published).

    Call inside `reversion.create_revision()`, after the article is saved and locked (`lock`).
    """
    if article.status != Article.Status.PUBLISHED:
        return
    last = article.published_versions.aggregate(last=Max("number"))["last"] or 0
    reversion.add_meta(
        PublishedVersion, article=article, number=last + 1,
        published_at=max(timezone.now(), article.published_at),
        title=article.title, summary=article.summary, body_html=article.body_html,
        public_note=note.strip() if public else "",
    )


def record_seed(article: Article) -> None:
    """Record a published article with no published version as its v/1/, dated at its publication."""
    if article.published_versions.exists():
        return
    with reversion.create_revision():
        reversion.add_to_revision(article)
        reversion.set_comment(SEED_NOTE)
        reversion.add_meta(
            PublishedVersion, article=article, number=1, published_at=article.published_at,
            title=article.title, summary=article.summary, body_html=article.body_html,
        )


def latest_version(article: Article) -> Version:
    """Return the article's version in its newest revision, making a revision of it as it stands if it has none."""
    version = Version.objects.get_for_object(article).select_related("revision__user").first()
    if version is not None:
        return version
    with reversion.create_revision():
        reversion.add_to_revision(article)
        reversion.set_comment("The article as it stood when a review was asked for.")
    return Version.objects.get_for_object(article).select_related("revision__user").first()


def public_versions(article: Article) -> list[PublishedVersion]:
    """Return the versions readers may open, oldest first, without their text (one query)."""
    found = list(article.published_versions.filter(published_at__lte=timezone.now()).only(
        "number", "published_at", "public_note", "article_id", "revision_id").order_by("number"))
    for version in found:
        version.article = article  # their addresses need no query each
    return found
