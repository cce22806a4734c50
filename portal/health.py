"""Readiness checks behind /readyz: is each service the portal needs reachable right now?

Each check runs in its own thread and gets CHECK_SECONDS to answer; one that has not answered by then counts as
down, so the probe answers within about CHECK_SECONDS even when PostgreSQL or Redis hang (the stuck thread ends
on its own client timeout). Nothing is written: the database runs `SELECT 1`, the cache and the broker are
pinged, storage is a HEAD on the bucket (or a look at the media folder). The public answer is up or down per
service; what went wrong goes to the log. A result is reused for MEMO_SECONDS, so a flood of probes does not
turn into a flood of connections.
"""

import logging
import os
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.files.storage import default_storage
from django.db import connections

from portal.celery import app as celery_app

log = logging.getLogger(__name__)

CHECK_SECONDS = 2.0
MEMO_SECONDS = 2.0


def check_database() -> None:
    connection = connections["default"]  # this thread's own connection, closed below
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()


def check_cache() -> None:
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        # Straight to Redis: the site's cache backend hides an outage from its callers (core/cache.py).
        backend._cache.get_client(write=True).ping()


def check_broker() -> None:
    if not settings.CELERY_BROKER_URL:
        return  # tasks run in-process: nothing to reach
    with celery_app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=CHECK_SECONDS)


def check_storage() -> None:
    if hasattr(default_storage, "bucket_name"):  # S3: one HEAD request, no object written
        default_storage.connection.meta.client.head_bucket(Bucket=default_storage.bucket_name)
        return
    folder = Path(default_storage.location)
    while not folder.exists():  # made on the first upload: its nearest existing parent must allow that
        folder = folder.parent
    if not (folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)):
        raise OSError(f"{folder} is not a writable folder")


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker, "storage": check_storage}
_memo: dict[str, object] = {}
_memo_lock = threading.Lock()


def _run_in_thread(name: str, check) -> threading.Thread:
    outcome: dict[str, bool] = {}

    def run() -> None:
        try:
            check()
            outcome["up"] = True
        except Exception:  # a readiness check reports every failure, whatever its kind
            log.warning("Readiness check %s failed", name, exc_info=True)
            outcome["up"] = False

    thread = threading.Thread(target=run, name=f"readyz-{name}", daemon=True)
    thread.outcome = outcome
    thread.start()
    return thread


def run_checks() -> dict[str, bool]:
    """Each service's name and whether it answered in time, all checked at once."""
    threads = {name: _run_in_thread(name, check) for name, check in CHECKS.items()}
    deadline = time.monotonic() + CHECK_SECONDS
    results = {}
    for name, thread in threads.items():
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            log.warning("Readiness check %s did not answer within %s s", name, CHECK_SECONDS)
        results[name] = thread.outcome.get("up", False)
    return results


def readiness() -> dict[str, bool]:
    """run_checks(), reused for MEMO_SECONDS by this process."""
    with _memo_lock:
        if time.monotonic() - _memo.get("at", float("-inf")) < MEMO_SECONDS:
            return _memo["results"]
        _memo.update(results=run_checks(), at=time.monotonic())
        return _memo["results"]


def forget() -> None:
    _memo.clear()
