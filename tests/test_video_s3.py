"""Private media on S3, proved against a real SeaweedFS: the same code as locally, and nothing public."""

import time
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit, urlunsplit

import pytest
from botocore.exceptions import ClientError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from core.private_media import serve_private_file
from demo import testclips
from submissions.models import Video
from submissions.services import videos as video_services
from tests.video_helpers import PROVENANCE, clip, make_video

pytestmark = [pytest.mark.services, pytest.mark.django_db, pytest.mark.usefixtures("tasks_in_process")]


def fetch(url: str) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def object_exists(server, key: str) -> bool:
    try:
        server.client().head_object(Bucket=server.bucket, Key=key)
        return True
    except ClientError:
        return False


@pytest.fixture
def video(s3_media, artist, program):
    return make_video(artist, program)


def test_an_upload_is_processed_from_s3_and_its_files_stay_in_the_bucket(s3_media, video):
    assert video.status == Video.Status.PENDING_REVIEW
    assert (video.width, video.height, video.thumbnails.count()) == (320, 240, 3)
    prefix = f"videos/{video.public_id.hex}/"
    listed = s3_media.client().list_objects_v2(Bucket=s3_media.bucket, Prefix=prefix)["Contents"]
    assert sorted(o["Key"].removeprefix(prefix) for o in listed) == [
        "original.mp4",
        "poster.jpg",
        "thumb-1.jpg",
        "thumb-2.jpg",
        "thumb-3.jpg",
    ]


def test_anonymous_get_of_the_object_is_refused(s3_media, video):
    status, body, _ = fetch(f"{s3_media.endpoint}/{s3_media.bucket}/{video.file.name}")
    assert status == 403 and b"AccessDenied" in body


@pytest.mark.parametrize("who", ["artist", "reviewer", "staff"])
def test_the_view_redirects_allowed_roles_to_a_presigned_url_that_works(client, request, s3_media, video, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("submissions:video_file", args=[video.pk]))
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{s3_media.endpoint}/{s3_media.bucket}/{video.file.name}?")
    assert response["X-Content-Type-Options"] == "nosniff"
    query = parse_qs(urlsplit(location).query)
    assert int(query["X-Amz-Expires"][0]) <= 300
    status, body, headers = fetch(location)
    assert status == 200 and body == clip()
    assert headers["Content-Type"] == "video/mp4"
    assert headers["Content-Disposition"] == f'inline; filename="glasshouse-video-{video.pk}.mp4"'


@pytest.mark.parametrize(
    ("name", "extra"), [("submissions:video_poster", {}), ("submissions:video_thumbnail", {"position": 1})]
)
def test_stills_redirect_to_presigned_jpegs(client, artist, s3_media, video, name, extra):
    client.force_login(artist)
    location = client.get(reverse(name, kwargs={"pk": video.pk, **extra}))["Location"]
    status, body, headers = fetch(location)
    assert status == 200 and body[:3] == b"\xff\xd8\xff" and headers["Content-Type"] == "image/jpeg"


def test_no_redirect_for_those_who_may_not_see_the_video(client, other_artist, s3_media, video):
    anonymous = client.get(reverse("submissions:video_file", args=[video.pk]))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    client.force_login(other_artist)
    assert client.get(reverse("submissions:video_file", args=[video.pk])).status_code == 404


def test_a_tampered_signature_or_key_is_refused(client, artist, s3_media, video):
    client.force_login(artist)
    location = client.get(reverse("submissions:video_file", args=[video.pk]))["Location"]
    parts = urlsplit(location)
    query = parse_qs(parts.query)
    signature = query["X-Amz-Signature"][0]
    flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
    tampered = urlunsplit(parts._replace(query=parts.query.replace(signature, flipped)))
    assert fetch(tampered)[0] == 403
    other_key = urlunsplit(parts._replace(path=parts.path.replace("original.mp4", "poster.jpg")))
    assert fetch(other_key)[0] == 403
    assert fetch(location)[0] == 200  # the untouched URL still works


def test_a_presigned_url_expires(s3_media, video):
    url = default_storage.url(video.file.name, expire=1)
    assert fetch(url)[0] == 200
    time.sleep(2.5)
    assert fetch(url)[0] == 403


def test_the_expiry_is_capped_at_five_minutes_whatever_the_setting(settings, s3_media, video):
    settings.STORAGES["default"]["OPTIONS"]["querystring_expire"] = 3600
    response = serve_private_file(video.file.name, download_name="v.mp4", content_type="video/mp4")
    assert parse_qs(urlsplit(response["Location"]).query)["X-Amz-Expires"] == ["300"]


def test_rejecting_an_invalid_video_deletes_its_objects(s3_media, artist, program, django_capture_on_commit_callbacks):
    key = default_storage.save("incoming/lumen/cut.mp4", ContentFile(testclips.truncated_data()))
    with django_capture_on_commit_callbacks(execute=True):
        video, _ = video_services.video_create(
            enrolment=artist.enrolments.get(program=program),
            actor=None,
            source=Video.Source.API,
            provenance=PROVENANCE,
            source_key=key,
        )
    video.refresh_from_db()
    assert video.status == Video.Status.REJECTED_INVALID and "truncated" in video.invalid_reason
    assert not object_exists(s3_media, key)  # adopted by a server-side copy, then removed from the drop zone
    assert not object_exists(s3_media, f"videos/{video.public_id.hex}/original")


def test_a_file_dropped_in_on_s3_is_hashed_while_it_is_downloaded(
    s3_media, artist, program, django_capture_on_commit_callbacks
):
    import hashlib
    import struct

    padding = 20 * 1024 * 1024  # past boto3's 8 MB threshold: downloaded in ranged parts, several at once
    data = clip(seconds=3, hue=77) + struct.pack(">I4s", padding + 8, b"free") + bytes(padding)
    key = default_storage.save("incoming/lumen/drop.mp4", ContentFile(data))
    with django_capture_on_commit_callbacks(execute=True):
        video, _ = video_services.video_create(
            enrolment=artist.enrolments.get(program=program),
            actor=None,
            source=Video.Source.API,
            provenance=PROVENANCE,
            source_key=key,
        )
    video.refresh_from_db()
    assert video.status == Video.Status.PENDING_REVIEW
    assert video.sha256 == hashlib.sha256(data).hexdigest()  # the ranged parts were hashed in their order
