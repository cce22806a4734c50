"""The studio pages: the form, the live list, cancel, retry, remix; refusals in words; constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from studio.models import GenerationJob
from studio.services.catalogue import stand_in_model
from tests.studio_helpers import ask, open_studio, tick

S = GenerationJob.Status
pytestmark = pytest.mark.django_db
HOME = reverse("studio:home")


@pytest.fixture
def studio(program):
    return open_studio(program, allowance=40)


def form(**fields):
    return {
        "program": "lumen",
        "prompt": "Paper boats on a canal at dusk",
        "model": stand_in_model().pk,
        "duration": 2,
        "size": "640x360",
        "seed": "11",
        "form_token": "token-1",
        **fields,
    }


def test_the_page_offers_the_enabled_models_caps_and_allowance(client, studio, artist, program):
    ask(artist, program)
    client.force_login(artist)
    page = client.get(HOME).content.decode()
    assert "Stand-in renderer (not a real model)" in page and "is a stand-in renderer, not a real model" in page
    assert "Your allowance this week: 1 of 40 clips." in page
    assert "640x360 · 16:9 landscape" in page and "360x640 · 9:16 portrait" in page
    assert "Number 1 in the queue" in page and 'hx-trigger="every 3s"' in page


def test_a_clip_is_requested_once_even_when_the_form_is_sent_twice(client, studio, artist):
    client.force_login(artist)
    first = client.post(reverse("studio:request"), form())
    second = client.post(reverse("studio:request"), form())
    assert first.status_code == second.status_code == 302
    job = GenerationJob.objects.get()
    assert (job.prompt, job.seed, job.width, job.height, job.aspect_ratio) == (
        "Paper boats on a canal at dusk",
        11,
        640,
        360,
        "16:9",
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"prompt": "x" * 2001}, "Ensure this value has at most 2000 characters"),
        ({"duration": 7}, "Select a valid choice. 7 is not one of the available choices."),
        ({"size": "1920x1080"}, "Select a valid choice. 1920x1080 is not one of the available choices."),
        ({"seed": "-5"}, "Ensure this value is greater than or equal to 0."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_queued(client, studio, artist, fields, message):
    client.force_login(artist)
    response = client.post(reverse("studio:request"), form(**fields))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not GenerationJob.objects.exists()


def test_a_bad_reference_image_is_explained(client, studio, artist):
    from tests.report_images import upload

    client.force_login(artist)
    response = client.post(reverse("studio:request"), form(reference_image=upload("ref.png", b"GIF89a not really")))
    assert response.status_code == 400
    assert (
        "The reference image was not accepted: “ref.png” is not a PNG, JPEG or WebP image" in response.content.decode()
    )
    assert not GenerationJob.objects.exists()


def test_cancel_and_retry_and_remix(client, studio, artist, program):
    job = ask(artist, program, prompt="Lanterns", seed=5)
    client.force_login(artist)
    response = client.post(reverse("studio:cancel", args=[job.pk]), follow=True)
    assert "Cancelled: nothing it makes will become a video." in response.content.decode()
    job.refresh_from_db()
    assert job.status == S.CANCELLED
    response = client.post(reverse("studio:retry", args=[job.pk]), {"form_token": f"retry-{job.public_id.hex}"})
    again = GenerationJob.objects.exclude(pk=job.pk).get()
    assert (again.prompt, again.seed, again.based_on_id) == ("Lanterns", 5, job.pk)
    page = client.get(HOME, {"remix": job.pk}).content.decode()
    assert "Remix: a new clip from earlier settings" in page and "Lanterns</textarea>" in page
    assert 'name="seed" value="5"' in page


def test_cancelling_a_finished_job_is_refused_in_words(
    client, studio, artist, program, django_capture_on_commit_callbacks
):
    job = ask(artist, program)
    tick()
    with django_capture_on_commit_callbacks(execute=True):
        tick()
    client.force_login(artist)
    response = client.post(reverse("studio:cancel", args=[job.pk]), follow=True)
    assert "This job has finished." in response.content.decode()


def test_nobody_else_touches_an_artists_job(client, studio, artist, other_artist, program):
    job = ask(artist, program)
    client.force_login(other_artist)
    assert client.post(reverse("studio:cancel", args=[job.pk])).status_code == 404
    assert client.post(reverse("studio:retry", args=[job.pk])).status_code == 404
    assert client.get(HOME, {"remix": job.pk}).status_code == 404
    job.refresh_from_db()
    assert job.status == S.QUEUED


def test_a_program_without_a_studio_says_so(client, artist):
    client.force_login(artist)
    response = client.get(HOME)
    assert response.status_code == 403
    assert "None of your programs has opened its studio." in response.content.decode()


def test_the_polled_list_shows_progress_and_failures_in_plain_words(client, studio, artist, program):
    from studio.providers import local

    ask(artist, program, prompt=f"refused {local.REFUSE_MARK}")
    tick()
    tick()
    client.force_login(artist)
    fragment = client.get(reverse("studio:jobs"), {"program": program.slug}).content.decode()
    assert "The model&#x27;s safety system refused the prompt or the reference image." in fragment
    assert "<html" not in fragment


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_for_5_or_60_jobs(client, program, artist):
    open_studio(program, allowance=100)
    client.force_login(artist)
    for n in range(5):
        ask(artist, program, prompt=f"clip {n}")
    _queries(client, HOME)  # the first request of a session records the session's sign-in once
    few = _queries(client, HOME)
    for n in range(55):
        ask(artist, program, prompt=f"more {n}")
    assert _queries(client, HOME) == few


def test_a_webhook_is_refused_for_a_provider_without_webhooks_or_unknown(client, studio):
    assert (
        client.post(reverse("studio:webhook", args=["local"]), b"{}", content_type="application/json").status_code
        == 404
    )
    assert (
        client.post(reverse("studio:webhook", args=["nobody"]), b"{}", content_type="application/json").status_code
        == 404
    )
    assert client.get(reverse("studio:webhook", args=["local"])).status_code == 405


def test_a_job_named_by_a_webhook_is_polled_at_once(studio, artist, program, django_capture_on_commit_callbacks):
    from studio.tasks import poll_generation_job

    job = ask(artist, program)
    tick()
    with django_capture_on_commit_callbacks(execute=True):
        assert poll_generation_job.apply(args=[job.pk]).get() is True
    job.refresh_from_db()
    assert job.status == S.SUCCEEDED and job.video is not None
    assert poll_generation_job.apply(args=[job.pk]).get() is False  # settled: nothing more to do
