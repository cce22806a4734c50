"""The studio's services: a clip through the fair queue and the stand-in renderer to a video in review."""

import hashlib

import av
import pytest
from django.core.files.storage import default_storage

from studio.models import GenerationJob
from studio.providers import local
from studio.services import jobs as job_services
from studio.services.jobs import StudioError
from submissions.models import Video
from tests.studio_helpers import ask, open_studio, tick

S = GenerationJob.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def studio(program):
    return open_studio(program, concurrency_limit=2)


def test_a_clip_goes_from_queued_to_a_video_waiting_for_review(
    studio, artist, program, django_capture_on_commit_callbacks
):
    job = ask(artist, program, negative_prompt="text, watermark")
    assert job.status == S.QUEUED and job.events.get().to_status == S.QUEUED
    tick()
    job.refresh_from_db()
    assert job.status == S.RUNNING and job.provider_job_id.startswith("local-") and job.started_at
    with django_capture_on_commit_callbacks(execute=True):
        tick()
    job.refresh_from_db()
    assert job.status == S.SUCCEEDED and job.video is not None
    video = Video.objects.get(pk=job.video.pk)
    assert video.status == Video.Status.PENDING_REVIEW
    assert video.source == Video.Source.STUDIO
    assert video.prompt == "A lighthouse in fog, slow push in" and video.negative_prompt == "text, watermark"
    assert video.model_name == "Stand-in renderer (not a real model)" and video.model_version == local.VERSION
    settings = video.generation_settings
    assert settings["seed"] == 7 and settings["provider job id"] == job.provider_job_id
    assert settings["size"] == "640x360" and settings["stand-in"].startswith("yes")
    assert settings["sha256"] == job.result_sha256 == video.sha256
    assert {"queued at", "started at", "finished at", "generation seconds"} <= set(settings)
    assert video.width == 640 and video.height == 360 and video.video_codec == "h264"
    assert float(video.duration_seconds) == pytest.approx(2, abs=0.2)
    assert [e.to_status for e in job.events.all()] == [S.QUEUED, S.RUNNING, S.SUCCEEDED]
    assert not default_storage.exists(f"incoming/{program.slug}/studio-{job.public_id.hex}.mp4")


def test_the_stand_in_renders_the_same_pictures_for_the_same_seed(tmp_path):
    record = {"prompt": "p", "negative_prompt": "", "seed": 3, "duration": 2, "width": 640, "height": 360, "extra": {}}
    first, second = local.render(record, "local-a"), local.render(record, "local-b")
    other = local.render({**record, "seed": 4}, "local-a")

    def frames(data):
        path = tmp_path / f"{hashlib.sha256(data).hexdigest()}.mp4"
        path.write_bytes(data)
        with av.open(str(path)) as container:
            return [f.to_image().tobytes() for f in container.decode(video=0)]

    assert first != second  # the files name their jobs, so two jobs never make identical files
    assert frames(first) == frames(second)
    assert frames(first) != frames(other)
    assert len(frames(first)) == 2 * local.FPS


def test_a_cancelled_job_that_the_provider_still_finishes_leaves_no_video(
    studio, artist, program, django_capture_on_commit_callbacks
):
    job = ask(artist, program)
    tick()  # sent: the stand-in finishes at once, whatever the portal says afterwards
    job.refresh_from_db()
    job_services.job_cancel(job=job, actor=artist)
    provider = local.from_environment()
    assert provider.poll(job.provider_job_id).state == "succeeded"  # the provider did finish it
    tick()
    job.refresh_from_db()
    assert job.status == S.CANCELLED and job.video is None
    assert Video.objects.count() == 0
    # Even a result taken in late (a poll that raced the cancel) is thrown away.
    from studio.services.intake import job_take_in

    with django_capture_on_commit_callbacks(execute=True):
        assert job_take_in(job, provider) is None
    assert Video.objects.count() == 0
    assert not default_storage.exists(f"incoming/{program.slug}/studio-{job.public_id.hex}.mp4")


def test_a_safety_refusal_is_a_failure_in_plain_words_and_costs_no_allowance(studio, artist, program):
    job = ask(artist, program, prompt=f"A duel {local.REFUSE_MARK}")
    tick()
    tick()
    job.refresh_from_db()
    assert job.status == S.FAILED and job.failure_kind == "safety" and job.provider_code == "stand_in.refused"
    assert "safety system refused" in job.failure_label
    from studio.selectors import allowance_for

    assert allowance_for(studio, artist).used == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"prompt": "x" * 2001}, "The prompt has 2001 characters"),
        ({"prompt": "   "}, "Write a prompt"),
        ({"duration_seconds": 3}, "makes clips of 2, 4, 6, 8, 10 seconds, not 3"),
        ({"width": 1920, "height": 1080}, "cannot make 1920x1080 clips"),
        ({"seed": -1}, "A seed is a whole number"),
    ],
)
def test_bad_requests_are_refused_and_leave_nothing(studio, artist, program, fields, message):
    with pytest.raises(StudioError, match=message):
        ask(artist, program, **fields)
    assert GenerationJob.objects.count() == 0


