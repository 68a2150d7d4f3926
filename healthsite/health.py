"""/healthz: is the database answering, each cache (counters, pages) and the job broker? How old is unsent mail?"""

import logging
import uuid
from functools import partial

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from . import outbox

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


def _broker() -> bool:
    from .celery import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=2)
        return connection.connected


def _outbox() -> dict:
    """The age of the oldest unsent mail, in whole seconds (null when all is sent): for monitoring, not the status."""
    age = outbox.oldest_unsent_age()
    return {"oldest_unsent_seconds": None if age is None else int(age)}


@never_cache
def healthz(request):
    """Answer 200 when the database, both caches and the broker (if any) work, 503 with what failed otherwise."""
    checks = {"database": _check("database", _database), "cache": _check("cache", partial(_cache, "default")),
              "page_cache": _check("page cache", partial(_cache, "pages"))}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _check("job broker", _broker)
    healthy = all(result == "ok" for result in checks.values())
    try:
        mail = _outbox()
    except Exception:  # the database is down: said above
        mail = {"oldest_unsent_seconds": None}
    return JsonResponse({"status": "ok" if healthy else "error", **checks, "outbox": mail},
                        status=200 if healthy else 503)
