"""Who may use the studio and see which job. Every studio view asks these helpers."""

from django.http import Http404
from django.utils.translation import gettext as _

from core.errors import Refusal
from programs.access import contributing_enrolments, is_program_staff
from programs.models import Enrolment
from programs.refusals import contribution_refusal
from studio.models import GenerationJob, StylePreset


def studio_enrolments(user) -> list[Enrolment]:
    """The enrolments under which `user` may generate now: contributing, in a program whose studio is open."""
    return list(
        contributing_enrolments(user)
        .filter(program__studio_settings__enabled=True)
        .select_related("program", "program__studio_settings")
        .order_by("program__name")
    )


def studio_enrolment_or_refuse(user, slug: str | None) -> tuple[Enrolment, list[Enrolment]]:
    """The enrolment the studio page is about (the program `slug`, else the first), or a 403 saying why not."""
    enrolments = studio_enrolments(user)
    if not enrolments:
        if contributing_enrolments(user).exists():
            raise Refusal(_("None of your programs has opened its studio."))
        raise contribution_refusal(user)
    if not slug:
        return enrolments[0], enrolments
    chosen = next((e for e in enrolments if e.program.slug == slug), None)
    if chosen is None:
        raise Http404("No studio of yours there.")
    return chosen, enrolments


def get_job_for_artist(user, pk: int) -> GenerationJob:
    """The artist's own job, or 404 (nobody else's job exists for them)."""
    job = GenerationJob.objects.select_related("program", "model").filter(pk=pk, artist_id=user.pk).first()
    if job is None or not user.is_authenticated:
        raise Http404("No such job.")
    return job


def get_preset_for_user(user, pk: int) -> StylePreset:
    """A preset, for an artist who may generate in its program or the program's staff; else 404."""
    preset = StylePreset.objects.select_related("program").filter(pk=pk).first()
    if preset is None or not user.is_authenticated:
        raise Http404("No such preset.")
    generating = any(e.program_id == preset.program_id for e in studio_enrolments(user))
    if not (generating or is_program_staff(user, preset.program)):
        raise Http404("No such preset.")
    return preset
