"""Running the Celery app against a real broker for a test, instead of eagerly in-process."""

import contextlib
import os
import socket

import pytest

from portal.celery import app

# This project's Redis database for these tests; parallel test processes (pytest-xdist) each take their own.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
REDIS_URL = f"redis://127.0.0.1:6379/{2 + int(_WORKER[2:] or 0)}"


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


def _reset_connections() -> None:
    """Forget pooled connections made for the previous broker (even eager calls take a producer)."""
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def queued_on(broker_url: str):
    """Tasks are published to `broker_url` rather than run at once; restored afterwards."""
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=broker_url, task_always_eager=False)
    _reset_connections()
    try:
        yield app
    finally:
        app.conf.update(saved)
        _reset_connections()


@pytest.fixture
def tasks_in_process():
    """Run tasks in the test's process even when CELERY_BROKER_URL is set (as in CI's services run), for
    tests about what processing does rather than about the broker."""
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved
