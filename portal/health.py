"""Checks behind /healthz: each returns None when the component works, or a short error."""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from portal.celery import app as celery_app


def check_database() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return None


def check_cache() -> str | None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    ok = cache.get(key) == "ok"
    cache.delete(key)
    return None if ok else "cache did not return the value it was given"


def check_broker() -> str | None:
    if not settings.CELERY_BROKER_URL:
        return None  # tasks run in-process: nothing to reach
    with celery_app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return None


def check_storage() -> str | None:
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as handle:
            ok = handle.read() == b"ok"
    finally:
        default_storage.delete(name)
    return None if ok else "storage did not return the bytes it was given"


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker, "storage": check_storage}


def run_checks() -> dict[str, dict]:
    results = {}
    for name, check in CHECKS.items():
        try:
            error = check()
        except Exception as exc:  # a health check reports every failure, whatever its kind
            error = f"{type(exc).__name__}: {exc}"
        results[name] = {"ok": error is None, **({"error": error} if error else {})}
    return results
