"""Direct uploads against a real SeaweedFS: the browser's part of the protocol is played here with the presigned URLs
the portal signs (plain HTTP, no credentials), so every check runs against the bucket itself."""

import datetime as dt
import hashlib
import re
import struct
import urllib.error
import urllib.request
from xml.sax.saxutils import escape

import pytest
from botocore.exceptions import ClientError
from django.utils import timezone

from submissions.models import DirectUpload, Video
from submissions.services import direct_uploads as services
from tests.video_helpers import PROVENANCE, clip, make_video

pytestmark = [pytest.mark.services, pytest.mark.django_db, pytest.mark.usefixtures("tasks_in_process")]
S = DirectUpload.Status
MiB = 1024 * 1024


def padded_clip(total: int, **kwargs) -> bytes:
    """A real MP4 grown to `total` bytes with a top-level `free` box, which players and PyAV skip."""
    data = clip(**kwargs)
    filler = total - len(data)
    return data + struct.pack(">I", filler) + b"free" + bytes(filler - 8)


def http(method: str, url: str, body: bytes = b"") -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, data=body or None, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def start(artist, program, data: bytes, *, content_type="video/mp4", last_modified=1, **kwargs) -> DirectUpload:
    upload, _created = services.direct_upload_start(
        enrolment=artist.enrolments.get(program=program), actor=artist, filename="master.mp4", size=len(data),
        content_type=content_type, last_modified=last_modified, provenance=PROVENANCE, **kwargs,
    )  # fmt: skip
    return upload


def send_parts(upload: DirectUpload, data: bytes, *, only: set[int] | None = None) -> list[tuple[int, str]]:
    """PUT each part to its presigned URL, as Uppy does; returns (number, ETag) of the parts sent."""
    sent = []
    for number in range(1, upload.part_count + 1):
        if only is not None and number not in only:
            continue
        url = services.direct_upload_sign(
            upload=upload, actor=upload.artist, operation="upload_part", part_number=number
        )
        chunk = data[(number - 1) * upload.part_size : number * upload.part_size]
        status, headers, _ = http("PUT", url, chunk)
        assert status == 200, status
        sent.append((number, headers["ETag"]))
    return sent


def listed_parts(upload: DirectUpload) -> list[int]:
    url = services.direct_upload_sign(upload=upload, actor=upload.artist, operation="list_parts")
    status, _, body = http("GET", url)
    assert status == 200
    return [int(n) for n in body.decode().split("<PartNumber>")[1:] for n in [n.split("<")[0]]]


def complete_at_bucket(upload: DirectUpload, parts: list[tuple[int, str]]) -> None:
    xml = "".join(f"<Part><PartNumber>{n}</PartNumber><ETag>{escape(etag)}</ETag></Part>" for n, etag in parts)
    url = services.direct_upload_sign(upload=upload, actor=upload.artist, operation="complete")
    status, _, body = http("POST", url, f"<CompleteMultipartUpload>{xml}</CompleteMultipartUpload>".encode())
    assert status == 200, body


def upload_whole(upload: DirectUpload, data: bytes) -> None:
    complete_at_bucket(upload, send_parts(upload, data))


def exists(server, key: str) -> bool:
    try:
        server.client().head_object(Bucket=server.bucket, Key=key)
        return True
    except ClientError:
        return False


def open_multipart_keys(server) -> set[str]:
    listed = server.client().list_multipart_uploads(Bucket=server.bucket, Prefix="uploads/")
    return {item["Key"] for item in listed.get("Uploads", [])}


@pytest.fixture
def small_parts(settings):
    settings.DIRECT_UPLOAD_PART_BYTES = 5 * MiB


def test_a_master_in_three_parts_becomes_a_video_hashed_from_the_bucket(
    s3_media, small_parts, artist, program, django_capture_on_commit_callbacks
):
    data = padded_clip(12 * MiB)
    upload = start(artist, program, data)
    assert upload.key == f"uploads/{upload.public_id.hex}/master" and upload.part_count == 3
    upload_whole(upload, data)
    with django_capture_on_commit_callbacks(execute=True):
        upload = services.direct_upload_complete(upload=upload, actor=artist)
    upload.refresh_from_db()
    video = upload.video
    assert upload.status == S.PROCESSED and upload.container == "mp4"
    assert video.status == Video.Status.PENDING_REVIEW, video.invalid_reason
    assert video.sha256 == upload.sha256 == hashlib.sha256(data).hexdigest()
    assert (video.file.name, video.size_bytes, video.original_filename) == (upload.key, len(data), "master.mp4")
    assert video.prompt == PROVENANCE.prompt and video.generation_settings == PROVENANCE.generation_settings
    assert [e.to_status for e in upload.events.all()] == [S.STARTED, S.COMPLETED, S.PROCESSED]