def test_the_programs_caps_bound_the_models_capabilities(program, artist):
    open_studio(program, max_duration_seconds=4, max_long_side=640, max_short_side=360)
    with pytest.raises(StudioError, match="at most 4 seconds"):
        ask(artist, program, duration_seconds=6)
    with pytest.raises(StudioError, match="sizes up to 640x360"):
        ask(artist, program, width=1280, height=720)


def test_a_reference_image_that_fails_the_image_intake_is_refused(studio, artist, program):
    from tests.report_images import upload

    with pytest.raises(StudioError, match="reference image was not accepted"):
        ask(artist, program, reference_upload=upload("ref.png", b"not an image at all"))
    assert GenerationJob.objects.count() == 0 and not default_storage.exists("studio")


def test_a_reference_image_is_kept_re_encoded_and_sent(studio, artist, program, django_capture_on_commit_callbacks):
    from tests.report_images import png_bytes, upload

    job = ask(artist, program, reference_upload=upload("ref.png", png_bytes()))
    assert job.reference_image.name.endswith("reference.png") and job.reference_image_type == "image/png"
    tick()
    with django_capture_on_commit_callbacks(execute=True):
        tick()
    job.refresh_from_db()
    assert job.video.generation_settings["reference image"] == "yes"


def test_the_allowance_refuses_beyond_its_limit(program, artist):
    open_studio(program, allowance=2)
    ask(artist, program)
    ask(artist, program)
    with pytest.raises(StudioError, match=r"allowance for this week is used up \(2 of 2 clips\)"):
        ask(artist, program)


def test_the_same_form_sent_twice_makes_one_job(studio, artist, program):
    from studio.services.catalogue import stand_in_model
    from studio.services.jobs import ClipRequest, job_request

    enrolment = artist.enrolments.get(program=program)
    request = ClipRequest(model=stand_in_model(), prompt="Twice", duration_seconds=2, width=640, height=360)
    first = job_request(enrolment=enrolment, actor=artist, ask=request, form_token="tok-1")
    second = job_request(enrolment=enrolment, actor=artist, ask=request, form_token="tok-1")
    assert first.pk == second.pk and GenerationJob.objects.count() == 1


def test_the_queue_is_fair_between_artists(program, artist, other_artist):
    open_studio(program, concurrency_limit=2)
    heavy = [ask(artist, program, prompt=f"heavy {n}") for n in range(4)]
    light = ask(other_artist, program, prompt="light 1")
    tick()
    running = set(GenerationJob.objects.filter(status=S.RUNNING).values_list("pk", flat=True))
    # The limit is 2: the heavy artist's first clip and the light artist's only one, not two heavy ones.
    assert running == {heavy[0].pk, light.pk}
    from studio.selectors import queue_order

    assert queue_order([program.pk])[program.pk] == [heavy[1].pk, heavy[2].pk, heavy[3].pk]


def test_retry_makes_a_new_job_with_the_same_settings(studio, artist, program):
    job = ask(artist, program, prompt=f"again {local.REFUSE_MARK}", seed=99)
    tick()
    tick()
    job.refresh_from_db()
    again = job_services.job_retry(job=job, actor=artist, form_token="retry-1")
    assert again.pk != job.pk and again.based_on == job and again.seed == 99 and again.prompt == job.prompt
    assert job_services.job_retry(job=job, actor=artist, form_token="retry-1").pk == again.pk
    with pytest.raises(StudioError, match="Only a job that failed"):
        job_services.job_retry(job=again, actor=artist)


def test_only_the_artist_cancels_and_a_finished_job_cannot_be(studio, artist, other_artist, program):
    job = ask(artist, program)
    with pytest.raises(StudioError, match="Only the artist"):
        job_services.job_cancel(job=job, actor=other_artist)
    job_services.job_cancel(job=job, actor=artist)
    with pytest.raises(StudioError, match="was cancelled"):
        job_services.job_cancel(job=job, actor=artist)


def test_erasing_an_account_cancels_its_waiting_clips_and_removes_reference_images(studio, artist, program):
    from studio import personal_data
    from tests.report_images import png_bytes, upload

    job = ask(artist, program, reference_upload=upload("ref.png", png_bytes()))
    name = job.reference_image.name
    assert personal_data.erase(artist, reason="Account deleted.") == [name]
    job.refresh_from_db()
    assert job.status == S.CANCELLED and not job.reference_image and job.prompt  # the row stays, like provenance
