import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from portal.celery import app
from portal.tasks import clear_expired_sessions


@pytest.mark.django_db  # Celery's Django fixup runs the system checks while importing the task modules
def test_every_scheduled_job_names_a_registered_task():
    app.loader.import_default_modules()
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, f"beat entry {name} names an unknown task {entry['task']}"


@pytest.mark.django_db
def test_expired_sessions_are_cleared_and_live_ones_kept():
    live, expired = SessionStore(), SessionStore()
    live.create()
    expired.create()
    Session.objects.filter(pk=expired.session_key).update(expire_date=timezone.now() - dt.timedelta(days=1))
    clear_expired_sessions.delay()
    assert list(Session.objects.values_list("pk", flat=True)) == [live.session_key]
