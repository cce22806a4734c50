"""Helpers for the studio tests: an open studio with the stand-in renderer, and clips asked for through the
services as the form would."""

from django.utils import timezone

from studio.providers import registry
from studio.services.catalogue import stand_in_model, studio_open
from studio.services.jobs import ClipRequest, job_request
from studio.services.runner import studio_tick


def open_studio(program, **caps):
    registry.reset()
    return studio_open(program=program, models=[stand_in_model()], **caps)


def ask(artist, program, *, prompt: str = "A lighthouse in fog, slow push in", model=None, **fields):
    fields = {"duration_seconds": 2, "width": 640, "height": 360, "seed": 7, **fields}
    enrolment = artist.enrolments.get(program=program)
    return job_request(
        enrolment=enrolment, actor=artist, ask=ClipRequest(model=model or stand_in_model(), prompt=prompt, **fields)
    )


def tick(now=None):
    return studio_tick(now=now or timezone.now())


def add_studio_world(w) -> None:
    """The access matrix's studio: open in the world's program, a preset with its example still, a job."""
    from studio.models import StylePreset
    from studio.services.catalogue import preset_set_example
    from tests.report_images import png_bytes, upload

    open_studio(w.program)
    w.preset = StylePreset.objects.create(program=w.program, name="Noir", prompt_suffix="black and white, 1940s")
    preset_set_example(preset=w.preset, upload=upload("noir.png", png_bytes()))
    w.job = ask(w.users["artist"], w.program)
