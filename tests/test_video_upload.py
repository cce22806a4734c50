"""The upload form: the happy path, every rejection (no row, no file left behind), and who may upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from demo import testclips
from programs.models import Enrolment
from submissions.models import ProgramMediaPolicy, Video
from tests.conftest import enrol, make_program
from tests.video_helpers import clip

pytestmark = pytest.mark.usefixtures("tasks_in_process")  # processing runs here, even with a broker set

URL = reverse("submissions:video_new")


def form_data(data: bytes, name: str = "dawn.mp4", content_type: str = "video/mp4", **fields) -> dict:
    return {
        "title": "Dawn",
        "prompt": "A <b>glass</b> city at dawn",
        "model_name": "Lumen",
        "model_version": "0.9.2",
        "generation_settings": "seed = 42\nguidance = 7.5",
        "notes": "",
        "consent_training": "no",
        "consent_marketing": "",
        "consent_showcase": "yes",
        **fields,
        "file": SimpleUploadedFile(name, data, content_type=content_type),
    }


def files_under(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.mark.django_db
def test_an_artist_uploads_a_video_and_it_reaches_pending_review(
    client, artist, program, settings, temp_uploads, django_capture_on_commit_callbacks
):
    client.force_login(artist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form_data(clip()))
    video = Video.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("submissions:video_detail", args=[video.pk])
    assert video.status == Video.Status.PENDING_REVIEW
    assert (video.artist, video.program, video.source) == (artist, program, Video.Source.UPLOAD)
    assert video.generation_settings == {"seed": "42", "guidance": "7.5"}
    assert (video.consent_training, video.consent_marketing, video.consent_showcase) == (False, None, True)
    assert video.original_filename == "dawn.mp4"
    assert video.file.name == f"videos/{video.public_id.hex}/original.mp4"
    assert video.poster.name == f"videos/{video.public_id.hex}/poster.jpg"
    assert video.thumbnails.count() == 3
    assert [e.to_status for e in video.events.all()] == ["uploaded", "processing", "pending_review"]
    assert files_under(temp_uploads) == []


@pytest.mark.django_db
def test_the_storage_name_never_contains_the_users_filename(client, artist, django_capture_on_commit_callbacks):
    client.force_login(artist)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form_data(clip(), name="../../etc/évil name.mp4"))
    video = Video.objects.get()
    assert "evil" not in video.file.name and "évil" not in video.file.name
    assert video.original_filename == "évil name.mp4"


REJECTIONS = {
    "zero bytes": (b"", "empty.mp4", "The file is empty (0 bytes)."),
    "garbage": (testclips.garbage(), "noise.mp4", "not a video we can read"),
    "truncated mp4 without moov": (testclips.truncated_without_moov(), "cut.mp4", "no &#x27;moov&#x27; index"),
    "renamed image": (testclips.png_image(), "photo.mp4", "it is a PNG image"),
    "html named mp4": (testclips.html_page(), "page.mp4", "it is a web page"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", REJECTIONS, ids=list(REJECTIONS))
def test_a_rejected_upload_leaves_no_row_and_no_file(client, artist, settings, temp_uploads, case):
    data, name, message = REJECTIONS[case]
    client.force_login(artist)
    response = client.post(URL, form_data(data, name=name))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Video.objects.count() == 0
    assert files_under(settings.MEDIA_ROOT) == []
    assert files_under(temp_uploads) == []


@pytest.mark.django_db
def test_a_file_over_the_programs_limit_is_cut_off_and_the_rest_of_the_form_kept(
    client, artist, program, settings, temp_uploads
):
    ProgramMediaPolicy.objects.create(program=program, max_size_bytes=10_000)
    client.force_login(artist)
    response = client.post(URL, form_data(clip(), prompt="Keep this prompt"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "larger than this program&#x27;s limit of 9.8 KB" in page
    assert "Keep this prompt" in page
    assert Video.objects.count() == 0
    assert files_under(settings.MEDIA_ROOT) == [] and files_under(temp_uploads) == []


@pytest.mark.django_db
def test_a_refused_file_is_drained_so_fields_sent_after_it_still_arrive(client, artist, program, temp_uploads):
    """The handler reads on past the limit (discarding, chunk by chunk) rather than stopping the parser."""
    ProgramMediaPolicy.objects.create(program=program, max_size_bytes=10_000)
    client.force_login(artist)
    data = form_data(b"\0" * 3_000_000)
    del data["notes"]
    data["notes"] = "Sent after the file"  # the test client encodes fields in dict order: after the file
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "Sent after the file" in response.content.decode()
    assert Video.objects.count() == 0 and files_under(temp_uploads) == []


@pytest.mark.django_db
def test_a_video_longer_than_the_program_allows_is_refused_at_once(client, artist):
    client.force_login(artist)
    response = client.post(URL, form_data(clip(seconds=21, width=64, height=48, fps=5, audio=False)))
    assert response.status_code == 400
    assert "lasts 21.0 s; this program accepts at most 20 s" in response.content.decode()
    assert Video.objects.count() == 0


@pytest.mark.django_db
def test_sending_the_same_file_twice_gives_the_first_video(
    client, artist, settings, django_capture_on_commit_callbacks
):
    client.force_login(artist)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(URL, form_data(clip()))
        second = client.post(URL, form_data(clip(), title="Again"), follow=True)
    video = Video.objects.get()
    assert first["Location"] == reverse("submissions:video_detail", args=[video.pk])
    assert second.redirect_chain[-1][0] == reverse("submissions:video_detail", args=[video.pk])
    assert "already sent this exact file" in second.content.decode()
    assert [p.name for p in (settings.MEDIA_ROOT / "videos").iterdir()] == [video.public_id.hex]


@pytest.mark.django_db
def test_bad_generation_settings_are_explained(client, artist):
    client.force_login(artist)
    response = client.post(URL, form_data(clip(), generation_settings="seed 42"))
    assert response.status_code == 400
    assert "Line 1 should read" in response.content.decode()
    assert Video.objects.count() == 0


@pytest.mark.django_db
def test_the_upload_still_checks_csrf(artist):
    client = Client(enforce_csrf_checks=True)
    client.force_login(artist)
    response = client.post(URL, form_data(clip()))
    assert response.status_code == 403
    assert Video.objects.count() == 0


@pytest.mark.django_db
def test_the_form_shows_the_programs_limits(client, artist, program):
    ProgramMediaPolicy.objects.create(program=program, max_duration_seconds=12)
    client.force_login(artist)
    page = client.get(URL).content.decode()
    assert "up to 12 s, 1920x1080 and 200.0 MB" in page
    assert 'data-max-bytes="209715200"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["reviewer", "staff"])
def test_people_who_are_not_contributing_artists_cannot_upload(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data(clip())).status_code == 403
    assert Video.objects.count() == 0


@pytest.mark.django_db
def test_a_paused_artist_cannot_upload(client, artist, program):
    Enrolment.objects.filter(user=artist, program=program).update(status=Enrolment.Status.PAUSED)
    client.force_login(artist)
    assert client.post(URL, form_data(clip())).status_code == 403
    assert Video.objects.count() == 0


@pytest.mark.django_db
def test_an_artist_in_two_programs_chooses_one_and_cannot_pick_another(client, artist):
    second = make_program(slug="second")
    enrol(artist, second)
    make_program(slug="elsewhere")
    client.force_login(artist)
    chooser = client.get(URL).content.decode()
    assert f"{URL}?program=lumen" in chooser and f"{URL}?program=second" in chooser
    assert "For Second." in client.get(URL, {"program": "second"}).content.decode()
    assert client.get(URL, {"program": "elsewhere"}).status_code == 404


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.post(URL, form_data(clip()))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    assert Video.objects.count() == 0


@pytest.mark.django_db
def test_an_upload_processed_in_process_is_hashed_once(
    client, artist, program, temp_uploads, monkeypatch, django_capture_on_commit_callbacks
):
    import hashlib
    from types import SimpleNamespace

    from submissions import storage, uploads
    from submissions.services import videos

    data = clip(seconds=4, hue=31)
    hashed = []  # the bytes each SHA-256 of the request was fed
    real_sha256 = hashlib.sha256

    class CountingSha256:
        def __init__(self, *args):
            self.real, self.fed = real_sha256(*args), [0]
            hashed.append(self.fed)

        def update(self, chunk):
            self.fed[0] += len(chunk)
            self.real.update(chunk)

        def hexdigest(self):
            return self.real.hexdigest()

    for module in (uploads, storage, videos):  # every place that hashes a video's bytes
        monkeypatch.setattr(module, "hashlib", SimpleNamespace(sha256=CountingSha256))
    client.force_login(artist)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form_data(data))
    video = Video.objects.get()
    assert video.status == Video.Status.PENDING_REVIEW
    assert video.sha256 == real_sha256(data).hexdigest()
    assert sum(fed for (fed,) in hashed) < 2 * len(data)  # the file's bytes went through SHA-256 once
