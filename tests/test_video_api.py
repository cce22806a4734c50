"""The ingestion API: key auth, idempotency by external id and by file, JSON errors, the OpenAPI schema."""

import json
import threading
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from demo import testclips
from programs.models import Enrolment
from submissions.models import ApiKey, ProgramMediaPolicy, Video
from submissions.services import api_keys
from submissions.services import videos as video_services
from tests.conftest import enrol, make_program, make_user
from tests.video_helpers import PROVENANCE, clip, uploaded

pytestmark = pytest.mark.usefixtures("tasks_in_process")  # processing runs here, even with a broker set

URL = "/api/v1/videos"


@pytest.fixture
def api_key(program, staff):
    _, raw = api_keys.api_key_create(program=program, name="Render farm", actor=staff)
    return raw


def auth(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def fields(artist, **extra) -> dict:
    return {
        "artist": artist.email,
        "prompt": "A lighthouse in fog",
        "model_name": "Lumen",
        "model_version": "0.9.3",
        "generation_settings": json.dumps({"seed": 7, "guidance": 6.5, "upscale": True}),
        "external_id": "gen-0001",
        **extra,
    }


def send(client, raw, data, *, file: bytes | None = None, name: str = "render.mp4"):
    if file is not None:
        data = {**data, "file": SimpleUploadedFile(name, file, content_type="video/mp4")}
    return client.post(URL, data, headers=auth(raw))


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.django_db
def test_the_service_sends_a_video_and_gets_201(client, api_key, artist, program, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, api_key, fields(artist), file=clip())
    assert response.status_code == 201, response.content
    body = response.json()
    video = Video.objects.get()
    assert body["id"] == video.pk and body["external_id"] == "gen-0001" and body["program"] == "lumen"
    assert body["status"] == "uploaded" and body["artist_id"] == artist.pk
    assert (video.source, video.api_key.name, video.enrolment.user) == (Video.Source.API, "Render farm", artist)
    assert video.generation_settings == {"seed": 7, "guidance": 6.5, "upscale": True}
    video.refresh_from_db()
    assert video.status == Video.Status.PENDING_REVIEW  # processing ran after the commit
    assert video.events.first().reason == "Received through Render farm (" + video.api_key.prefix + "…)."


@pytest.mark.django_db
def test_sending_the_same_external_id_again_returns_the_same_video(client, api_key, artist):
    first = send(client, api_key, fields(artist), file=clip())
    again = send(client, api_key, fields(artist, prompt="changed"), file=clip(hue=90))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Video.objects.count() == 1 and Video.objects.get().prompt == "A lighthouse in fog"


@pytest.mark.django_db
def test_sending_the_same_file_for_the_same_artist_returns_the_same_video(client, api_key, artist, settings):
    first = send(client, api_key, fields(artist, external_id=""), file=clip())
    again = send(client, api_key, fields(artist, external_id="gen-0002"), file=clip())
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Video.objects.count() == 1
    assert len(stored_files(settings)) == 1


@pytest.mark.django_db
def test_the_same_file_for_another_artist_is_another_video(client, api_key, artist, other_artist):
    first = send(client, api_key, fields(artist, external_id=""), file=clip())
    other = send(client, api_key, fields(other_artist, external_id=""), file=clip())
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]


@pytest.mark.django_db
def test_an_external_id_of_another_artists_video_is_a_conflict(client, api_key, artist, other_artist):
    send(client, api_key, fields(artist), file=clip())
    response = send(client, api_key, fields(other_artist), file=clip(hue=30))
    assert response.status_code == 409
    assert response.json() == {
        "detail": "The external id 'gen-0001' already belongs to another artist's video in this program."
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "Missing or unknown API key. Send it as 'Authorization: Bearer <key>'."),
        ({"Authorization": "Bearer ghk_not-a-real-key"}, "Missing or unknown API key."),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "Missing or unknown API key."),
    ],
    ids=["no key", "unknown key", "wrong scheme"],
)
def test_requests_without_a_valid_key_get_401(client, artist, headers, message):
    response = client.post(URL, fields(artist), headers=headers)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert response.json()["detail"].startswith(message)
    assert Video.objects.count() == 0


@pytest.mark.django_db
def test_a_revoked_key_gets_401_and_sends_nothing(client, api_key, artist, staff, settings):
    key = ApiKey.objects.get()
    api_keys.api_key_revoke(key_id=key.pk, actor=staff)
    response = send(client, api_key, fields(artist), file=clip())
    assert response.status_code == 401
    assert response.json() == {"detail": "This API key has been revoked."}
    assert Video.objects.count() == 0 and stored_files(settings) == []


@pytest.mark.django_db
def test_a_key_is_stored_only_as_a_hash_and_records_its_use(client, api_key, artist):
    key = ApiKey.objects.get()
    assert api_key not in (key.key_hash, key.prefix) and key.key_hash == ApiKey.hash(api_key)
    assert api_key.startswith(key.prefix) and key.last_used_at is None
    send(client, api_key, fields(artist), file=clip())
    key.refresh_from_db()
    assert key.last_used_at is not None


