import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import get_commands
from django.utils import timezone

from portal.celery import app
from portal.scheduler import EmbeddedScheduler, start_if_embedded
from portal.tasks import clear_expired_sessions
from submissions.models import Video, VideoReview
from tests.approval_helpers import setup_review, video_in_review
from tests.celery_broker import task_log

BEAT_JOBS = sorted(settings.CELERY_BEAT_SCHEDULE)


@pytest.mark.django_db  # Celery's Django fixup runs the system checks while importing the task modules
def test_every_scheduled_job_names_a_registered_task():
    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, f"beat entry {name} names an unknown task {entry['task']}"


def send(entry_name: str):
    """Send a beat job exactly as `celery beat` does: apply_async with the entry's arguments and options."""
    entry = settings.CELERY_BEAT_SCHEDULE[entry_name]
    task = app.tasks[entry["task"]]
    return task.apply_async(entry.get("args", ()), entry.get("kwargs", {}), **entry.get("options", {}))


@pytest.mark.django_db
@pytest.mark.parametrize("entry_name", BEAT_JOBS)
def test_every_beat_job_can_be_sent(entry_name, program):
    """Celery checks a task's options when it is sent (e.g. a soft time limit above the hard one is refused)."""
    app.loader.import_default_modules()
    assert send(entry_name).successful()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("entry_name", BEAT_JOBS)
def test_every_beat_job_runs_through_the_broker_on_a_real_worker(entry_name, program, celery_worker):
    """What beat sends, a real worker runs to success, and so does every task the job fans out."""
    with task_log() as log:
        sent = send(entry_name)
        assert log.wait_until(lambda: log.settled(sent.id), seconds=60), f"{entry_name} did not finish in 60 s"
        while log.wait_until(lambda: not log.settled(sent.id), seconds=1.5):  # a fanned-out task started
            assert log.wait_until(lambda: log.settled(sent.id), seconds=60)
    assert log.finished[sent.id] == (settings.CELERY_BEAT_SCHEDULE[entry_name]["task"], "SUCCESS")
    failed = {name: state for name, state in log.finished.values() if state != "SUCCESS"}
    assert not failed, f"{entry_name}: {failed}"


@pytest.mark.django_db
def test_expired_sessions_are_cleared_and_live_ones_kept():
    live, expired = SessionStore(), SessionStore()
    live.create()
    expired.create()
    Session.objects.filter(pk=expired.session_key).update(expire_date=timezone.now() - dt.timedelta(days=1))
    clear_expired_sessions.delay()
    assert list(Session.objects.values_list("pk", flat=True)) == [live.session_key]


# --- The embedded default: the schedule runs inside `runserver` -----------------------------------


@pytest.mark.django_db
def test_the_embedded_scheduler_sends_every_job_at_start_and_then_each_when_due(artist, program, reviewer):
    setup_review(program, safety=[reviewer], lead=[reviewer])
    overdue = video_in_review(artist, program)
    VideoReview.objects.filter(video=overdue).update(deadline_at=timezone.now() - dt.timedelta(minutes=1))
    scheduler = EmbeddedScheduler(settings.CELERY_BEAT_SCHEDULE)

    ran, nap = scheduler.tick()
    assert sorted(ran) == BEAT_JOBS
    assert 1 <= nap <= 30
    overdue.refresh_from_db()
    assert overdue.status == Video.Status.APPROVED  # the deadline fired without a broker or a beat process
    assert scheduler.tick()[0] == []  # nothing is due again at once

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5, seconds=1)):
        ran, _ = scheduler.tick()
    every_five_minutes = {name for name, entry in settings.CELERY_BEAT_SCHEDULE.items() if entry["schedule"] <= 300}
    assert set(ran) == every_five_minutes


@pytest.mark.django_db
def test_a_failing_job_is_logged_and_the_others_still_run(caplog):
    scheduler = EmbeddedScheduler(
        {
            "broken": {"task": "portal.tasks.ping", "schedule": 60, "args": ("unexpected",)},
            "clear-expired-sessions": settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"],
        }
    )
    assert scheduler.tick()[0] == ["broken", "clear-expired-sessions"]
    assert "Scheduled job broken failed" in caplog.text


def test_runserver_starts_the_scheduler_only_without_a_broker(settings):
    assert get_commands()["runserver"] == "portal"
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a broker is set: `celery -A portal beat` sends the jobs
    assert start_if_embedded() is None
