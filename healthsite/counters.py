"""Expiring counters in the shared cache: rate limits, login lockouts, report limits.

One helper for every "how many times in this window?" question. Counting and reading are one
atomic step (count first, then decide), so parallel requests cannot all slip under a limit
by reading the same old value. On Redis the count and its expiry are set together (INCRBY and
EXPIRE NX in one transaction), so a counter never outlives its window.
"""

from django.core.cache import caches

# Counters live beside sessions on the default alias; cached pages have an alias of their own,
# so no amount of page churn can evict a counter.
ALIAS = "default"


def hit(key: str, *, window: int, delta: int = 1) -> int:
    """Count `delta` events under `key` for `window` seconds from the first; return the total now.

    Returns 0 when the cache cannot count (Redis down): callers then let the request through.
    """
    store = caches[ALIAS]
    atomic = getattr(store, "incr_with_expiry", None)
    if atomic is not None:
        return atomic(key, delta, window)
    # Local memory and other backends: add() and incr() each hold the backend's lock.
    store.add(key, 0, window)
    try:
        return store.incr(key, delta)
    except ValueError:  # expired between add() and incr()
        store.add(key, delta, window)
        return delta


def count(key: str) -> int:
    """Return the events counted under `key` in its current window (0 if none)."""
    return caches[ALIAS].get(key) or 0


def undo(key: str, delta: int = 1) -> None:
    """Take back `delta` events counted under `key` (an attempt that turned out to be allowed)."""
    store = caches[ALIAS]
    try:
        store.decr(key, delta)
    except ValueError:  # expired meanwhile: nothing left to take back
        pass
