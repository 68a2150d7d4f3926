"""Whole-page cache of article pages for anonymous readers, in the shared cache.

A cached page is served only when it cannot differ from what the view would render now: the
key holds the request path and query, and the value records the site version (bumped by any
editorial change), the article path's version (bumped by any change to its comments) and the
date (the APA retrieval date is today). Per-request parts, the CSRF token and the signed form
time, are stored as marks and filled in for each reader.
"""

import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

from comments import antispam

CSRF_MARK = "\x00csrf\x00"
TIMESTAMP_MARK = "\x00form-time\x00"
CACHEABLE_QUERY = {"cpage", "comment", "replyto"}
# {% csrf_token %} masks the token anew on each call, so find what this rendering used.
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')
_SITE_KEY = "pagecache:site"


def _path_key(path: str) -> str:
    return "pagecache:path:" + hashlib.sha1(path.encode()).hexdigest()


def _page_key(request) -> str:
    return "pagecache:page:" + hashlib.sha1(request.get_full_path().encode()).hexdigest()


def cacheable(request) -> bool:
    """Return True if the request may share a cached page: an anonymous reader with nothing of their own."""
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and set(request.GET) <= CACHEABLE_QUERY
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
        and request.session.is_empty()  # own pending comments, crisis help, queued messages
    )


def lookup(request) -> tuple[HttpResponse | None, tuple]:
    """Return (the cached page with this reader's token and form time, or None; the current stamp).

    The stamp is read before any rendering, so a page rendered while its comments change is
    stored under the old stamp and never served as current.
    """
    page_key, path_key = _page_key(request), _path_key(request.path)
    values = cache.get_many([_SITE_KEY, path_key, page_key])
    stamp = (values.get(_SITE_KEY, 0), values.get(path_key, 0), timezone.localdate().isoformat())
    entry = values.get(page_key)
    if entry is None or entry[0] != stamp:
        return None, stamp
    html = entry[1].replace(CSRF_MARK, get_token(request)).replace(TIMESTAMP_MARK, antispam.form_timestamp())
    response = HttpResponse(html)
    response["X-Page-Cache"] = "hit"
    return response, stamp


def store(request, response, *, stamp: tuple, form_timestamp: str) -> None:
    """Keep a freshly rendered page for the next anonymous readers."""
    if response.status_code != 200:
        return
    html = _CSRF_INPUT.sub(rf"\g<1>{CSRF_MARK}\g<2>", response.content.decode()).replace(form_timestamp, TIMESTAMP_MARK)
    cache.set(_page_key(request), (stamp, html), settings.PAGE_CACHE_SECONDS)
    response["X-Page-Cache"] = "miss"


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not set yet, or evicted: any new value differs from what pages recorded
        cache.set(key, int(timezone.now().timestamp() * 1000), None)


def article_changed(article) -> None:
    """Forget the cached pages of one article (its comments changed)."""
    _bump(_path_key(article.get_absolute_url()))


def site_changed() -> None:
    """Forget every cached page (an article, author or blog changed)."""
    _bump(_SITE_KEY)


class ShownOnPages:
    """Mixin for editorial models: saving or deleting one replaces every cached page."""

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        site_changed()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        site_changed()
        return result
