"""The poller and dispatcher: constant queries per job, expiry, a provider this server does not offer."""

import datetime as dt
import json
import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from studio.models import GenerationJob, GenerationModel
from studio.services.runner import QUEUE_EXPIRY, RUN_EXPIRY, poll_running
from tests.studio_helpers import ask, open_studio, tick

S = GenerationJob.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def studio(program):
    return open_studio(program, concurrency_limit=50, allowance=100)


def _sent(artist, program, count: int) -> None:
    already = GenerationJob.objects.filter(status=S.RUNNING).count()
    for n in range(count):
        ask(artist, program, prompt=f"clip {n} of {count}")
    tick()
    assert GenerationJob.objects.filter(status=S.RUNNING).count() == already + count


def _poll_queries(django_capture_on_commit_callbacks) -> int:
    with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks(execute=True):
        poll_running()
    return len(captured)


def test_each_finished_job_costs_the_same_queries(studio, artist, program, django_capture_on_commit_callbacks):
    costs = []
    for count in (1, 2, 3):
        _sent(artist, program, count)
        costs.append(_poll_queries(django_capture_on_commit_callbacks))
        assert GenerationJob.objects.filter(status=S.RUNNING).count() == 0
    assert costs[2] - costs[1] == costs[1] - costs[0] > 0, costs


def test_running_jobs_cost_no_queries_of_their_own(studio, artist, program, settings):
    from studio.providers import registry

    settings.STUDIO_LOCAL_RENDER_SECONDS = 3600
    registry.reset()
    _sent(artist, program, 3)
    GenerationJob.objects.update(progress=None)  # every job has news to write
    with CaptureQueriesContext(connection) as few:
        poll_running()
    _sent(artist, program, 9)  # 12 running now
    GenerationJob.objects.update(progress=None)
    with CaptureQueriesContext(connection) as many:
        assert poll_running() == 12
    assert len(many) == len(few)
    assert set(GenerationJob.objects.values_list("progress", flat=True)) == {0}
    registry.reset()


def test_jobs_that_wait_or_run_too_long_expire(studio, artist, program):
    waiting = ask(artist, program, prompt="waits")
    GenerationJob.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - QUEUE_EXPIRY - dt.timedelta(1))
    running = ask(artist, program, prompt="runs")
    tick()
    GenerationJob.objects.filter(pk=running.pk).update(started_at=timezone.now() - RUN_EXPIRY - dt.timedelta(1))
    # the running one would finish at this poll, but it ran too long: it expires first
    tick()
    waiting.refresh_from_db()
    running.refresh_from_db()
    assert (waiting.status, waiting.failure_kind) == (S.EXPIRED, "timed_out")
    assert (running.status, running.failure_kind) == (S.EXPIRED, "timed_out") and running.video is None
    assert "took too long" in running.failure_label


def test_a_model_whose_provider_this_server_does_not_offer_is_refused_then_failed(studio, artist, program):
    from studio.services.jobs import StudioError

    elsewhere = GenerationModel.objects.create(
        provider="runway", model_id="gen4_turbo", label="Gen-4 Turbo", durations=[5], sizes=["1280x720"]
    )
    studio.enabled_models.add(elsewhere)
    with pytest.raises(StudioError, match="not available on this server"):
        ask(artist, program, model=elsewhere, duration_seconds=5, width=1280, height=720)
    job = ask(artist, program)
    GenerationJob.objects.filter(pk=job.pk).update(model=elsewhere)  # credentials removed after it was queued
    tick()
    job.refresh_from_db()
    assert (job.status, job.failure_kind, job.provider_code) == (S.FAILED, "unreachable", "provider_unavailable")


def test_the_providers_are_asked_at_once_not_one_after_another(studio, artist, program, settings):
    """Each answer is a round trip to the provider: ten jobs at 0.3 s each would take 3 s one after another."""
    from pytest_httpserver import HTTPServer
    from werkzeug import Response

    from studio.providers import registry

    def slow_task(request):
        time.sleep(0.3)
        task_id = request.path.rsplit("/", 1)[1]
        body = {"id": task_id, "createdAt": "2026-12-04T21:00:00.000Z", "status": "RUNNING", "progress": 0.5}
        return Response(json.dumps(body), content_type="application/json")

    server = HTTPServer(threaded=True)
    server.expect_request(re.compile(r"^/v1/tasks/[\w-]+$"), method="GET").respond_with_handler(slow_task)
    server.start()
    try:
        settings.RUNWAYML_API_SECRET, settings.RUNWAY_BASE_URL = "key_test", server.url_for("").rstrip("/")
        settings.STUDIO_LOCAL_RENDER_SECONDS = 3600
        registry.reset()
        _sent(artist, program, 10)
        runway_model = GenerationModel.objects.create(
            provider="runway", model_id="gen4.5", label="Runway Gen-4.5", durations=[5], sizes=["1280x720"]
        )
        for number, job in enumerate(GenerationJob.objects.filter(status=S.RUNNING)):
            job.model, job.provider_job_id = runway_model, f"task-{number}"
            job.save(update_fields=["model", "provider_job_id"])
        started = time.monotonic()
        assert poll_running() == 10
        elapsed = time.monotonic() - started
        assert len(server.log) == 10 and elapsed < 1.5, elapsed
        assert set(GenerationJob.objects.values_list("progress", flat=True)) == {50}
    finally:
        server.stop()
        registry.reset()
