"""A finished job becomes a Video through the submissions intake; a failed one says why.

The result is downloaded into private storage at once (providers' links expire within hours), hashed on the way
and bounded by the program's media limit, then handed to `video_create` like a file the generation service sent:
it is processed and enters review like any upload. The job moves to succeeded only if it is still running, in the
same transaction as the video is created: a job the artist cancelled meanwhile leaves no video and no file.
"""

import hashlib
import logging
import math
import tempfile

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import lifecycle
from core.recorded import Said
from programs.models import TimeEntry
from programs.services.compensation import CompensationError, timeentry_log
from studio.models import GenerationJob, StudioSettings
from studio.models.jobs import INTAKE_REFUSED
from studio.providers.base import FailureKind, ProviderError
from submissions import storage
from submissions.models import ProgramMediaPolicy, Video
from submissions.services.videos import INCOMING_PREFIX, Provenance, VideoError, video_create

logger = logging.getLogger("studio")
S = GenerationJob.Status


def job_fail(job: GenerationJob, kind: str, *, code: str = "", message: str = "") -> GenerationJob | None:
    """Record why a job failed (or expired, when the provider's result link did); None if it had moved on."""
    target = S.EXPIRED if kind == FailureKind.EXPIRED else S.FAILED
    return lifecycle.move(
        job,
        target,
        reason=str(message or kind)[:500],
        changes={
            "finished_at": timezone.now(),
            "failure_kind": str(kind),
            "provider_code": (code or "")[:100],
            "provider_message": (message or "")[:2000],
        },
        when={"status__in": GenerationJob.ACTIVE},
    )


def job_take_in(job: GenerationJob, provider, *, model_version: str = "") -> Video | None:
    """Download a finished job's file and turn it into a Video in review. Returns the video, or None."""
    name = f"{INCOMING_PREFIX}/{job.program.slug}/studio-{job.public_id.hex}.mp4"
    try:
        sha256 = _download(job, provider, name)
    except ProviderError as error:
        job_fail(job, error.failure, code=error.code, message=str(error))
        return None
    except _TooLarge as error:
        job_fail(job, INTAKE_REFUSED, code="too_large", message=str(error))
        return None
    try:
        with transaction.atomic():
            moved = lifecycle.move(
                job,
                S.SUCCEEDED,
                reason=Said(gettext_noop("Finished; the clip goes to review.")),
                changes={
                    "finished_at": timezone.now(),
                    "progress": 100,
                    "result_sha256": sha256,
                    "model_version": (model_version or job.model_version or job.model.version)[:60],
                },
                when={"status": S.RUNNING},
            )
            if moved is None:  # cancelled (or expired) meanwhile: what the provider still made is thrown away
                transaction.on_commit(lambda: storage.delete_files([name]))
                return None
            video, _created = video_create(
                enrolment=job.enrolment,
                actor=None,
                source=Video.Source.STUDIO,
                provenance=provenance_of(job),
                source_key=name,
                external_id=f"studio-{job.public_id.hex}",
            )
            job.video = video
            job.save(update_fields=["video"])
            credit_generation_time(job)
            return video
    except VideoError as error:
        storage.delete_files([name])
        job_fail(job, INTAKE_REFUSED, code="intake_refused", message=error.message)
        return None


class _TooLarge(Exception):
    pass


def _download(job: GenerationJob, provider, name: str) -> str:
    """Stream the provider's file to a temporary file (bounded by the program's limit), then into storage."""
    limit = ProgramMediaPolicy.for_program(job.program).max_size_bytes
    digest, size = hashlib.sha256(), 0
    with tempfile.TemporaryFile(prefix="glasshouse-studio-") as spool:
        for chunk in provider.fetch(job.provider_job_id):
            size += len(chunk)
            if size > limit:
                raise _TooLarge(f"The provider's file is larger than this program's limit of {limit} bytes.")
            digest.update(chunk)
            spool.write(chunk)
        if size == 0:
            raise ProviderError(FailureKind.PROVIDER_ERROR, "The provider sent an empty file.", code="empty")
        spool.seek(0)
        storage.delete_files([name])
        storage_name = storage.default_storage.save(name, File(spool))
    if storage_name != name:  # never: the name is the job's own, and was just cleared
        raise ProviderError(FailureKind.PROVIDER_ERROR, f"Storage renamed {name} to {storage_name}.")
    return digest.hexdigest()


def provenance_of(job: GenerationJob) -> Provenance:
    """Everything about how the clip was made, for the video's provenance (flat names and single values)."""
    now = timezone.now()
    settings = {
        "studio job": job.public_id.hex,
        "provider": job.model.provider,
        "model id": job.model.model_id,
        "provider job id": job.provider_job_id,
        "seed": job.seed if job.seed is not None else "",
        "duration seconds": job.duration_seconds,
        "size": f"{job.width}x{job.height}",
        "aspect ratio": job.aspect_ratio,
        "style preset": job.preset.name if job.preset else "",
        "reference image": "yes" if job.reference_image else "no",
        "queued at": job.created_at.isoformat(),
        "started at": job.started_at.isoformat() if job.started_at else "",
        "finished at": now.isoformat(),
        "wait seconds": round(job.wait_seconds or 0, 1),
        "generation seconds": round((now - job.started_at).total_seconds(), 1) if job.started_at else "",
        "sha256": job.result_sha256,
    }
    if job.model.is_stand_in:
        settings["stand-in"] = "yes: not a real model"
    for key, value in (job.settings or {}).items():
        if isinstance(value, str | int | float | bool) and len(settings) < 50:
            settings[f"setting {key}"[:64]] = value if not isinstance(value, str) else value[:1000]
    return Provenance(
        title=(job.title or job.prompt[:80]).strip()[:200],
        prompt=job.request_prompt,
        negative_prompt=job.negative_prompt,
        model_name=job.model.label[:120],
        model_version=(job.model_version or job.model.version)[:60],
        generation_settings={k: v for k, v in settings.items() if v != ""},
    )


def credit_generation_time(job: GenerationJob) -> TimeEntry | None:
    """Log the job's time as hours, as the program's studio settings say (pending staff approval like any
    hours, priced by the rate card when approved). A refusal is logged and never breaks the intake."""
    studio = StudioSettings.objects.filter(program_id=job.program_id).first()
    if studio is None or studio.credit == StudioSettings.Credit.NONE:
        return None
    if studio.credit == StudioSettings.Credit.FIXED:
        minutes = studio.credit_fixed_minutes
    else:
        minutes = max(1, math.ceil((job.finished_at - job.created_at).total_seconds() / 60))
    try:
        with transaction.atomic():
            entry = timeentry_log(
                user=job.artist,
                program=job.program,
                worked_on=timezone.localdate(job.finished_at),
                minutes=minutes,
                category=TimeEntry.Category.TESTING,
                note=_("Studio: queue and generation time of “%(title)s”.") % {"title": str(job)[:100]},
                form_token=f"studio-{job.public_id.hex}",
            )
            job.time_entry = entry
            job.save(update_fields=["time_entry"])
            return entry
    except CompensationError as error:
        logger.warning("Generation time of job %s not credited: %s", job.pk, error.message)
        return None
