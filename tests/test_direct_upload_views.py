"""The direct upload endpoints (JSON, CSRF-protected, the artist's own upload only) against a real SeaweedFS, and
the upload page choosing its path: straight to the bucket with S3, today's streamed form without."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from submissions.models import DirectUpload
from tests.test_direct_uploads import upload_whole
from tests.video_helpers import clip

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_in_process")]
FIELDS = {"title": "Master", "prompt": "A glass city", "model_name": "Lumen"}


def post_json(client, url: str, body: dict, **extra):
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


def start(client, program, data: bytes, **fields):
    url = reverse("submissions:direct_upload_start") + f"?program={program.slug}"
    body = {"filename": "m.mp4", "size": len(data), "type": "video/mp4", "last_modified": 5,
            "fields": {**FIELDS, **fields}}  # fmt: skip
    return post_json(client, url, body)


@pytest.mark.services
def test_the_artist_starts_signs_and_completes_and_the_page_follows_to_the_video(
    client, s3_media, artist, program, django_capture_on_commit_callbacks
):
    client.force_login(artist)
    started = start(client, program, clip()).json()
    upload = DirectUpload.objects.get(public_id=started["id"])
    assert started["key"] == upload.key and started["upload_id"] == upload.s3_upload_id
    signed = post_json(client, started["sign_url"], {"operation": "upload_part", "part_number": 1}).json()
    assert signed["url"].startswith(s3_media.endpoint) and "partNumber=1" in signed["url"]
    upload_whole(upload, clip())
    with django_capture_on_commit_callbacks(execute=True):
        done = post_json(client, started["complete_url"], {})
    assert done.json()["status"] == "completed"
    page = client.get(done.json()["next_url"])
    upload.refresh_from_db()
    assert page.status_code == 302 and page["Location"] == reverse("submissions:video_detail", args=[upload.video_id])


@pytest.mark.services
def test_field_errors_and_bad_declarations_come_back_as_json(client, s3_media, artist, program):
    client.force_login(artist)
    answer = start(client, program, clip(), prompt="")
    assert answer.status_code == 400 and "prompt" in answer.json()["field_errors"]
    url = reverse("submissions:direct_upload_start") + f"?program={program.slug}"
    for body in ({"size": "big", "last_modified": 1, "fields": FIELDS}, ["not", "an", "object"]):
        assert post_json(client, url, body).status_code == 400
    assert not DirectUpload.objects.exists()


@pytest.mark.services
def test_another_artist_gets_404_on_every_endpoint_and_csrf_is_enforced(
    client, s3_media, artist, other_artist, program
):
    client.force_login(artist)
    started = start(client, program, clip()).json()
    client.force_login(other_artist)
    for name in ("sign_url", "complete_url", "abort_url", "page_url"):
        call = client.get if name == "page_url" else lambda url: post_json(client, url, {"operation": "list_parts"})
        assert call(started[name]).status_code == 404, name
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(artist)
    refused = post_json(strict, started["sign_url"], {"operation": "list_parts"})
    assert refused.status_code == 403
    assert DirectUpload.objects.get().status == DirectUpload.Status.STARTED


@pytest.mark.services
def test_a_cancelled_upload_can_no_longer_be_signed(client, s3_media, artist, program):
    client.force_login(artist)
    started = start(client, program, clip()).json()
    assert post_json(client, started["abort_url"], {}).json()["status"] == "aborted"
    refused = post_json(client, started["sign_url"], {"operation": "upload_part", "part_number": 1})
    assert refused.status_code == 409 and "cancelled" in refused.json()["error"]


@pytest.mark.services
def test_the_upload_page_sends_to_the_bucket_with_s3(client, s3_media, artist, program):
    client.force_login(artist)
    page = client.get(reverse("submissions:video_new")).content.decode()
    assert "data-direct-upload" in page and "vendor/uppy/uppy.min.js" in page


def test_without_s3_the_upload_page_keeps_the_streamed_form(client, artist, program):
    client.force_login(artist)
    page = client.get(reverse("submissions:video_new")).content.decode()
    assert "data-direct-upload" not in page and "uppy" not in page and 'enctype="multipart/form-data"' in page
    refused = start(client, program, clip())
    assert refused.status_code == 400 and "need the S3 storage" in refused.json()["error"]
