"""Processing: the task claims the work once, checks every frame, makes stills, and retries only what may pass."""

import datetime as dt
import socket
import threading
import time
from pathlib import Path

import pytest
from celery.signals import task_postrun
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from demo import testclips
from portal.celery import app as celery_app
from submissions import media, storage
from submissions.models import ProgramMediaPolicy, Video, VideoEvent, VideoThumbnail
from submissions.services import videos as video_services
from submissions.storage import TransientStorageError
from submissions.tasks.videos import process_video
from tests.celery_broker import REDIS_URL, queued_on, redis_reachable
from tests.video_helpers import PROVENANCE, clip, make_video

pytestmark = pytest.mark.usefixtures("tasks_in_process")  # processing runs here, even with a broker set

S = Video.Status


def media_files(settings) -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def send_by_key(artist, program, data: bytes, *, key_name: str = "drop.mp4") -> Video:
    """What the API does with a `source_key`: the file is adopted from incoming/ without a header check."""
    source_key = default_storage.save(f"incoming/{program.slug}/{key_name}", ContentFile(data))
    video, _ = video_services.video_create(
        enrolment=artist.enrolments.get(program=program),
        actor=None,
        source=Video.Source.API,
        provenance=PROVENANCE,
        source_key=source_key,
        enqueue=False,
    )
    return video


@pytest.mark.django_db
def test_processing_records_what_the_file_is(artist, program):
    video = make_video(artist, program)
    assert video.status == S.PENDING_REVIEW
    assert (video.width, video.height, video.video_codec, video.audio_codec) == (320, 240, "h264", "aac")
    assert video.container == "mp4" and video.duration_seconds > 1
    assert video.sha256 and video.size_bytes == len(clip())
    assert video.processed_at is not None and video.processing_claim == ""
    assert [t.position for t in video.thumbnails.all()] == [1, 2, 3]
    assert video.events.last().reason.startswith("Checked: 2.0 s, 320x240, h264")


@pytest.mark.django_db
def test_running_the_task_twice_makes_no_second_thumbnail_or_row(artist, program, settings):
    video = make_video(artist, program, process=False)
    first = process_video.apply(args=[video.pk])
    files_after_first = media_files(settings)
    second = process_video.apply(args=[video.pk])
    assert (first.get(), second.get()) == ("pending_review", "nothing to do")
    assert VideoThumbnail.objects.filter(video=video).count() == 3
    assert VideoEvent.objects.filter(video=video).count() == 3
    assert media_files(settings) == files_after_first
    assert len(files_after_first) == 5  # original, poster, three stills


@pytest.mark.django_db
def test_the_same_claim_may_redo_the_work_without_duplicates(artist, program, settings):
    """A retry of the same task (same id) redoes the stills under the same names."""
    video = make_video(artist, program, process=False)
    claimed = video_services.video_claim_processing(video_id=video.pk, claim="task-1")
    assert claimed.status == S.PROCESSING
    again = video_services.video_claim_processing(video_id=video.pk, claim="task-1")
    assert again is not None and again.processing_attempts == 2
    video_services.video_process(video_id=video.pk, claim="task-1")
    assert VideoThumbnail.objects.filter(video=video).count() == 3
    assert len(media_files(settings)) == 5
    assert list(video.events.values_list("to_status", flat=True)) == ["uploaded", "processing", "pending_review"]


@pytest.mark.django_db
def test_another_worker_cannot_take_a_claimed_video_until_the_lease_runs_out(artist, program):
    video = make_video(artist, program, process=False)
    video_services.video_claim_processing(video_id=video.pk, claim="task-1")
    assert video_services.video_claim_processing(video_id=video.pk, claim="task-2") is None
    Video.objects.filter(pk=video.pk).update(processing_started_at=timezone.now() - dt.timedelta(minutes=11))
    taken = video_services.video_claim_processing(video_id=video.pk, claim="task-2")
    assert taken.processing_claim == "task-2" and taken.processing_attempts == 2


