"""Anti-spam checks for posted comments: signed, single-use form timestamps and per-IP rate limits."""

import secrets
import time

from django.conf import settings
from django.core import signing

from healthsite import counters

_SALT = "comments.form-timestamp"
HONEYPOT_FIELD = "website"


def form_timestamp(now: float | None = None) -> str:
    """Return a signed token of the time the form was served, unique to this rendering of the form."""
    served = int(now if now is not None else time.time())
    return signing.dumps(f"{served}.{secrets.token_urlsafe(9)}", salt=_SALT)


def _read(token: str) -> tuple[int, str]:
    """Return the time and the nonce a signed form token holds; raise ValueError if it holds none."""
    try:
        served, nonce = signing.loads(token or "", salt=_SALT).split(".")
        return int(served), nonce
    except (signing.BadSignature, AttributeError, TypeError) as error:
        raise ValueError("not a form token") from error


def timestamp_problem(token: str, now: float | None = None) -> str | None:
    """Return why a signed form timestamp is unacceptable, or None if it is fine."""
    now = now if now is not None else time.time()
    try:
        served, _ = _read(token)
    except ValueError:
        return "tampered"
    age = now - served
    if age < settings.COMMENTS_MIN_SECONDS:
        return "too_fast"
    if age > settings.COMMENTS_MAX_FORM_AGE:
        return "expired"
    return None


def claim_form(token: str, *, article_id: int) -> bool:
    """Count a post of this signed form on this article; return False if it was posted there before.

    One rendering of the form makes one comment: a replayed token is refused, whoever sends it.
    """
    _, nonce = _read(token)
    return counters.hit(f"comments:form-used:{article_id}:{nonce}", window=settings.COMMENTS_MAX_FORM_AGE) <= 1


def over_report_limit(*, ip: str | None, session_key: str) -> bool:
    """Count one report from this address and browser session; return True if either is over its hourly limit."""
    by_address = counters.hit(f"comments:reports:ip:{ip}", window=3600) if ip else 0
    by_session = counters.hit(f"comments:reports:session:{session_key}", window=3600)
    return (by_address > settings.COMMENTS_REPORTS_PER_HOUR_PER_IP
            or by_session > settings.COMMENTS_REPORTS_PER_HOUR_PER_SESSION)


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
