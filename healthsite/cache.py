"""A Redis cache that degrades instead of failing: with Redis down, pages keep serving uncached."""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
_WARN_EVERY = 60  # seconds between two log lines about the same outage


class _Client(RedisCacheClient):
    """Django's Redis client, keeping one redis.Redis per connection pool rather than building one per call.

    Building one sets up its table of reply parsers each time: a third of a cached page's hit.
    """

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        if pool not in clients:
            clients[pool] = self._client(connection_pool=pool)
        return clients[pool]


class ResilientRedisCache(RedisCache):
    """Django's RedisCache; a Redis error is logged and read as a cache miss (writes are dropped)."""

    _last_warning = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _Client

    def _degrade(self, operation, error, default):
        now = time.monotonic()
        if now - ResilientRedisCache._last_warning > _WARN_EVERY:
            ResilientRedisCache._last_warning = now
            logger.warning("Cache unavailable (%s failed: %s); serving without it", operation, error)
        return default

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError as error:
            return self._degrade("get", error, default)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError as error:
            return self._degrade("get_many", error, {})

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout, version)
        except RedisError as error:
            return self._degrade("set", error, None)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError as error:
            return self._degrade("add", error, False)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            # No counter to read: callers treat 0 as "nothing counted" (rate limits fail open).
            return self._degrade("incr", error, 0)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError as error:
            return self._degrade("delete", error, False)

    def clear(self):
        try:
            return super().clear()
        except RedisError as error:
            return self._degrade("clear", error, False)

    def incr_with_expiry(self, key, delta, window, version=None):
        """Add `delta` to a counter, starting it with a `window`-second life; one atomic step."""
        key = self.make_and_validate_key(key, version=version)
        try:
            client = self._cache.get_client(key, write=True)
            with client.pipeline(transaction=True) as pipe:
                pipe.incrby(key, delta)
                pipe.expire(key, window, nx=True)
                total, _ = pipe.execute()
            return total
        except RedisError as error:
            return self._degrade("incr", error, 0)
