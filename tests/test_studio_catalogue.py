"""Generation time as work, models near their sunset on the staff dashboard, presets through the image intake."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import TimeEntry
from studio.models import GenerationJob, GenerationModel, StylePreset
from studio.services.catalogue import CatalogueError, preset_set_example, stand_in_model, studio_open
from tests.studio_helpers import ask, open_studio, tick

pytestmark = pytest.mark.django_db


def finish(artist, program, capture, **fields) -> GenerationJob:
    job = ask(artist, program, **fields)
    tick()
    with capture(execute=True):
        tick()
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.SUCCEEDED
    return job


def test_queue_plus_generation_time_is_logged_as_hours_once(program, artist, django_capture_on_commit_callbacks):
    open_studio(program, credit="elapsed")
    job = finish(artist, program, django_capture_on_commit_callbacks)
    entry = TimeEntry.objects.get(user=artist)
    assert job.time_entry == entry and entry.status == TimeEntry.Status.PENDING
    assert entry.category == TimeEntry.Category.TESTING and entry.minutes == 1  # under a minute rounds up to one
    assert entry.form_token == f"studio-{job.public_id.hex}"
    from studio.services.intake import credit_generation_time

    assert credit_generation_time(job) == entry  # asked again: the same entry, nothing twice
    assert TimeEntry.objects.count() == 1


def test_a_fixed_amount_per_clip_and_none_when_switched_off(program, artist, django_capture_on_commit_callbacks):
    open_studio(program, credit="fixed", credit_fixed_minutes=12)
    finish(artist, program, django_capture_on_commit_callbacks)
    assert list(TimeEntry.objects.values_list("minutes", flat=True)) == [12]
    open_studio(program, credit="none")
    finish(artist, program, django_capture_on_commit_callbacks, prompt="Another")
    assert TimeEntry.objects.count() == 1


def test_a_fixed_credit_needs_its_minutes(program):
    with pytest.raises(CatalogueError, match="Give the minutes credited for each clip"):
        studio_open(program=program, models=[stand_in_model()], credit="fixed", credit_fixed_minutes=0)


def test_staff_see_a_warning_for_a_model_within_60_days_of_its_sunset(client, program, staff, artist):
    near = GenerationModel.objects.create(
        provider="openai",
        model_id="sora-2",
        label="Sora 2",
        durations=[4, 8],
        sizes=["1280x720"],
        sunset_on=timezone.localdate() + dt.timedelta(days=45),
    )
    far = GenerationModel.objects.create(
        provider="runway",
        model_id="gen4",
        label="Gen-4",
        durations=[5],
        sizes=["1280x720"],
        sunset_on=timezone.localdate() + dt.timedelta(days=200),
    )
    studio_open(program=program, models=[stand_in_model(), near, far])
    client.force_login(staff)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Sora 2 will be retired by its provider on" in page and "Used by: Lumen." in page
    assert "Gen-4 will be retired" not in page
    client.force_login(artist)
    page = client.get(reverse("dashboard")).content.decode()
    assert "will be retired" not in page and "Open the studio" in page


def test_a_retired_model_is_refused(program, artist):
    from studio.services.jobs import StudioError

    studio = open_studio(program)
    model = stand_in_model()
    model.sunset_on = timezone.localdate()
    model.save()
    with pytest.raises(StudioError, match="was retired by its provider"):
        ask(artist, program)
    assert studio.enabled_models.count() == 1


def test_a_preset_example_goes_through_the_image_intake(program):
    from tests.report_images import png_bytes, upload

    preset = StylePreset.objects.create(program=program, name="Noir", prompt_suffix="black and white")
    with pytest.raises(CatalogueError, match="example still was not accepted"):
        preset_set_example(preset=preset, upload=upload("x.png", b"<svg></svg>"))
    preset.refresh_from_db()
    assert not preset.example
    preset_set_example(preset=preset, upload=upload("x.png", png_bytes()))
    assert preset.example.name == f"studio/presets/{preset.pk}/example.png"


def test_a_preset_adds_its_suffix_and_parameters_to_what_is_sent(program, artist, django_capture_on_commit_callbacks):
    open_studio(program)
    preset = StylePreset.objects.create(
        program=program, name="Noir", prompt_suffix="black and white, 1940s", parameters={"guidance": 7}
    )
    job = finish(artist, program, django_capture_on_commit_callbacks, preset=preset, prompt="A detective")
    assert job.request_prompt == "A detective, black and white, 1940s"
    video = job.video
    assert video.prompt == "A detective, black and white, 1940s"
    assert video.generation_settings["style preset"] == "Noir" and video.generation_settings["setting guidance"] == 7
