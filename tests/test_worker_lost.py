"""A worker's pool process is killed mid-task (as the OOM killer does): the task goes back to the queue, runs
again exactly once, and the video is processed with no file left over from the interrupted run."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.db import connection

from submissions.models import Video
from tests.celery_broker import queued_on
from tests.video_helpers import clip, make_video

S = Video.Status
ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def prefork_worker(settings):
    """`celery -A portal worker` as production runs it (prefork pool, one process), on this test's database,
    broker and media folder."""
    if connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL:
        pytest.skip("needs PostgreSQL and a Redis broker (the services run of .ci/run)")
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()  # this test process's own broker database
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    command = [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=prefork", "--concurrency=1"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=info", "-n", "killtest@%h"]
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        print(worker.stdout.read())


def wait_for(condition, seconds: float, step: float = 0.005):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(step)
    return None


def status_of(video: Video) -> str:
    return Video.objects.values_list("status", flat=True).get(pk=video.pk)


def test_a_task_whose_pool_process_is_killed_runs_again_once_and_leaves_no_orphan(
    artist, program, settings, prefork_worker
):
    video = make_video(artist, program, process=False, data=clip(seconds=15, audio=False, hue=220))
    assert wait_for(lambda: children_of(prefork_worker.pid), seconds=60, step=0.1), "the pool did not start"
    with queued_on(settings.CELERY_BROKER_URL):
        from submissions.tasks import process_video

        process_video.delay(video.pk)

    # The moment the pool process has claimed the video, freeze it mid-task, then kill it as the OOM killer does.
    assert wait_for(lambda: status_of(video) == S.PROCESSING, seconds=60), "the worker never started the task"
    (child,) = children_of(prefork_worker.pid)
    os.kill(child, signal.SIGSTOP)
    assert status_of(video) == S.PROCESSING, "the task finished before it could be interrupted"
    os.kill(child, signal.SIGKILL)

    assert wait_for(lambda: status_of(video) == S.PENDING_REVIEW, seconds=60, step=0.1), "the task was not re-run"
    time.sleep(3)  # time enough for a second, unwanted re-run to show
    video.refresh_from_db()
    assert video.status == S.PENDING_REVIEW
    assert video.processing_claim == "" and video.processing_attempts == 2  # the killed run, then exactly one more
    assert video.events.filter(to_status=S.PROCESSING).count() == 1
    assert video.events.filter(to_status=S.PENDING_REVIEW).count() == 1
    assert child not in children_of(prefork_worker.pid)
    folder = Path(settings.MEDIA_ROOT) / video.storage_name("")
    on_disk = {str(path.relative_to(settings.MEDIA_ROOT)) for path in folder.iterdir()}
    recorded = {video.file.name, video.poster.name, *video.thumbnails.values_list("image", flat=True)}
    assert on_disk == recorded