@pytest.mark.django_db
def test_revoking_twice_is_refused(api_key, staff):
    key = ApiKey.objects.get()
    api_keys.api_key_revoke(key_id=key.pk, actor=staff)
    with pytest.raises(video_services.VideoError, match="already revoked"):
        api_keys.api_key_revoke(key_id=key.pk, actor=staff)


@pytest.mark.django_db
def test_a_key_works_only_for_its_own_program(client, api_key, artist, staff):
    elsewhere = make_program(slug="elsewhere")
    outsider = make_user("outsider@example.com")
    enrol(outsider, elsewhere)  # active, but in another program
    _, other_key = api_keys.api_key_create(program=elsewhere, name="Other farm", actor=staff)
    video_id = send(client, api_key, fields(artist), file=clip()).json()["id"]
    assert client.get(f"{URL}/{video_id}", headers=auth(other_key)).status_code == 404
    refused = send(client, other_key, fields(artist, external_id="x"), file=clip(hue=60))
    assert refused.status_code == 422
    assert refused.json()["detail"] == "'artist@example.com' is not an active artist of Elsewhere."
    assert send(client, api_key, fields(outsider, external_id="y"), file=clip(hue=61)).status_code == 422


@pytest.mark.django_db
def test_an_artist_who_is_not_active_cannot_receive_videos(client, api_key, artist, program):
    Enrolment.objects.filter(user=artist, program=program).update(status=Enrolment.Status.LEFT)
    response = send(client, api_key, fields(artist), file=clip())
    assert response.status_code == 422 and "is not an active artist" in response.json()["detail"]


@pytest.mark.django_db
def test_the_artist_may_be_given_by_id(client, api_key, artist):
    response = send(client, api_key, {**fields(artist), "artist": str(artist.pk)}, file=clip())
    assert response.status_code == 201 and response.json()["artist_id"] == artist.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (testclips.garbage(), "not a video we can read"),
        (testclips.truncated_without_moov(), "no 'moov' index"),
        (testclips.html_page(), "web page"),
    ],
    ids=["garbage", "no moov", "html"],
)
def test_a_file_that_is_not_a_video_gets_422_and_leaves_nothing(client, api_key, artist, settings, data, message):
    response = send(client, api_key, fields(artist), file=data)
    assert response.status_code == 422 and message in response.json()["detail"]
    assert Video.objects.count() == 0 and stored_files(settings) == []


@pytest.mark.django_db
@pytest.mark.parametrize("size", [50_000, 3 * 1024 * 1024], ids=["over while reading", "over by content length"])
def test_a_file_over_the_limit_gets_413(client, api_key, artist, program, settings, tmp_path, size):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(uploads)
    ProgramMediaPolicy.objects.create(program=program, max_size_bytes=20_000)
    response = send(client, api_key, fields(artist), file=clip() + b"\0" * size)
    assert response.status_code == 413
    assert response.json() == {"detail": "The file is larger than this program's limit of 19.5 KB."}
    assert Video.objects.count() == 0 and stored_files(settings) == [] and list(uploads.iterdir()) == []


@pytest.mark.django_db
def test_missing_fields_are_named_in_a_422(client, api_key, artist):
    data = fields(artist)
    del data["prompt"]
    response = send(client, api_key, {**data, "generation_settings": "{not json"}, file=clip())
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert "prompt: Field required" in detail and "generation_settings: Invalid JSON" in detail


@pytest.mark.django_db
def test_neither_file_nor_source_key_is_refused(client, api_key, artist):
    response = send(client, api_key, fields(artist))
    assert response.status_code == 422
    assert response.json()["detail"] == "Send either a file or a source key, not both and not neither."


@pytest.mark.django_db
def test_a_file_already_in_the_bucket_is_adopted_by_its_key(
    client, api_key, artist, program, django_capture_on_commit_callbacks
):
    key = default_storage.save("incoming/lumen/render-0001.mp4", ContentFile(clip()))
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, api_key, fields(artist, source_key=key))
    assert response.status_code == 201
    video = Video.objects.get()
    assert video.file.name == f"videos/{video.public_id.hex}/original"
    assert video.status == Video.Status.PENDING_REVIEW and video.container == "mp4"
    assert not default_storage.exists(key)  # adopted: the drop zone is emptied


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("videos/abc/original.mp4", "A source key must lie under 'incoming/lumen/'."),
        ("incoming/lumen/../../videos/x.mp4", "A source key must lie under 'incoming/lumen/'."),
        ("incoming/other/x.mp4", "A source key must lie under 'incoming/lumen/'."),
        ("incoming/lumen/missing.mp4", "There is no file at 'incoming/lumen/missing.mp4'."),
    ],
)
def test_a_source_key_outside_the_programs_drop_zone_is_refused(client, api_key, artist, key, message):
    response = send(client, api_key, fields(artist, source_key=key))
    assert response.status_code == 422 and response.json()["detail"] == message
    assert Video.objects.count() == 0


