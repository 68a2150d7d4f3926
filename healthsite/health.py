"""/healthz: is the database answering, and each cache (counters, pages)?"""

import logging
import uuid
from functools import partial

from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _check(name, probe) -> str:
    try:
        return "ok" if probe() else "error: wrong answer"
    except Exception as error:  # any failure of the service is the answer here, not a crash
        logger.exception("Health check of the %s failed", name)
        return f"error: {type(error).__name__}"


def _database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0] == 1


def _cache(alias: str) -> bool:
    cache = caches[alias]
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 30)
    try:
        return cache.get(key) == value
    finally:
        cache.delete(key)


@never_cache
def healthz(request):
    """Answer 200 when the database and both caches work, 503 with what failed otherwise."""
    checks = {"database": _check("database", _database), "cache": _check("cache", partial(_cache, "default")),
              "page_cache": _check("page cache", partial(_cache, "pages"))}
    healthy = all(result == "ok" for result in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