@pytest.mark.django_db
def test_a_file_cut_short_is_rejected_with_its_reason_and_its_bytes_deleted(
    artist, program, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        video = send_by_key(artist, program, testclips.truncated_data())
    original = video.file.name
    with django_capture_on_commit_callbacks(execute=True):
        process_video.apply(args=[video.pk])
    video.refresh_from_db()
    assert video.status == S.REJECTED_INVALID
    assert "truncated" in video.invalid_reason
    assert video.events.last().reason == video.invalid_reason
    assert not video.file and not video.poster and video.thumbnails.count() == 0
    assert not default_storage.exists(original)
    assert media_files(settings) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (testclips.garbage(), "not a video we can read"),
        (testclips.png_image(), "PNG image"),
        (b"", "empty"),
    ],
    ids=["garbage", "png", "empty"],
)
def test_what_the_api_drops_in_is_checked_by_processing(artist, program, data, reason):
    video = send_by_key(artist, program, data or b"x")
    if not data:  # an object emptied after it was sent
        default_storage.delete(video.file.name)
        default_storage.save(video.file.name, ContentFile(b""))
    process_video.apply(args=[video.pk])
    video.refresh_from_db()
    assert video.status == S.REJECTED_INVALID and reason in video.invalid_reason


@pytest.mark.django_db
def test_processing_enforces_the_programs_limits(artist, program):
    ProgramMediaPolicy.objects.create(program=program, max_duration_seconds=1)
    video = send_by_key(artist, program, clip())
    process_video.apply(args=[video.pk])
    video.refresh_from_db()
    assert video.status == S.REJECTED_INVALID
    assert "this program accepts at most 1 s" in video.invalid_reason


@pytest.mark.django_db
def test_the_same_bytes_dropped_in_twice_are_caught_by_processing(artist, program):
    first = make_video(artist, program)
    second = send_by_key(artist, program, clip())
    process_video.apply(args=[second.pk])
    second.refresh_from_db()
    assert second.status == S.REJECTED_INVALID
    assert f"identical to “{first.display_title}”" in second.invalid_reason


@pytest.mark.django_db
def test_a_video_withdrawn_while_processing_stays_withdrawn(artist, program):
    video = make_video(artist, program, process=False)
    claimed = video_services.video_claim_processing(video_id=video.pk, claim="task-1")
    video_services.video_withdraw(video=claimed, actor=artist)
    assert video_services.video_process(video_id=video.pk, claim="task-1") is None
    video.refresh_from_db()
    assert video.status == S.WITHDRAWN


@pytest.mark.django_db
def test_a_missing_file_is_rejected_not_retried(artist, program):
    video = make_video(artist, program, process=False)
    default_storage.delete(video.file.name)
    process_video.apply(args=[video.pk])
    video.refresh_from_db()
    assert video.status == S.REJECTED_INVALID and "not found in storage" in video.invalid_reason


def closed_loopback_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_storage_that_cannot_be_reached_is_retried_and_the_video_waits(artist, program, settings, monkeypatch):
    video = make_video(artist, program, process=False)
    local_storage = settings.STORAGES["default"]
    # A real S3 client against a port where nothing listens: connection refused, as in an outage.
    from botocore.config import Config

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "media",
                "endpoint_url": f"http://127.0.0.1:{closed_loopback_port()}",
                "access_key": "x",
                "secret_key": "y",
                "client_config": Config(retries={"max_attempts": 1}, connect_timeout=1),
            },
        },
    }
    # Eager retries run at once, one after another; let the last failure be returned rather than raised.
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)
    result = process_video.apply(args=[video.pk], task_id="outage-task")
    assert isinstance(result.result, TransientStorageError)
    video.refresh_from_db()
    assert video.status == S.PROCESSING  # not blamed on the artist
    assert video.processing_attempts == process_video.max_retries + 1
    settings.STORAGES = {**settings.STORAGES, "default": local_storage}
    assert process_video.apply(args=[video.pk], task_id="outage-task").get() == "pending_review"


def test_the_task_has_time_limits_and_retries_only_transient_errors():
    assert process_video.soft_time_limit > video_services.PROCESSING_SECONDS
    assert process_video.time_limit > process_video.soft_time_limit
    assert process_video.autoretry_for == (TransientStorageError,)
    assert process_video.acks_late is True


