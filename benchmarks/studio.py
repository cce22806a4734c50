"""Benchmark: the studio's poller and the artist's studio page.

1. The poller (`poll_running`, what the beat job runs every STUDIO_POLL_SECONDS) with 1,000 running jobs across
   providers: half on the stand-in renderer, half on the Runway adapter (the real `runwayml` SDK) against a local
   server that speaks Runway's task shape and takes PROVIDER_LATENCY seconds to answer each poll. Every job reports
   "running, n %", so every job is polled, read and its progress written:
   one read and one progress write per 500 jobs in one transaction (4 queries with BEGIN and COMMIT for 100 jobs,
   5 for 1,000), and one pass must fit in
   one beat interval. (A job that ends costs a constant number more: tests/test_studio_runner.py counts them.)
2. The studio page of an artist with 500 jobs (queued, running, finished, failed): the same number of queries as
   with 5 jobs. Prints the median render time.

    .venv/bin/python benchmarks/studio.py            # a throwaway SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/glasshouse_studio .venv/bin/python benchmarks/studio.py

With DATABASE_URL, the database is created (if missing) and flushed: never point it at real data.
Exits 1 if a check fails.
"""

import logging
import os
import re
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
_tmp = tempfile.TemporaryDirectory()
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp.name}/bench.sqlite3")
os.environ["STUDIO_LOCAL_RENDER_SECONDS"] = str(24 * 3600)  # the stand-in stays "running" all through

import django  # noqa: E402

warnings.filterwarnings("ignore", "No directory at")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from benchmarks.statement_page import _create_database  # noqa: E402

RUNNING, FEW_RUNNING = 1_000, 100
PROVIDER_LATENCY = float(os.environ.get("BENCH_PROVIDER_LATENCY", "0.15"))  # seconds a remote provider takes to answer
PAGE_JOBS, FEW_JOBS = 500, 5
RUNS = int(os.environ.get("BENCH_RUNS", "11"))


def _world():
    from portal.models import User
    from programs.models import Cohort, Enrolment, Program
    from studio.providers import registry
    from studio.services.catalogue import stand_in_model, studio_open

    settings.MEDIA_ROOT = _tmp.name + "/media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": settings.MEDIA_ROOT}}}  # fmt: skip
    registry.reset()
    program = Program.objects.create(slug="bench", name="Bench", pitch="Benchmark.", status=Program.Status.RUNNING)
    cohort = Cohort.objects.create(program=program, name="One", capacity=2000)
    studio_open(program=program, models=[stand_in_model()], allowance=100_000, concurrency_limit=500)
    people = []
    for n in range(3):
        user = User.objects.create_user(email=f"a{n}@example.com", password=None, display_name=f"Artist {n}")
        Enrolment.objects.create(user=user, program=program, cohort=cohort, status=Enrolment.Status.ACTIVE)
        people.append(user)
    return program, people


def _jobs(artist, program, count: int, status: str, *, send: bool = False, model=None) -> list[int]:
    """`count` jobs in `status`, bulk-made as fixtures (with one history row each); running ones sent to the
    stand-in renderer, or given the ids of tasks the local Runway server answers for when `model` is Runway's."""
    from studio.models import GenerationJob, GenerationJobEvent
    from studio.providers import registry
    from studio.services.catalogue import stand_in_model
    from studio.services.runner import request_for

    model, enrolment = model or stand_in_model(), artist.enrolments.get(program=program)
    now = timezone.now()
    rows = [
        GenerationJob(
            status=status, program=program, enrolment=enrolment, artist=artist, model_id=model.pk,
            prompt=f"Benchmark clip {n}: gulls over a harbour", duration_seconds=2, width=640, height=360,
            aspect_ratio="16:9", seed=n, started_at=now if status != "queued" else None,
            finished_at=now if status in ("succeeded", "failed") else None,
            failure_kind="safety" if status == "failed" else "",
        )
        for n in range(count)
    ]  # fmt: skip
    made = GenerationJob.objects.bulk_create(rows)
    GenerationJobEvent.objects.bulk_create(GenerationJobEvent(job=job, to_status=status) for job in made)
    if send:
        provider = registry.get_provider(model.provider)
        for job in made:
            remote = f"bench-task-{job.pk}"
            job.provider_job_id = (
                remote if model.provider == "runway" else provider.submit(request_for(job)).provider_job_id
            )
        GenerationJob.objects.bulk_update(made, ["provider_job_id"])
    return [job.pk for job in made]


def _poll_queries() -> tuple[int, float, int]:
    from studio.models import GenerationJob
    from studio.services.runner import poll_running

    GenerationJob.objects.filter(status="running").update(progress=None)  # so that every job has news to write

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        polled = poll_running()
        elapsed = time.perf_counter() - started
    return len(captured), elapsed, polled