@pytest.mark.django_db
def test_the_service_reads_a_videos_state(client, api_key, artist, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        video_id = send(client, api_key, fields(artist), file=clip()).json()["id"]
    response = client.get(f"{URL}/{video_id}", headers=auth(api_key))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "pending_review" and body["status_label"] == "Waiting for review"
    assert (body["width"], body["height"], body["video_codec"]) == (320, 240, "h264")
    assert client.get(f"{URL}/999999", headers=auth(api_key)).json() == {"detail": "No such video in this program."}


@pytest.mark.django_db
def test_the_openapi_schema_describes_the_upload(client):
    schema = client.get("/api/v1/openapi.json").json()
    post = schema["paths"]["/api/v1/videos"]["post"]
    form = post["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert {"artist", "prompt", "model_name", "external_id", "source_key", "file"} <= set(form["properties"])
    assert {"200", "201", "401", "409", "413", "422"} <= set(post["responses"])
    assert schema["components"]["securitySchemes"]["ApiKeyAuth"] == {"type": "http", "scheme": "bearer"}
    assert schema["info"]["title"] == "Glasshouse ingestion API"


@pytest.mark.django_db(transaction=True)
def test_two_identical_requests_at_once_make_one_video(artist, program):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL")
    enrolment = artist.enrolments.get(program=program)
    barrier, results, errors = threading.Barrier(2), [], []

    def send_once():
        try:
            barrier.wait()
            video, created = video_services.video_create(
                enrolment=enrolment,
                actor=None,
                source=Video.Source.API,
                provenance=PROVENANCE,
                upload=uploaded(clip()),
                external_id="same-id",
                enqueue=False,
            )
            results.append((video.pk, created))
        except Exception as exc:  # collected for the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Video.objects.count() == 1
    assert {pk for pk, _ in results} == {Video.objects.get().pk}
    assert sorted(created for _, created in results) == [False, True]


@pytest.mark.django_db
def test_the_same_file_sent_to_two_programs_is_two_videos_and_no_key_sees_the_other(client, api_key, artist, staff):
    second = make_program(slug="second")
    enrol(artist, second)
    _, second_key = api_keys.api_key_create(program=second, name="Second farm", actor=staff)
    first = send(client, api_key, fields(artist, external_id=""), file=clip())
    other = send(client, second_key, fields(artist, external_id=""), file=clip())
    assert (first.status_code, other.status_code) == (201, 201)
    assert other.json()["program"] == "second" and other.json()["id"] != first.json()["id"]


@pytest.mark.django_db
def test_each_key_is_rate_limited_with_429_and_retry_after(client, api_key, program, staff, settings):
    settings.API_RATE_LIMIT = "2/min"
    _, other_key = api_keys.api_key_create(program=program, name="Second farm", actor=staff)
    answers = [client.get(f"{URL}/999999", headers=auth(api_key)) for _ in range(3)]
    assert [a.status_code for a in answers] == [404, 404, 429]
    assert answers[2].json() == {"detail": "Too many requests."}
    assert 0 < int(answers[2]["Retry-After"]) <= 60
    assert client.get(f"{URL}/999999", headers=auth(other_key)).status_code == 404  # each key has its own count
    refused = send(client, api_key, {"artist": "nobody@example.com"})
    assert refused.status_code == 429  # refused before the body is read or anything stored


@pytest.mark.django_db
def test_unknown_keys_are_limited_per_client_behind_the_proxy(api_key, settings):
    """A guesser gets 429 after BAD_KEYS_PER_MINUTE unknown keys; another client behind the same proxy, and the
    guesser's own forged leftmost X-Forwarded-For addresses, change nothing."""
    from django.test import Client

    from submissions.api import BAD_KEYS_PER_MINUTE

    settings.CLIENT_IP_HEADER, settings.TRUSTED_PROXY_COUNT = "HTTP_X_FORWARDED_FOR", 1

    def from_client(ip: str, forged: str = "") -> Client:
        return Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"{forged}, {ip}" if forged else ip)

    guesses = [
        from_client("198.51.100.7", forged=f"192.0.2.{n}").get(f"{URL}/1", headers=auth(f"ghk_guess{n}"))
        for n in range(BAD_KEYS_PER_MINUTE + 1)
    ]
    assert {g.status_code for g in guesses[:-1]} == {401}
    assert guesses[-1].status_code == 429 and guesses[-1]["Retry-After"] == "60"
    assert from_client("198.51.100.7").get(f"{URL}/999999", headers=auth(api_key)).status_code == 429
    assert from_client("203.0.113.50").get(f"{URL}/999999", headers=auth(api_key)).status_code == 404
