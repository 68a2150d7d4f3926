"""A Redis cache that degrades instead of failing: with Redis down, pages keep serving uncached.

It can also keep a few small values in the process and be told by Redis when they change
(`get_many_tracked()`), so reading them costs no round trip.
"""

import logging
import os
import threading
import time

import redis
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


class Tracked:
    """Raw values of Redis keys kept in this process, dropped the moment Redis says one changed.

    Redis's client tracking (`CLIENT TRACKING ON`, RESP3): the server remembers the keys this
    process's connection has read, and when any client changes one (a write, an expiry, an
    eviction, a flush) it pushes an invalidation message down that connection, queued before it
    answers the writer. Each read here first takes the messages waiting on the socket (a poll,
    not a round trip) and then answers from what is kept; only keys not kept are fetched (MGET,
    which tracks them). So a process learns of a change before the writer can have told anyone
    of it, and a hit costs no round trip.

    What could make a kept value stale is a connection that died without a word (a cut network):
    at most every `confirm_every` seconds a read also sends a PING, whose answer comes after every
    message sent before it, or an error that drops everything kept. A new connection (the first,
    after a fork, after any error) starts with nothing kept.
    """

    def __init__(self, url: str, *, confirm_every: float = 1.0, **options):
        self._url, self._options, self._confirm_every = url, options, confirm_every
        self._lock = threading.Lock()
        self._values: dict[bytes, bytes] = {}
        self._connection = None
        self._pid = None
        self._confirmed = 0.0

    def get_many(self, keys: list[str]) -> dict[str, bytes]:
        """Return the raw values of the keys that exist, as Redis holds them now; raise RedisError if it cannot tell."""
        wanted = [key.encode() for key in keys]
        with self._lock:
            try:
                connection = self._connect()
                while connection.can_read(timeout=0):  # invalidations waiting; an error if Redis hung up
                    connection.read_response(push_request=True)
                now = time.monotonic()
                if now - self._confirmed > self._confirm_every:
                    connection.send_command("PING")
                    connection.read_response()
                    self._confirmed = now
                missing = [key for key in wanted if key not in self._values]
                if missing:
                    connection.send_command("MGET", *missing)
                    # Invalidations sent before the answer were for older values: the handler takes them first.
                    for key, value in zip(missing, connection.read_response()):
                        if value is not None:
                            self._values[key] = value
            except (RedisError, OSError):
                self._drop()
                raise
            return {key: self._values[raw] for key, raw in zip(keys, wanted) if raw in self._values}

    def _connect(self):
        if self._connection is None or self._pid != os.getpid():  # first use, or a process forked from ours
            pool = redis.ConnectionPool.from_url(self._url, protocol=3, **self._options)
            connection = pool.connection_class(**pool.connection_kwargs)
            connection.register_connect_callback(self._connected)
            connection.connect()
            self._connection, self._pid = connection, os.getpid()
        return self._connection

    def _connected(self, connection) -> None:
        # Also after redis-py reconnects by itself: what was kept was tracked on the old connection.
        self._values.clear()
        connection._parser.set_invalidation_push_handler(self._invalidated)
        connection.send_command("CLIENT", "TRACKING", "ON")
        connection.read_response()
        self._confirmed = time.monotonic()

    def _invalidated(self, message) -> None:
        keys = message[1]
        if keys is None:  # FLUSHDB, FLUSHALL
            self._values.clear()
        else:
            for key in keys:
                self._values.pop(key, None)

    def _drop(self) -> None:
        self._values.clear()
        if self._connection is not None and self._pid == os.getpid():
            self._connection.disconnect()
        self._connection = None


class ResilientRedisCache(RedisCache):
    """Django's RedisCache; a Redis error is logged and read as a cache miss (writes are dropped)."""

    _last_warning = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _Client
        self._tracked = Tracked(self._servers[0], **{name: value for name, value in self._options.items()
                                                     if name.startswith("socket_")})
        self._made: dict[tuple, str] = {}  # the keys as sent to Redis, for the keys read on every request

    def _made_key(self, key, version):
        made = self._made.get((key, version))
        if made is None:
            if len(self._made) >= 10_000:
                self._made.clear()
            made = self._made[key, version] = self.make_and_validate_key(key, version=version)
        return made

    def get_many_tracked(self, keys, version=None):
        """Return get_many(keys), answered in this process while Redis has announced no change to them.

        For a few small values read on every request and seldom written (the page cache's versions).
        """
        made = {self._made_key(key, version): key for key in keys}
        try:
            found = self._tracked.get_many(list(made))
        except RedisError as error:
            return self._degrade("get_many", error, {})
        loads = self._cache._serializer.loads
        return {made[key]: loads(value) for key, value in found.items()}

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
