"""What an artist does in the studio: request a clip, cancel it, retry it. One function per action.

A request is checked in full before anything is stored (prompt, model, duration and size against the model's
capabilities and the program's caps, the reference image through the portal's image intake, the allowance): a
refused request leaves no row and no file. The form's token makes a double click record one job.
"""

import logging
import random
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import lifecycle
from core.errors import DomainError, TransitionRefused
from core.recorded import Said
from programs.access import contributing_enrolment
from programs.models import Enrolment
from studio.models import GenerationJob, GenerationModel, StudioSettings, StylePreset
from studio.models.jobs import MAX_PROMPT_CHARS
from studio.providers import registry
from studio.providers.base import ProviderError
from studio.selectors import allowance_for
from submissions import storage
from submissions.images import ImageRejected, ProcessedImage, process_screenshot

logger = logging.getLogger("studio")
S = GenerationJob.Status
MAX_NEGATIVE_PROMPT_CHARS = 1000
MAX_TITLE_CHARS = 200
MAX_SEED = 2**31 - 1


class StudioError(DomainError):
    """A studio rule said no."""


class JobMoveRefused(TransitionRefused, StudioError):
    pass


@dataclass(frozen=True)
class ClipRequest:
    """What the artist asked for, as typed (the service checks every value)."""

    model: GenerationModel
    prompt: str
    duration_seconds: int
    width: int
    height: int
    negative_prompt: str = ""
    seed: int | None = None
    title: str = ""
    preset: StylePreset | None = None
    reference_upload: object = None
    extra: dict = field(default_factory=dict)


def aspect_ratio(width: int, height: int) -> str:
    from math import gcd

    divisor = gcd(width, height)
    return f"{width // divisor}:{height // divisor}"


def studio_settings_of(enrolment: Enrolment) -> StudioSettings:
    studio = StudioSettings.objects.filter(program_id=enrolment.program_id, enabled=True).first()
    if studio is None:
        raise StudioError(_("%(program)s has no studio open.") % {"program": enrolment.program.name})
    return studio


def job_request(*, enrolment: Enrolment, actor, ask: ClipRequest, form_token: str = "") -> GenerationJob:
    """Queue a clip, or raise StudioError saying what to change. The same form token returns the job it made."""
    if actor is None or actor.pk != enrolment.user_id or contributing_enrolment(actor, enrolment.program) is None:
        raise StudioError(_("You cannot generate in %(program)s at the moment.") % {"program": enrolment.program})
    if form_token and (done := GenerationJob.objects.filter(artist=actor, form_token=form_token).first()):
        return done
    studio = studio_settings_of(enrolment)
    _check_model(studio, ask.model)
    prompt, negative = _check_prompts(ask)
    _check_picture(studio, ask)
    seed = _check_seed(ask)
    preset = _check_preset(enrolment, ask.preset)
    reference = _check_reference(ask)
    _check_allowance(studio, actor, ask)
    settings = {**(preset.parameters if preset else {}), **ask.extra}
    if preset and preset.prompt_suffix:
        settings["prompt_suffix"] = preset.prompt_suffix
    try:
        with transaction.atomic():
            job = GenerationJob.objects.create(
                program=enrolment.program,
                enrolment=enrolment,
                artist=actor,
                model=ask.model,
                preset=preset,
                title=ask.title.strip()[:MAX_TITLE_CHARS],
                prompt=prompt,
                negative_prompt=negative,
                duration_seconds=ask.duration_seconds,
                width=ask.width,
                height=ask.height,
                aspect_ratio=aspect_ratio(ask.width, ask.height),
                seed=seed,
                settings=settings,
                form_token=form_token,
            )
            if reference is not None:
                job.reference_image = storage.replace(
                    job.storage_name(f"reference.{reference.extension}"), reference.data
                )
                job.reference_image_type = reference.content_type
                job.save(update_fields=["reference_image", "reference_image_type"])
            lifecycle.start(job, actor=actor, reason=Said(gettext_noop("Requested in the studio.")))
    except IntegrityError:
        done = GenerationJob.objects.filter(artist=actor, form_token=form_token).first() if form_token else None
        if done is None:
            raise
        return done
    return job


def _check_model(studio: StudioSettings, model: GenerationModel) -> None:
    if not studio.enabled_models.filter(pk=model.pk).exists():
        raise StudioError(_("This program does not offer %(model)s.") % {"model": model.label})
    if model.is_retired():
        raise StudioError(_("%(model)s was retired by its provider.") % {"model": model.label})
    if model.provider not in registry.offered():
        raise StudioError(_("%(model)s is not available on this server at the moment.") % {"model": model.label})


def _check_prompts(ask: ClipRequest) -> tuple[str, str]:
    prompt, negative = (ask.prompt or "").strip(), (ask.negative_prompt or "").strip()
    limit = min(MAX_PROMPT_CHARS, ask.model.max_prompt_chars)
    if not prompt:
        raise StudioError(_("Write a prompt: what should the clip show?"))
    if len(prompt) > limit:
        raise StudioError(
            _("The prompt has %(n)d characters; %(model)s takes at most %(limit)d.")
            % {"n": len(prompt), "model": ask.model.label, "limit": limit}
        )
    if negative and not ask.model.accepts_negative_prompt:
        raise StudioError(_("%(model)s does not take a negative prompt.") % {"model": ask.model.label})
    if len(negative) > MAX_NEGATIVE_PROMPT_CHARS:
        raise StudioError(_("The negative prompt may have at most %(limit)d characters.") % {"limit": 1000})
    return prompt, negative


