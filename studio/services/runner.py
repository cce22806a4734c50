"""The dispatcher and poller: one beat job (`studio_tick`) that, every few seconds,

1. gives up jobs that waited or ran far too long (expired),
2. polls every running job (always by polling, even where a provider has webhooks) and takes in what finished,
3. sends each program's queued jobs to their providers, in the fair order, as far as its concurrency limit allows.

Each job that changes state is handled in its own transaction (core.batch): one that fails is logged and the
others go on. Polling costs a constant number of queries: one read of all running jobs and one write per 500 jobs
whose progress moved, plus a constant number for each job that ended.
"""

import datetime as dt
import logging
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from core import lifecycle
from core.batch import batch_item
from core.recorded import Said
from studio.models import GenerationJob, StudioSettings
from studio.models.jobs import TIMED_OUT
from studio.providers import registry
from studio.providers.base import FailureKind, GenerationRequest, JobState, PollResult, ProviderError
from studio.selectors import queue_order, running_counts
from studio.services.intake import job_fail, job_take_in

logger = logging.getLogger("studio")
S = GenerationJob.Status
QUEUE_EXPIRY = dt.timedelta(hours=24)
RUN_EXPIRY = dt.timedelta(hours=6)
TRANSIENT = (FailureKind.THROTTLED, FailureKind.UNREACHABLE)


