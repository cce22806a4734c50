"""The shared cache on Redis, which degrades instead of failing when Redis is away or hung.

Reads miss and writes are dropped (logged as a warning), so what only uses the cache as a cache keeps working:
the transparency report is read from the database, the API's per-key limit lets requests through. Atomic claims
(`add`, `incr` and so `decr`) cannot be faked, so they raise CacheUnavailable, which the site answers with a 503
unless the caller has another way (the transparency report locks a database row instead): allauth takes a
lock with `add` before every sign-in rate limit and records each used TOTP code with `add`, and sign-in must
not go unlimited. Each call is bounded by the socket timeouts in settings; after a failure the process skips
Redis for SKIP_SECONDS, so a hung Redis costs one timeout per process every few seconds, not one per call.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

SKIP_SECONDS = 5
REDIS_AWAY = (RedisConnectionError, RedisTimeoutError)


class CacheUnavailable(Exception):
    """The shared cache could not be reached for a claim that must not be skipped."""


class DegradingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._skip_until = 0.0

    def _call(self, operation: str, fallback, *args, strict: bool = False):
        if time.monotonic() < self._skip_until:
            if strict:
                raise CacheUnavailable(operation)
            return fallback
        try:
            return getattr(super(), operation)(*args)
        except REDIS_AWAY as exc:
            self._skip_until = time.monotonic() + SKIP_SECONDS
            outcome = "refusing the request" if strict else "carrying on without the cache"
            log.warning("Cache unavailable during %s (%s: %s): %s for %s s", operation, type(exc).__name__, exc,
                        outcome, SKIP_SECONDS)  # fmt: skip
            if strict:
                raise CacheUnavailable(operation) from exc
            return fallback

    # Reads miss, writes are dropped.
    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)

    # Claims and counters refuse.
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version, strict=True)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", None, key, delta, version, strict=True)
