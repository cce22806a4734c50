"""Tasks travel through the real broker to a real worker, and run only after the transaction commits."""

import time

import pytest
from django.db import transaction

from portal.celery import app
from portal.models import User
from portal.tasks import ping
from tests.celery_broker import task_log

pytestmark = pytest.mark.django_db(transaction=True)


@app.task(name="tests.rename_user")
def rename_user(user_id: int, name: str) -> bool:
    # The worker runs in this process, so a task defined here is registered with it.
    return User.objects.filter(pk=user_id).update(display_name=name) == 1


def wait_for(condition, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_this_test_process_publishes_and_consumes_on_its_own_broker_database(celery_worker, settings):
    """Parallel test processes each have a broker database (tests/conftest.py); a shared one lets one process's
    worker take the other's tasks."""
    own_database = settings.CELERY_BROKER_URL.rsplit("/", 1)[1]
    assert app.connection_for_write().as_uri().rsplit("/", 1)[1] == own_database
    assert app.connection_for_read().as_uri().rsplit("/", 1)[1] == own_database


def test_a_task_round_trips_through_the_broker(celery_worker):
    with task_log() as log:
        sent = ping.delay()
        assert log.wait_until(lambda: log.settled(sent.id), seconds=20)
    assert log.finished[sent.id] == ("portal.tasks.ping", "SUCCESS")


def test_no_task_result_is_stored_because_nothing_reads_one(celery_worker):
    assert app.conf.result_backend is None and app.conf.task_ignore_result is True
    with task_log() as log:
        sent = ping.delay()
        assert log.wait_until(lambda: log.settled(sent.id), seconds=20)
    assert sent.backend.__class__.__name__ == "DisabledBackend"


def test_a_task_enqueued_in_a_transaction_is_sent_only_after_commit(celery_worker):
    with transaction.atomic():
        user = User.objects.create_user(email="worker@example.com", password=None)
        rename_user.delay_on_commit(user.pk, "seen by the worker")
        time.sleep(1)  # a task sent now would find no committed row, and would have run by now
        assert User.objects.get(pk=user.pk).display_name == ""
    assert wait_for(lambda: User.objects.get(pk=user.pk).display_name == "seen by the worker")