def test_the_same_file_again_resumes_its_open_upload_and_lists_the_parts_already_sent(
    s3_media, small_parts, artist, program
):
    data = padded_clip(11 * MiB)
    first = start(artist, program, data)
    send_parts(first, data, only={1})
    again = start(artist, program, data)
    assert again.pk == first.pk and listed_parts(again) == [1]
    assert start(artist, program, data, last_modified=2).pk != first.pk  # another file of the same name and size
    complete_at_bucket(again, [*send_parts(again, data, only={1}), *send_parts(again, data, only={2, 3})])
    assert services.direct_upload_complete(upload=again, actor=artist).status == S.COMPLETED


@pytest.mark.parametrize(
    ("size", "content_type", "message"),
    [
        (0, "video/mp4", "empty"),
        (200 * MiB + 1, "video/mp4", "larger than this program's limit of 200.0 MB"),
        (MiB, "image/png", "accepts MP4, QuickTime MOV, WebM videos"),
        (MiB, "video/x-matroska", "accepts MP4"),
    ],
)
def test_start_refuses_what_the_program_does_not_take(s3_media, artist, program, size, content_type, message):
    before = open_multipart_keys(s3_media)
    with pytest.raises(services.DirectUploadError, match=re.escape(message)):
        services.direct_upload_start(
            enrolment=artist.enrolments.get(program=program), actor=artist, filename="x.mp4", size=size,
            content_type=content_type, last_modified=1, provenance=PROVENANCE,
        )  # fmt: skip
    assert not DirectUpload.objects.exists() and open_multipart_keys(s3_media) == before


def test_start_also_respects_the_proxy_limit(s3_media, settings, artist, program):
    settings.UPLOAD_MAX_BYTES = 10 * MiB
    with pytest.raises(services.DirectUploadError, match=r"limit of 10\.0 MB"):
        start(artist, program, bytes(10 * MiB + 1))


def test_part_numbers_are_bounded_and_only_the_artist_may_sign(s3_media, small_parts, artist, other_artist, program):
    upload = start(artist, program, padded_clip(11 * MiB))
    for number in (0, 4, None):
        with pytest.raises(services.DirectUploadError, match="Part numbers run from 1 to 3"):
            services.direct_upload_sign(upload=upload, actor=artist, operation="upload_part", part_number=number)
    with pytest.raises(services.DirectUploadError, match="Only the artist"):
        services.direct_upload_sign(upload=upload, actor=other_artist, operation="upload_part", part_number=1)
    with pytest.raises(services.DirectUploadError, match="Unknown request"):
        services.direct_upload_sign(upload=upload, actor=artist, operation="delete_object")


def test_a_presigned_part_url_cannot_be_bent_to_another_part(s3_media, artist, program):
    upload = start(artist, program, clip())
    url = services.direct_upload_sign(upload=upload, actor=artist, operation="upload_part", part_number=1)
    assert http("PUT", url.replace("partNumber=1", "partNumber=2"), b"x")[0] == 403


def test_complete_before_the_bucket_has_the_file_says_so_and_keeps_the_upload_open(s3_media, artist, program):
    upload = start(artist, program, clip())
    send_parts(upload, clip())
    with pytest.raises(services.DirectUploadError, match="not received the whole file"):
        services.direct_upload_complete(upload=upload, actor=artist)
    assert DirectUpload.objects.get(pk=upload.pk).status == S.STARTED


def test_completing_twice_takes_the_video_in_once(s3_media, artist, program, django_capture_on_commit_callbacks):
    upload = start(artist, program, clip())
    upload_whole(upload, clip())
    with django_capture_on_commit_callbacks(execute=True):
        services.direct_upload_complete(upload=upload, actor=artist)
        again = services.direct_upload_complete(upload=DirectUpload.objects.get(pk=upload.pk), actor=artist)
    assert again.status == S.COMPLETED  # the double click: nothing more queued
    after = services.direct_upload_complete(upload=DirectUpload.objects.get(pk=upload.pk), actor=artist)
    assert after.status == S.PROCESSED
    assert Video.objects.count() == 1 and DirectUpload.objects.get(pk=upload.pk).events.count() == 3
    assert services.direct_upload_process(upload_id=upload.pk) is None  # a repeated task finds nothing to do


def test_an_image_declared_as_a_video_is_refused_by_its_bytes_and_deleted(
    s3_media, artist, program, django_capture_on_commit_callbacks
):
    png = b"\x89PNG\r\n\x1a\n" + bytes(5000)
    upload = start(artist, program, png)
    upload_whole(upload, png)
    with django_capture_on_commit_callbacks(execute=True):
        upload = services.direct_upload_complete(upload=upload, actor=artist)
    assert upload.status == S.REJECTED and "it is a PNG image" in upload.reason
    assert not exists(s3_media, upload.key) and not Video.objects.exists()


