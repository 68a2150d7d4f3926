"""What a shared cache in front of the site (a CDN, Varnish) needs from a shared page.

- Its compressed forms, made once when the page is kept (`Page.make`): gzip and Brotli, one of them
  picked for each request by its Accept-Encoding, each with an ETag of its own.
- Its headers: `Cache-Control: public, max-age=0, s-maxage=N`, where N is at most `CDN_MAX_AGE` and
  never reaches past the next midnight in TIME_ZONE (the APA Reference's retrieval date changes then);
  ETag and Last-Modified, so a revalidation gets 304; and its surrogate keys (`Surrogate-Key` for
  CDNs, `xkey` for Varnish's xkey vmod).
- Purges by surrogate key (`purge()`), sent to `CDN_PURGE_URL` by the process that wrote, right after
  the commit: not a job, so the first request after the write's answer finds the new page.
"""

import datetime
import gzip
import hashlib
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from typing import NamedTuple

import brotli
from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

logger = logging.getLogger(__name__)

# Ours, in the order we prefer them when a reader accepts both.
ENCODINGS = ("br", "gzip")
# Brotli's quality 11 takes 1.4 s for thread-1,000 (142 KB); 6 takes 20 ms (175 KB, a fifth of the HTML).
BROTLI_QUALITY = 6
GZIP_LEVEL = 6
# The key every shared page carries: a change that may show anywhere purges it.
SITE_KEY = "site"


def accepted_encoding(header: str) -> str:
    """Return "br", "gzip" or "" (as sent): the encoding of ours the client accepts with the most weight."""
    weights = {}
    for item in header.split(","):
        name, _, params = item.partition(";")
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if name.strip():
            weights[name.strip().lower()] = weight
    best, best_weight = "", 0.0
    for encoding in ENCODINGS:
        weight = weights.get(encoding, weights.get("*", 0.0))
        if weight > best_weight:
            best, best_weight = encoding, weight
    return best


_day: tuple | None = None  # (time zone, the day's start and end as timestamps, the day): worked out once a day


def _today(now: float) -> tuple:
    """Return (the date in TIME_ZONE at `now`, the timestamp of the next midnight there)."""
    global _day
    zone, day = timezone.get_current_timezone(), _day
    if day is None or day[0] is not zone or not day[1] <= now < day[2]:
        date = datetime.datetime.fromtimestamp(now, zone).date()
        start, end = (datetime.datetime.combine(d, datetime.time.min, tzinfo=zone).timestamp()
                      for d in (date, date + datetime.timedelta(days=1)))
        day = _day = (zone, start, end, date)
    return day[3], day[2]


def today() -> datetime.date:
    """Return today's date in TIME_ZONE (timezone.localdate(), without working it out on every request)."""
    return _today(time.time())[0]


def shared_seconds(now: float | None = None) -> int:
    """Return how long a shared cache may keep a page from now: CDN_MAX_AGE, but never past the next midnight."""
    now = time.time() if now is None else now
    return max(0, min(settings.CDN_MAX_AGE, int(_today(now)[1] - now)))


class Page(NamedTuple):
    """A shared page as it is kept: its bytes as sent and compressed, its ETag, when it was made, its keys."""

    bodies: dict  # "" (as rendered), "gzip", "br" -> bytes
    etag: str
    modified: int  # seconds since the epoch, as Last-Modified says it
    keys: str  # surrogate keys, separated by spaces
    content_type: str

    @classmethod
    def make(cls, response, keys: Iterable[str]) -> "Page":
        """Return the page of a rendered response, compressed once for every reader who will get it."""
        body = response.content
        return cls(
            bodies={"": body, "gzip": gzip.compress(body, GZIP_LEVEL, mtime=0),
                    "br": brotli.compress(body, quality=BROTLI_QUALITY)},
            etag=hashlib.sha256(body).hexdigest()[:24], modified=int(time.time()),
            keys=" ".join(dict.fromkeys(keys)), content_type=response["Content-Type"])

    @property
    def size(self) -> int:
        return sum(map(len, self.bodies.values()))

    def respond(self, request, *, hit: bool) -> HttpResponse:
        """Return the page for this request: in the encoding it accepts, or 304 if it holds this one already."""
        encoding = accepted_encoding(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        etag = f'"{self.etag}-{encoding}"' if encoding else f'"{self.etag}"'
        response = HttpResponse(self.bodies[encoding], content_type=self.content_type)
        if encoding:
            response["Content-Encoding"] = encoding
        response["ETag"] = etag
        response["Last-Modified"] = http_date(self.modified)
        response["Vary"] = "Accept-Encoding"
        response["Cache-Control"] = f"public, max-age=0, s-maxage={shared_seconds()}"
        response["Surrogate-Key"] = response["xkey"] = self.keys
        response["X-Page-Cache"] = "hit" if hit else "miss"
        return get_conditional_response(request, etag=etag, last_modified=self.modified, response=response)


def purge(keys: Iterable[str]) -> None:
    """Have the shared cache drop every page carrying one of these keys, once the transaction commits (now outside one)."""
    keys = sorted(set(keys))
    if settings.CDN_PURGE_URL and keys:
        transaction.on_commit(lambda: send_purge(keys), robust=True)


def send_purge(keys: list[str]) -> bool:
    """Send one purge of these surrogate keys to CDN_PURGE_URL; return False (logged) if it failed.

    A failed purge never fails the write that asked for it: the page then lives until its s-maxage.
    """
    request = urllib.request.Request(settings.CDN_PURGE_URL, method="PURGE", headers={
        "xkey": " ".join(keys), "Surrogate-Key": " ".join(keys)})
    try:
        with urllib.request.urlopen(request, timeout=settings.CDN_PURGE_TIMEOUT) as answer:
            answer.read()
        return True
    except (OSError, ValueError):  # refused, timed out, an error status (HTTPError), a malformed address
        logger.exception("Could not purge %s at %s", " ".join(keys), settings.CDN_PURGE_URL)
        return False
