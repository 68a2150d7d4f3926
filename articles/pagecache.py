"""Whole-page cache of article pages for anonymous readers, in the shared cache.

A cached page is served only when it cannot differ from what the view would render now: the
key holds the request path and query, and the value records the site version (bumped by any
editorial change), the article path's version (bumped by any change to its comments) and the
date (the APA retrieval date is today). Per-request parts, the CSRF token and the signed form
time, are stored as marks and filled in for each reader.
"""

import hashlib
import re
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

from comments import antispam

CSRF_MARK = "\x00csrf\x00"
TIMESTAMP_MARK = "\x00form-time\x00"
CSRF_MARK_BYTES, TIMESTAMP_MARK_BYTES = CSRF_MARK.encode(), TIMESTAMP_MARK.encode()
_MARKS = re.compile(b"(" + re.escape(CSRF_MARK_BYTES) + b"|" + re.escape(TIMESTAMP_MARK_BYTES) + b")")
# Pages this process stored or fetched last, checked against the shared versions on every request.
LOCAL_MAX_BYTES = 64 * 1024 * 1024
_local: OrderedDict = OrderedDict()
_local_bytes = 0
_local_lock = threading.Lock()
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
    stored under the old stamp and never served as current. Each process keeps the pages it
    served last in memory, so a hit costs one small round trip (the versions), not the page.
    """
    page_key, path_key = _page_key(request), _path_key(request.path)
    versions = _versions([_SITE_KEY, path_key])
    if versions is None:  # the shared cache is down: nothing could tell a stale page, so cache nothing
        return None, None
    stamp = (*versions, timezone.localdate().isoformat())
    entry = _local.get(page_key)
    if entry is None or entry[0] != stamp:
        entry = cache.get(page_key)
        if entry is None or entry[0] != stamp:
            return None, stamp
        _keep_local(page_key, entry)
    fills = {CSRF_MARK_BYTES: get_token(request).encode(), TIMESTAMP_MARK_BYTES: antispam.form_timestamp().encode()}
    parts = entry[1]
    response = HttpResponse(b"".join(fills[part] if i % 2 else part for i, part in enumerate(parts)))
    response["X-Page-Cache"] = "hit"
    return response, stamp


def _versions(keys: list[str]) -> list[int] | None:
    """Return the current versions, starting any that are missing (first use, eviction, a Redis restart)."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, time.time_ns(), None)  # new, so it matches no page stored before
            found[key] = cache.get(key)
            if found[key] is None:
                return None
    return [found[key] for key in keys]


def store(request, response, *, stamp: tuple | None, form_timestamp: str) -> None:
    """Keep a freshly rendered page for the next anonymous readers."""
    if response.status_code != 200 or stamp is None:
        return
    html = _CSRF_INPUT.sub(rf"\g<1>{CSRF_MARK}\g<2>", response.content.decode()).replace(form_timestamp, TIMESTAMP_MARK)
    # Bytes cut at the marks: serving joins them with this reader's token and form time.
    entry = (stamp, _MARKS.split(html.encode()))
    cache.set(_page_key(request), entry, settings.PAGE_CACHE_SECONDS)
    _keep_local(_page_key(request), entry)
    response["X-Page-Cache"] = "miss"


def _keep_local(key: str, entry: tuple) -> None:
    global _local_bytes
    with _local_lock:
        old = _local.pop(key, None)
        if old is not None:
            _local_bytes -= sum(map(len, old[1]))
        _local[key] = entry
        _local_bytes += sum(map(len, entry[1]))
        while _local_bytes > LOCAL_MAX_BYTES and len(_local) > 1:
            _, dropped = _local.popitem(last=False)
            _local_bytes -= sum(map(len, dropped[1]))


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not set yet, or evicted: any new value differs from what pages recorded
        cache.set(key, time.time_ns(), None)


def forget_local() -> None:
    """Drop this process's copies (tests start from nothing)."""
    global _local_bytes
    with _local_lock:
        _local.clear()
        _local_bytes = 0


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