@pytest.mark.django_db
def test_stalled_videos_are_sent_again_and_hopeless_ones_rejected(artist, program, django_capture_on_commit_callbacks):
    waiting = make_video(artist, program, process=False)
    Video.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    stuck = make_video(artist, program, process=False, data=clip(hue=100))
    video_services.video_claim_processing(video_id=stuck.pk, claim="dead-worker")
    Video.objects.filter(pk=stuck.pk).update(
        processing_started_at=timezone.now() - dt.timedelta(hours=1),
        processing_attempts=video_services.MAX_PROCESSING_ATTEMPTS,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert video_services.video_requeue_stalled() == 1
    waiting.refresh_from_db()
    stuck.refresh_from_db()
    assert waiting.status == S.PENDING_REVIEW
    assert stuck.status == S.REJECTED_INVALID and "after 3 attempts" in stuck.invalid_reason


@pytest.mark.django_db
def test_a_run_interrupted_after_its_stills_were_stored_leaves_no_file_once_the_video_is_given_up(
    artist, program, settings, django_capture_on_commit_callbacks
):
    """A killed run wrote the poster and thumbnails but never recorded the poster; when the sweeper gives the
    video up, every file of it is deleted, the unrecorded poster included."""
    video = make_video(artist, program, process=False)
    claimed = video_services.video_claim_processing(video_id=video.pk, claim="killed-run")
    with storage.local_copy(video.file.name) as path:
        policy = ProgramMediaPolicy.for_program(program)
        report = media.analyse(path, policy=policy, full=True, deadline=time.monotonic() + 60)
    video_services._store_stills(claimed, report)  # what the killed run got done
    folder = Path(settings.MEDIA_ROOT) / video.storage_name("")
    assert {path.name for path in folder.iterdir()} == {
        "original.mp4",
        "poster.jpg",
        "thumb-1.jpg",
        "thumb-2.jpg",
        "thumb-3.jpg",
    }
    Video.objects.filter(pk=video.pk).update(
        processing_started_at=timezone.now() - video_services.PROCESSING_LEASE - dt.timedelta(seconds=1),
        processing_attempts=video_services.MAX_PROCESSING_ATTEMPTS,
    )
    with django_capture_on_commit_callbacks(execute=True):
        video_services.video_requeue_stalled()
    video.refresh_from_db()
    assert video.status == S.REJECTED_INVALID
    assert list(folder.iterdir()) == []


def test_the_lease_outlasts_a_live_run_and_the_sweeper_recovers_a_lost_one_within_minutes(settings):
    assert video_services.PROCESSING_LEASE.total_seconds() > process_video.time_limit
    sweep = settings.CELERY_BEAT_SCHEDULE["requeue-stalled-videos"]["schedule"]
    assert video_services.PROCESSING_LEASE.total_seconds() + sweep <= 10 * 60
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > max(
        task.time_limit or settings.CELERY_TASK_TIME_LIMIT
        for task in celery_app.tasks.values()
        if not task.name.startswith("celery.")
    )


# --- A real worker through a real Redis broker --------------------------------------------------


@pytest.fixture
def celery_worker_on_redis():
    """A Celery worker thread consuming from Redis (DB 2), as in production; tasks are not eager here."""
    if not redis_reachable():
        pytest.skip("needs Redis on 127.0.0.1:6379 (.ci/run starts it)")
    from celery.contrib.testing.worker import start_worker

    with queued_on(REDIS_URL) as app, start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        yield app


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_processes_an_upload_sent_through_redis(artist, program, celery_worker_on_redis):
    video = make_video(artist, program, process=False, data=clip(hue=50))
    done = threading.Event()

    def finished(task_id=None, retval=None, **kwargs):
        if task_id == sent.id:
            done.set()

    task_postrun.connect(finished, weak=False)
    try:
        sent = process_video.delay(video.pk)
        # Wait for the worker's own signal rather than polling: SQLite's shared test database locks tables.
        assert done.wait(timeout=30), "the worker did not run the task within 30 s"
    finally:
        task_postrun.disconnect(finished)
    video.refresh_from_db()
    assert video.status == S.PENDING_REVIEW
    assert video.thumbnails.count() == 3