def _check_picture(studio: StudioSettings, ask: ClipRequest) -> None:
    capabilities = ask.model.capabilities()
    if ask.duration_seconds not in capabilities.durations:
        raise StudioError(
            _("%(model)s makes clips of %(choices)s seconds, not %(asked)s.")
            % {
                "model": ask.model.label,
                "choices": ", ".join(map(str, capabilities.durations)),
                "asked": ask.duration_seconds,
            }
        )
    if ask.duration_seconds > studio.max_duration_seconds:
        raise StudioError(
            _("This program allows clips of at most %(limit)d seconds.") % {"limit": studio.max_duration_seconds}
        )
    if (ask.width, ask.height) not in capabilities.sizes:
        raise StudioError(
            _("%(model)s cannot make %(w)dx%(h)d clips.") % {"model": ask.model.label, "w": ask.width, "h": ask.height}
        )
    if not studio.fits(ask.width, ask.height):
        raise StudioError(
            _("This program allows sizes up to %(long)dx%(short)d.")
            % {"long": studio.max_long_side, "short": studio.max_short_side}
        )


def _check_seed(ask: ClipRequest) -> int | None:
    if not ask.model.accepts_seed:
        if ask.seed is not None:
            raise StudioError(_("%(model)s does not take a seed.") % {"model": ask.model.label})
        return None
    if ask.seed is None:
        return random.SystemRandom().randrange(MAX_SEED)  # chosen now and kept, so the clip can be made again
    if not 0 <= ask.seed <= MAX_SEED:
        raise StudioError(_("A seed is a whole number from 0 to %(max)d.") % {"max": MAX_SEED})
    return ask.seed


def _check_preset(enrolment: Enrolment, preset: StylePreset | None) -> StylePreset | None:
    if preset is not None and (preset.program_id != enrolment.program_id or not preset.active):
        raise StudioError(_("That style preset is not offered in this program."))
    return preset


def _check_reference(ask: ClipRequest) -> ProcessedImage | None:
    if ask.reference_upload is None:
        return None
    if not ask.model.accepts_reference_image:
        raise StudioError(_("%(model)s does not take a reference image.") % {"model": ask.model.label})
    try:
        return process_screenshot(ask.reference_upload)
    except ImageRejected as exc:
        raise StudioError(_("The reference image was not accepted: %(why)s") % {"why": exc.message}) from exc


def _check_allowance(studio: StudioSettings, artist, ask: ClipRequest) -> None:
    allowance = allowance_for(studio, artist)
    cost = ask.duration_seconds if studio.allowance_unit == StudioSettings.Unit.SECONDS else 1
    if allowance.used + cost > allowance.limit:
        raise StudioError(
            _("Your allowance for this %(period)s is used up (%(used)d of %(limit)d %(unit)s). It renews on %(day)s.")
            % {
                "period": studio.get_allowance_period_display(),
                "used": allowance.used,
                "limit": allowance.limit,
                "unit": studio.get_allowance_unit_display(),
                "day": date_format(timezone.localtime(allowance.resets_at), "DATE_FORMAT"),
            }
        )


def job_cancel(*, job: GenerationJob, actor) -> GenerationJob:
    """The artist cancels a job. Once cancelled, nothing the provider still delivers becomes a video."""
    if actor is None or actor.pk != job.artist_id:
        raise StudioError(_("Only the artist who asked for a clip can cancel it."))
    job = lifecycle.move(
        job,
        S.CANCELLED,
        actor=actor,
        reason=Said(gettext_noop("Cancelled by the artist.")),
        changes={"finished_at": timezone.now()},
        refusal=JobMoveRefused,
    )
    if job.provider_job_id:
        provider_job_id, provider_key = job.provider_job_id, job.model.provider
        transaction.on_commit(lambda: _cancel_at_provider(provider_key, provider_job_id))
    return job


def _cancel_at_provider(provider_key: str, provider_job_id: str) -> None:
    """Best effort: the job is cancelled here whatever the provider answers (a result it delivers is ignored)."""
    try:
        registry.get_provider(provider_key).cancel(provider_job_id)
    except (ProviderError, registry.ProviderUnavailable):
        logger.warning("Could not cancel %s job %s at the provider.", provider_key, provider_job_id, exc_info=True)


def job_retry(*, job: GenerationJob, actor, form_token: str = "") -> GenerationJob:
    """A new job with exactly the settings of one that failed, expired or was cancelled (same seed)."""
    if job.status not in (S.FAILED, S.EXPIRED, S.CANCELLED):
        raise StudioError(_("Only a job that failed, expired or was cancelled can be retried."))
    ask = ClipRequest(
        model=job.model,
        prompt=job.prompt,
        negative_prompt=job.negative_prompt,
        duration_seconds=job.duration_seconds,
        width=job.width,
        height=job.height,
        seed=job.seed,
        title=job.title,
        preset=job.preset,
        extra={
            k: v
            for k, v in job.settings.items()
            if k != "prompt_suffix" and not (job.preset and k in job.preset.parameters)
        },
    )
    with transaction.atomic():
        new = job_request(enrolment=job.enrolment, actor=actor, ask=ask, form_token=form_token)
        return _link_retry(new, job)


def _link_retry(new: GenerationJob, job: GenerationJob) -> GenerationJob:
    if new.based_on_id is not None:
        return new  # the same form sent twice: already linked
    new.based_on = job
    fields = ["based_on"]
    if job.reference_image and not new.reference_image:
        leaf = job.reference_image.name.rsplit("/", 1)[-1]
        new.reference_image = storage.copy_object(job.reference_image.name, new.storage_name(leaf))
        new.reference_image_type = job.reference_image_type
        fields += ["reference_image", "reference_image_type"]
    new.save(update_fields=fields)
    return new
