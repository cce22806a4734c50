"""Upload temporary files: an upload cut short removes its partial file at once; the hourly sweep removes what a
killed web worker left behind, and nothing else."""

import datetime as dt
import os
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from submissions.services import api_keys
from submissions.tasks.videos import sweep_upload_temp_files
from submissions.uploads import upload_temp_files_sweep

HOUR = 3600


def upload_files(folder) -> list[str]:
    return sorted(p.name for p in folder.glob("tmp*.upload*"))


def aged(path, hours: float):
    path.write_bytes(b"partial upload")
    then = time.time() - hours * HOUR
    os.utime(path, (then, then))
    return path


def test_the_sweep_removes_only_stale_upload_files(temp_uploads):
    stale = [aged(temp_uploads / name, 7) for name in ("tmpa1b2c3.upload.mp4", "tmpz9.upload")]
    fresh = aged(temp_uploads / "tmpfresh.upload.mp4", 1)  # perhaps still being received
    other = aged(temp_uploads / "notes.txt", 48)
    nested = temp_uploads / "sub"
    nested.mkdir()
    deep = aged(nested / "tmpdeep.upload.mp4", 48)  # only the folder itself is swept
    assert upload_temp_files_sweep(older_than=dt.timedelta(hours=6)) == 2
    assert not any(path.exists() for path in stale)
    assert fresh.exists() and other.exists() and deep.exists()


def test_the_sweep_is_a_scheduled_task_with_its_age_from_settings(temp_uploads, settings):
    aged(temp_uploads / "tmpold.upload.mp4", 3)
    settings.UPLOAD_TEMP_MAX_AGE_HOURS = 4
    assert sweep_upload_temp_files.delay().get() == 0
    settings.UPLOAD_TEMP_MAX_AGE_HOURS = 2
    assert sweep_upload_temp_files.delay().get() == 1
    assert upload_files(temp_uploads) == []
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == sweep_upload_temp_files.name)
    assert entry["schedule"] == HOUR


class BreakingInput:
    """A request body whose client goes away after `after` bytes, noting whether the partial file existed."""

    def __init__(self, body: bytes, after: int, folder):
        self.body, self.after, self.folder = body, after, folder
        self.position = 0
        self.partial_seen = False

    def read(self, size=-1):
        if self.position >= self.after:
            self.partial_seen = bool(upload_files(self.folder))
            raise OSError("connection reset by peer")
        size = self.after - self.position if size is None or size < 0 else min(size, self.after - self.position)
        chunk = self.body[self.position : self.position + size]
        self.position += len(chunk)
        return chunk

    def readline(self, size=-1):
        return self.read(size)


def interrupted_post(path: str, fields: dict, folder, **headers) -> tuple[int, BreakingInput]:
    body = encode_multipart(BOUNDARY, {**fields, "file": SimpleUploadedFile("clip.mp4", b"\0" * (3 << 20))})
    stream = BreakingInput(body, after=1 << 20, folder=folder)
    environ = RequestFactory()._base_environ(
        PATH_INFO=path,
        REQUEST_METHOD="POST",
        CONTENT_TYPE=MULTIPART_CONTENT,
        CONTENT_LENGTH=str(len(body)),
        **{"wsgi.input": stream},
        **headers,
    )
    statuses = []
    # As a server runs it, except that the test's database connection stays open (as the test client does).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(environ, lambda status, _headers, *exc: statuses.append(status))
        response.close()  # as the server does once the response is sent
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
    return int(statuses[0].split()[0]), stream


@pytest.mark.django_db
def test_an_api_upload_cut_short_leaves_no_partial_file(temp_uploads, program, staff, artist):
    _, raw = api_keys.api_key_create(program=program, name="Render farm", actor=staff)
    fields = {"artist": artist.email, "prompt": "Fog", "model_name": "Lumen"}
    status, stream = interrupted_post("/api/v1/videos", fields, temp_uploads, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert stream.partial_seen
    assert status >= 400
    assert upload_files(temp_uploads) == []


@pytest.mark.django_db
def test_a_form_upload_cut_short_leaves_no_partial_file(temp_uploads, client, artist):
    client.force_login(artist)
    token = "a" * 32  # the CSRF check passes, so the body is read
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}"
    fields = {"csrfmiddlewaretoken": token, "title": "Fog", "prompt": "Fog", "model_name": "Lumen"}
    status, stream = interrupted_post(reverse("submissions:video_new"), fields, temp_uploads, HTTP_COOKIE=cookie)
    assert stream.partial_seen
    assert status >= 400
    assert upload_files(temp_uploads) == []
