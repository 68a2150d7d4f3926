"""Periodic jobs of the articles (CELERY_BEAT_SCHEDULE)."""

from datetime import timedelta

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from healthsite import pagecache

from .models import Article

_CHECKED_KEY = "articles:going-live-checked"
# When the last check is unknown (the first run, a cache restart), how far back to look.
_FIRST_LOOK_BACK = timedelta(hours=1)


@shared_task(name="articles.tasks.going_live")
def going_live() -> int:
    """Replace the cached pages if articles went live since the last check; return how many did.

    A scheduled article needs no job to appear (`published()` compares the time), but a page cached
    before its time lists the articles as they were: its lists of related articles would miss it.
    """
    now = timezone.now()
    since = cache.get(_CHECKED_KEY) or now - _FIRST_LOOK_BACK
    went_live = Article.objects.published().filter(published_at__gt=since).count()
    if went_live:
        pagecache.changed(Article)
    cache.set(_CHECKED_KEY, now, None)
    return went_live