def test_a_stored_object_of_another_size_than_declared_is_refused_and_deleted(
    s3_media, artist, program, django_capture_on_commit_callbacks
):
    data = clip()
    upload = start(artist, program, data + b"more")  # declares 4 bytes more than it sends
    upload_whole(upload, data)
    with django_capture_on_commit_callbacks(execute=True):
        upload = services.direct_upload_complete(upload=upload, actor=artist)
    assert upload.status == S.REJECTED and "bytes where the file had" in upload.reason
    assert not exists(s3_media, upload.key)


def test_a_file_already_sent_is_refused_as_a_duplicate_and_only_its_copy_deleted(
    s3_media, artist, program, django_capture_on_commit_callbacks
):
    earlier = make_video(artist, program, data=clip(hue=40))
    upload = start(artist, program, clip(hue=40))
    upload_whole(upload, clip(hue=40))
    with django_capture_on_commit_callbacks(execute=True):
        services.direct_upload_complete(upload=upload, actor=artist)
    upload.refresh_from_db()
    assert upload.status == S.REJECTED and "already sent this exact file" in upload.reason
    assert upload.video == earlier and Video.objects.count() == 1
    assert not exists(s3_media, upload.key) and exists(s3_media, earlier.file.name)


def test_a_malformed_video_is_rejected_by_processing_and_its_object_deleted(
    s3_media, artist, program, django_capture_on_commit_callbacks
):
    broken = clip()[:32] + bytes(20000)  # an MP4 header, then nothing playable
    upload = start(artist, program, broken)
    upload_whole(upload, broken)
    with django_capture_on_commit_callbacks(execute=True):
        services.direct_upload_complete(upload=upload, actor=artist)
    upload.refresh_from_db()
    video = upload.video
    assert video.status == Video.Status.REJECTED_INVALID and video.invalid_reason
    assert not exists(s3_media, upload.key)


def test_aborting_removes_the_parts_and_is_harmless_twice(
    s3_media, small_parts, artist, program, django_capture_on_commit_callbacks
):
    data = padded_clip(11 * MiB)
    upload = start(artist, program, data)
    send_parts(upload, data, only={1, 2})
    with django_capture_on_commit_callbacks(execute=True):
        services.direct_upload_abort(upload=upload, actor=artist)
    assert services.direct_upload_abort(upload=upload, actor=artist).status == S.ABORTED
    assert upload.key not in open_multipart_keys(s3_media)
    with pytest.raises(services.DirectUploadError, match="is cancelled"):
        services.direct_upload_sign(upload=DirectUpload.objects.get(pk=upload.pk), actor=artist, operation="list_parts")


def test_the_sweep_expires_stale_uploads_aborts_orphans_and_resends_lost_processing(
    s3_media, settings, artist, program, django_capture_on_commit_callbacks
):
    stale = start(artist, program, clip(hue=10))
    send_parts(stale, clip(hue=10))
    orphan_key = "uploads/0123456789abcdef/master"
    s3_media.client().create_multipart_upload(Bucket=s3_media.bucket, Key=orphan_key)
    lost = start(artist, program, clip(hue=20), last_modified=7)
    upload_whole(lost, clip(hue=20))
    services.direct_upload_complete(upload=lost, actor=artist)  # its task never ran (no commit callbacks here)
    later = timezone.now() + dt.timedelta(hours=settings.DIRECT_UPLOAD_MAX_AGE_HOURS, minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.direct_uploads_sweep(now=later)
    assert counts["expired"] == 1 and counts["orphans"] >= 1 and counts["requeued"] == 1
    assert DirectUpload.objects.get(pk=stale.pk).status == S.EXPIRED
    assert not open_multipart_keys(s3_media) & {stale.key, orphan_key}
    assert DirectUpload.objects.get(pk=lost.pk).status == S.PROCESSED


def test_without_s3_the_direct_path_is_refused_with_a_reason(artist, program):
    with pytest.raises(services.DirectUploadError, match="need the S3 storage"):
        start(artist, program, clip())


def test_erasing_the_account_cancels_open_uploads_and_removes_unkept_objects(
    s3_media, artist, program, django_capture_on_commit_callbacks
):
    from submissions import personal_data

    open_upload = start(artist, program, clip(hue=60))
    send_parts(open_upload, clip(hue=60))
    with django_capture_on_commit_callbacks(execute=True):
        names = personal_data.erase(artist, reason="Account deleted.")
    assert DirectUpload.objects.get(pk=open_upload.pk).status == S.ABORTED and open_upload.key in names
    assert open_upload.key not in open_multipart_keys(s3_media)
    assert DirectUpload.objects.get(pk=open_upload.pk).original_filename == ""


def test_the_database_holds_one_open_upload_per_file(artist, program):
    from django.db import IntegrityError, transaction

    from tests.video_helpers import direct_upload_row

    first = direct_upload_row(artist, program)
    with pytest.raises(IntegrityError), transaction.atomic():
        direct_upload_row(artist, program)
    DirectUpload.objects.filter(pk=first.pk).update(status=S.ABORTED)  # a finished one no longer counts
    assert direct_upload_row(artist, program).pk != first.pk
