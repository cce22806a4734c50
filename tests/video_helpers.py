"""Helpers for tests about videos: real clips (made once per run), uploads, and videos through the services."""

import functools
import uuid

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile

from core import lifecycle
from demo import testclips
from submissions.models import DirectUpload, Video
from submissions.services import videos as video_services
from submissions.uploads import temporary_upload

PROVENANCE = video_services.Provenance(
    title="Glass city at dawn",
    prompt="A city made of glass at dawn, slow dolly shot, 35mm",
    model_name="Lumen",
    model_version="0.9.2",
    generation_settings={"seed": "42", "guidance": "7.5"},
)


@functools.cache
def clip(**kwargs) -> bytes:
    """A real clip from PyAV, made once per test run for each set of arguments."""
    return testclips.make_clip(**kwargs)


def uploaded(data: bytes, name: str = "my clip.mp4") -> TemporaryUploadedFile:
    """What the streaming upload handler hands the view: a temporary file that knows its SHA-256."""
    return temporary_upload(data, name)


def make_video(artist, program, *, data: bytes | None = None, process: bool = True, **extra) -> Video:
    """A video sent by `artist`, and (by default) processed exactly as the task would."""
    enrolment = artist.enrolments.get(program=program)
    video, created = video_services.video_create(
        enrolment=enrolment,
        actor=artist,
        source=Video.Source.UPLOAD,
        provenance=extra.pop("provenance", PROVENANCE),
        upload=uploaded(data if data is not None else clip()),
        enqueue=False,
        **extra,
    )
    assert created, "this artist already sent these exact bytes: give the clip its own hue"
    if process:
        video_services.video_process(video_id=video.pk, claim="test-claim")
        video.refresh_from_db()
    return video


@pytest.fixture
def temp_uploads(settings, tmp_path):
    """Uploads stream into this folder, so a test can prove nothing stays behind."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


def direct_upload_row(artist, program, *, size: int = 1000) -> DirectUpload:
    """A direct upload as the start service records it, without a bucket (for pages that only show it)."""
    upload = DirectUpload.objects.create(
        program=program, enrolment=artist.enrolments.get(program=program), artist=artist,
        key=f"uploads/{uuid.uuid4().hex}/master", s3_upload_id="test", part_size=16 * 1024 * 1024,
        original_filename="master.mp4", declared_size=size, declared_content_type="video/mp4",
        provenance=PROVENANCE.as_json(),
    )  # fmt: skip
    return lifecycle.start(upload, actor=artist, reason="Upload to the bucket started.")