def studio_tick(*, now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {"expired": expire_stale(now=now), "polled": poll_running(), "sent": dispatch_queued(now=now)}


# --- 1. Expiry ----------------------------------------------------------------------------------
def expire_stale(*, now: dt.datetime) -> int:
    stale = GenerationJob.objects.filter(
        status=S.QUEUED, created_at__lt=now - QUEUE_EXPIRY
    ) | GenerationJob.objects.filter(status=S.RUNNING, started_at__lt=now - RUN_EXPIRY)
    done = 0
    for job in stale.select_related("model"):
        with batch_item("expire studio jobs", job.pk):
            expired = lifecycle.move(
                job,
                S.EXPIRED,
                reason=Said(gettext_noop("Waited or ran longer than the studio allows.")),
                changes={"finished_at": now, "failure_kind": TIMED_OUT},
                when={"status": job.status},
            )
            if expired is not None and job.provider_job_id:
                _cancel_quietly(job)
            done += expired is not None
    return done


def _cancel_quietly(job: GenerationJob) -> None:
    try:
        registry.get_provider(job.model.provider).cancel(job.provider_job_id)
    except (ProviderError, registry.ProviderUnavailable):
        logger.warning("Could not cancel expired job %s at its provider.", job.pk, exc_info=True)


# --- 2. Polling ---------------------------------------------------------------------------------
PROGRESS_BATCH = 500


def poll_running() -> int:
    """Poll every running job once; returns how many were polled.

    The providers are asked concurrently (their answers take a round trip each; one after another, a thousand jobs
    would not fit a beat interval), the database only from this thread. A job still running costs no query of its
    own: all are read in one query and their progress written in batches. Only a job that finished or failed is
    settled in its own transaction, holding its row (so a second tick or the artist's cancel waits, and whoever
    comes second finds it settled)."""
    running = list(GenerationJob.objects.filter(status=S.RUNNING).select_related("model").order_by("started_at", "pk"))
    progressed = []
    for job, answer in zip(running, _ask_providers(running), strict=True):
        result = _read_answer(job, answer)
        if result is None:
            continue
        if result.state in (JobState.QUEUED, JobState.RUNNING):
            if _note_progress(job, result):
                progressed.append(job)
            continue
        with batch_item("settle studio jobs", job.pk):
            settle(job.pk, result)
    GenerationJob.objects.bulk_update(progressed, ["progress", "model_version"], batch_size=PROGRESS_BATCH)
    return len(running)


def poll_job(job_id: int) -> bool:
    """Poll one running job now (a provider's webhook said it changed); the beat's poll reconciles it anyway."""
    job = GenerationJob.objects.filter(pk=job_id, status=S.RUNNING).select_related("model").first()
    if job is None or (result := _read_answer(job, _ask_provider(job))) is None:
        return False
    if result.state in (JobState.QUEUED, JobState.RUNNING):
        if _note_progress(job, result):
            GenerationJob.objects.filter(pk=job.pk).update(progress=job.progress, model_version=job.model_version)
        return True
    with batch_item("settle studio jobs", job.pk):
        settle(job.pk, result)
    return True


def _ask_providers(jobs: list[GenerationJob]) -> list[PollResult | Exception]:
    if len(jobs) <= 1:
        return [_ask_provider(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=min(settings.STUDIO_POLL_THREADS, len(jobs))) as pool:
        return list(pool.map(_ask_provider, jobs))


def _ask_provider(job: GenerationJob) -> PollResult | Exception:
    """The provider's answer, or what went wrong asking (no database here: this runs in the polling threads)."""
    try:
        if not job.provider_job_id:
            return ProviderError(FailureKind.UNREACHABLE, "The job never reached the provider.", code="not_submitted")
        return registry.get_provider(job.model.provider).poll(job.provider_job_id)
    except Exception as error:  # an adapter's bug must not stop the other jobs' polling
        return error


def _read_answer(job: GenerationJob, answer: PollResult | Exception) -> PollResult | None:
    """The result to act on, or None when there is nothing to do now (a failure is recorded at once)."""
    if isinstance(answer, PollResult):
        return answer
    if isinstance(answer, registry.ProviderUnavailable):
        kind, code, message = FailureKind.UNREACHABLE, "provider_unavailable", "The provider is not configured."
    elif isinstance(answer, ProviderError) and answer.code == "not_submitted":
        kind, code, message = answer.failure, answer.code, str(answer)
    elif isinstance(answer, ProviderError):
        if answer.failure in TRANSIENT:
            return None  # asked again at the next tick; RUN_EXPIRY ends a job whose provider never answers
        kind, code, message = answer.failure, answer.code, str(answer)
    else:
        logger.error("Polling studio job %s failed; it is asked again at the next tick.", job.pk, exc_info=answer)
        return None
    with batch_item("fail studio jobs", job.pk):
        job_fail(job, kind, code=code, message=message)
    return None


def _note_progress(job: GenerationJob, result: PollResult) -> bool:
    changed = False
    if result.progress is not None and result.progress != job.progress:
        job.progress, changed = max(0, min(100, result.progress)), True
    if result.model_version and result.model_version[:60] != job.model_version:
        job.model_version, changed = result.model_version[:60], True
    return changed


def settle(job_id: int, result: PollResult) -> bool:
    """Take in, or record the failure of, a job the provider says has ended. False: it was no longer running."""
    job = (
        GenerationJob.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("model", "program", "enrolment")
        .filter(pk=job_id, status=S.RUNNING)
        .first()
    )
    if job is None:
        return False
    if result.state == JobState.SUCCEEDED:
        job_take_in(job, registry.get_provider(job.model.provider), model_version=result.model_version)
    elif result.state == JobState.FAILED:
        kind = result.failure or FailureKind.PROVIDER_ERROR
        job_fail(job, kind, code=result.provider_code, message=result.provider_message)
    else:  # cancelled at the provider, not by the artist (an artist's cancel is no longer running)
        job_fail(job, FailureKind.PROVIDER_ERROR, code=result.provider_code or "cancelled_by_provider")
    return True


# --- 3. Dispatching -----------------------------------------------------------------------------
def dispatch_queued(*, now: dt.datetime) -> int:
    """Send queued jobs while each program has room under its concurrency limit."""
    program_ids = list(GenerationJob.objects.filter(status=S.QUEUED).values_list("program_id", flat=True).distinct())
    if not program_ids:
        return 0
    limits = dict(
        StudioSettings.objects.filter(program_id__in=program_ids).values_list("program_id", "concurrency_limit")
    )
    running = running_counts(program_ids)
    sent = 0
    for program_id, job_ids in queue_order(program_ids).items():
        room = limits.get(program_id, 0) - running.get(program_id, 0)
        for job_id in job_ids:
            if room <= 0:
                break
            outcome = None
            with batch_item("send studio jobs", job_id):
                outcome = send_one(job_id, now=now)
            if outcome == "throttled":
                break  # the provider is full: the rest of this program's queue waits for the next tick
            if outcome == "sent":
                room -= 1
                sent += 1
    return sent


def send_one(job_id: int, *, now: dt.datetime) -> str:
    """Submit one queued job. Returns "sent", "failed", "throttled" or "gone" (cancelled or taken meanwhile)."""
    with transaction.atomic():
        job = (
            GenerationJob.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("model")
            .filter(pk=job_id, status=S.QUEUED)
            .first()
        )
        if job is None:
            return "gone"
        try:
            provider = registry.get_provider(job.model.provider)
            submitted = provider.submit(request_for(job))
        except registry.ProviderUnavailable:
            job_fail(
                job, FailureKind.UNREACHABLE, code="provider_unavailable", message="The provider is not configured."
            )
            return "failed"
        except ProviderError as error:
            if error.failure in TRANSIENT:
                return "throttled"
            job_fail(job, error.failure, code=error.code, message=str(error))
            return "failed"
        lifecycle.move(
            job,
            S.RUNNING,
            reason=Said(gettext_noop("Sent to %(provider)s."), provider=str(provider.label)),
            changes={"started_at": now, "provider_job_id": submitted.provider_job_id[:255], "progress": 0},
        )
    return "sent"


def request_for(job: GenerationJob) -> GenerationRequest:
    reference = None
    if job.reference_image:
        with job.reference_image.open("rb") as handle:
            reference = handle.read()
    extra = {k: v for k, v in (job.settings or {}).items() if k != "prompt_suffix"}
    return GenerationRequest(
        model_id=job.model.model_id,
        prompt=job.request_prompt,
        duration_seconds=job.duration_seconds,
        width=job.width,
        height=job.height,
        negative_prompt=job.negative_prompt,
        seed=job.seed,
        reference_image=reference,
        reference_image_type=job.reference_image_type,
        extra=extra,
    )