def runway_server():
    """A local server answering Runway's GET /v1/tasks/{id} (runwayml/types/task_retrieve_response.py) after
    PROVIDER_LATENCY seconds, many at once, as the real API does."""
    import json

    from pytest_httpserver import HTTPServer
    from werkzeug import Response

    def task(request):
        time.sleep(PROVIDER_LATENCY)
        body = {"id": request.path.rsplit("/", 1)[1], "createdAt": "2026-12-04T21:00:00.000Z", "status": "RUNNING",
                "progress": 0.4, "estimatedCost": {"credits": 40}}  # fmt: skip
        return Response(json.dumps(body), content_type="application/json")

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
    server = HTTPServer(threaded=True)
    server.expect_request(re.compile(r"^/v1/tasks/[\w-]+$"), method="GET").respond_with_handler(task)
    server.start()
    return server


def bench_poller(program, artist) -> bool:
    from studio.models import GenerationJob, GenerationModel
    from studio.providers import registry

    server = runway_server()
    settings.RUNWAYML_API_SECRET, settings.RUNWAY_BASE_URL = "key_bench", server.url_for("").rstrip("/")
    registry.reset()
    runway = GenerationModel.objects.create(
        provider="runway", model_id="gen4.5", label="Runway Gen-4.5", durations=[5], sizes=["1280x720"]
    )
    try:
        _jobs(artist, program, FEW_RUNNING // 2, "running", send=True)
        _jobs(artist, program, FEW_RUNNING - FEW_RUNNING // 2, "running", send=True, model=runway)
        few_queries, _few_seconds, few_polled = _poll_queries()
        half = (RUNNING - FEW_RUNNING) // 2
        _jobs(artist, program, half, "running", send=True)
        _jobs(artist, program, RUNNING - FEW_RUNNING - half, "running", send=True, model=runway)
        queries, seconds, polled = _poll_queries()
    finally:
        server.stop()
    remote = GenerationJob.objects.filter(status="running", model=runway).count()
    bound = 1 + -(-RUNNING // 500) + 2  # one read, one progress write per 500 jobs, in one transaction
    progressed = GenerationJob.objects.filter(status="running", progress__isnull=False).count()
    interval = settings.STUDIO_POLL_SECONDS
    print(f"poller: {polled} running jobs ({remote} on Runway's shape at {PROVIDER_LATENCY * 1000:.0f} ms a poll, "
          f"{settings.STUDIO_POLL_THREADS} at once; the rest on the stand-in) polled in {seconds:.2f} s "
          f"(beat interval {interval} s); "
          f"{queries} queries ({few_queries} with {few_polled} jobs), {queries / polled:.3f} per job; "
          f"{progressed} progress updates written")  # fmt: skip
    GenerationJob.objects.filter(status="running").delete()
    ok = queries <= bound and few_queries <= 4 and seconds < interval and polled == RUNNING
    if not ok:
        print("FAIL: the poller's queries grow faster than its jobs, or one pass does not fit in a beat interval")
    return ok


def bench_page(program, artist, other) -> bool:
    from studio.models import GenerationJob

    url = reverse("studio:home")
    client = Client()

    def queries_for(user) -> int:
        client.force_login(user)
        assert client.get(url).status_code == 200  # the session's first request records the sign-in
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    # Oldest first; the newest are queued, so both first pages show queue positions and estimated waits.
    for status, share in (("succeeded", 0.6), ("failed", 0.1), ("running", 0.1), ("queued", 0.2)):
        _jobs(artist, program, int(PAGE_JOBS * share), status)
        _jobs(other, program, max(1, int(FEW_JOBS * share)), status)
    jobs_many = GenerationJob.objects.filter(artist=artist).count()
    jobs_few = GenerationJob.objects.filter(artist=other).count()
    many, few = queries_for(artist), queries_for(other)
    if os.environ.get("BENCH_SHOW_QUERIES"):
        for user in (artist, other):
            client.force_login(user)
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            print(user, *[q["sql"][:150] for q in captured.captured_queries], sep="\n  ")
    client.force_login(artist)
    client.get(url)
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(url)
        samples.append(time.perf_counter() - started)
    print(f"studio page: {few} queries with {jobs_few} jobs, {many} queries with {jobs_many} jobs; "
          f"median {statistics.median(samples) * 1000:.1f} ms over {RUNS} runs")  # fmt: skip
    if many != few:
        print("FAIL: the studio page's queries grow with the artist's jobs")
    return many == few


def main() -> int:
    setup_test_environment()
    _create_database()
    program, (artist, other, third) = _world()
    print(f"database: {connection.vendor}")
    ok_poller = bench_poller(program, third)
    ok_page = bench_page(program, artist, other)
    return 0 if ok_poller and ok_page else 1


if __name__ == "__main__":
    sys.exit(main())
