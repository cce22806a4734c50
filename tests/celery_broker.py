"""Running the Celery app against a real broker for a test, instead of eagerly in-process."""

import contextlib
import os
import socket
import threading
from urllib.parse import urlsplit

import pytest
from celery.signals import task_postrun, task_prerun

from portal.celery import app

# This project's Redis database for these tests, on the broker's server when one is configured (else the local
# default); parallel test processes (pytest-xdist) each take their own.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
_SERVER = urlsplit(os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0")
REDIS_HOST, REDIS_PORT = _SERVER.hostname or "127.0.0.1", _SERVER.port or 6379
REDIS_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/{2 + int(_WORKER[2:] or 0)}"


def redis_reachable() -> bool:
    try:
        socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1).close()
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


class TaskLog:
    """What the worker ran, from its own signals (results are not stored): task id -> (task name, final state)."""

    def __init__(self):
        self.started: dict[str, str] = {}
        self.finished: dict[str, tuple[str, str]] = {}
        self.events: list[tuple[str, str, str]] = []  # (task id, task name, state) for every run, retries included
        self.changed = threading.Condition()

    def _prerun(self, task_id=None, task=None, **kwargs):
        with self.changed:
            self.started[task_id] = task.name
            self.changed.notify_all()

    def _postrun(self, task_id=None, task=None, state=None, **kwargs):
        with self.changed:
            self.finished[task_id] = (task.name, state)
            self.events.append((task_id, task.name, state))
            self.changed.notify_all()

    def wait_until(self, condition, seconds: float = 30) -> bool:
        with self.changed:
            return self.changed.wait_for(condition, timeout=seconds)

    def count(self, state: str) -> int:
        return sum(1 for _, _, seen in self.events if seen == state)

    def idle(self) -> bool:
        """Every task that started has finished for good (none waits for a retry)."""
        return all(self.finished.get(task_id, ("", ""))[1] not in ("", "RETRY") for task_id in self.started)

    def settled(self, task_id: str) -> bool:
        """`task_id` finished (for good: a retry is a new run of the same id) and nothing else is running."""
        state = self.finished.get(task_id, ("", ""))[1]
        return state not in ("", "RETRY") and set(self.started) <= set(self.finished)


@contextlib.contextmanager
def task_log():
    log = TaskLog()
    task_prerun.connect(log._prerun, weak=False)
    task_postrun.connect(log._postrun, weak=False)
    try:
        yield log
    finally:
        task_prerun.disconnect(log._prerun)
        task_postrun.disconnect(log._postrun)


@contextlib.contextmanager
def broker_away(kind: str):
    """Tasks are published to a broker that is away: 'refused' (nothing listens: the process is down) or 'hung'
    (the port accepts connections but never answers: a partition or a frozen server)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        if kind == "hung":
            sock.listen(64)  # the kernel completes connections; nobody ever reads or answers
        else:
            assert kind == "refused", kind
        with queued_on(f"redis://127.0.0.1:{sock.getsockname()[1]}/0") as app:
            yield app
