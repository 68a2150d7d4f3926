"""Anti-spam checks for posted comments: signed form timestamp and per-IP rate limits."""

import time

from django.conf import settings
from django.core import signing

from articles import pagecache
from healthsite import counters

_SALT = "comments.form-timestamp"
HONEYPOT_FIELD = "website"


def form_timestamp(now: float | None = None) -> str:
    """Return a signed token of the time the form was served."""
    return signing.dumps(int(now if now is not None else time.time()), salt=_SALT)


# A cached page's form time: each reader gets a time of their own.
FORM_TIME = pagecache.Mark("form-time", lambda request: form_timestamp())


def timestamp_problem(token: str, now: float | None = None) -> str | None:
    """Return why a signed form timestamp is unacceptable, or None if it is fine."""
    now = now if now is not None else time.time()
    try:
        served = int(signing.loads(token or "", salt=_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return "tampered"
    age = now - served
    if age < settings.COMMENTS_MIN_SECONDS:
        return "too_fast"
    if age > settings.COMMENTS_MAX_FORM_AGE:
        return "expired"
    return None


def over_rate_limit(ip: str | None, now: float | None = None) -> bool:
    """Count one post from this address; return True if it is over any limit.

    The counters live in the shared cache, so the limit holds across processes and hosts; each
    post is counted before it is judged, so parallel posts cannot all pass one old count.
    """
    if not ip:
        return False
    now = int(now if now is not None else time.time())
    over = False
    for window, allowed in settings.COMMENTS_RATE_LIMITS:
        over = counters.hit(f"comments:rate:{ip}:{window}:{now // window}", window=window + 5) > allowed or over
    return over
