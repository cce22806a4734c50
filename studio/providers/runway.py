"""Runway, through the official `runwayml` SDK (POST /v1/text_to_video or /v1/image_to_video, GET and DELETE
/v1/tasks/{id}; every request carries the X-Runway-Version the SDK pins).

Statuses: PENDING, THROTTLED, RUNNING, SUCCEEDED, FAILED (with a `failureCode` such as SAFETY.INPUT.TEXT),
CANCELLED. Output URLs expire within 24-48 hours; a fresh GET of the task gives fresh ones, so `fetch` asks for the
task again first. Runway sends no webhooks: the studio polls.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator

import runwayml
from django.conf import settings

from studio.providers.base import (
    Capabilities,
    FailureKind,
    GenerationRequest,
    JobState,
    PollResult,
    ProviderError,
    Submitted,
    WebhookEvent,
)
from studio.providers.common import download_client, sdk_error, stream_download

_VEO_SIZES = ((1280, 720), (720, 1280), (1080, 1920), (1920, 1080))
_CAPABILITIES = {
    "gen4.5": Capabilities(
        durations=tuple(range(2, 11)),
        sizes=((1280, 720), (720, 1280)),
        accepts_reference_image=True,
        accepts_seed=True,
        max_prompt_chars=1000,
    ),
    **{
        model: Capabilities(
            durations=(4, 6, 8),
            sizes=_VEO_SIZES,
            accepts_reference_image=True,
            accepts_negative_prompt=True,
            accepts_seed=True,
            max_prompt_chars=1000,
        )
        for model in ("veo3.1", "veo3.1_fast")
    },
}
_STATES = {
    "PENDING": JobState.QUEUED,
    "THROTTLED": JobState.QUEUED,  # Runway holds the task until our organisation's concurrency allows it
    "RUNNING": JobState.RUNNING,
    "SUCCEEDED": JobState.SUCCEEDED,
    "FAILED": JobState.FAILED,
    "CANCELLED": JobState.CANCELLED,
}


class Runway:
    key = "runway"
    label = "Runway"

    def __init__(self, *, api_key: str, base_url: str = "", timeout: float = 30):
        self._client = runwayml.RunwayML(api_key=api_key, base_url=base_url or None, timeout=timeout, max_retries=0)

    def capabilities(self, model_id: str) -> Capabilities:
        try:
            return _CAPABILITIES[model_id]
        except KeyError:
            raise ProviderError(
                FailureKind.INVALID_INPUT, f"Runway has no video model {model_id!r} here.", code="unknown_model"
            ) from None

    def submit(self, request: GenerationRequest) -> Submitted:
        body: dict[str, object] = {
            "model": request.model_id,
            "prompt_text": request.prompt,
            "ratio": f"{request.width}:{request.height}",
            "duration": request.duration_seconds,
        }
        if request.seed is not None:
            body["seed"] = request.seed
        if request.negative_prompt:
            body["negative_prompt"] = request.negative_prompt
        if request.reference_image:
            body["prompt_image"] = _data_uri(request.reference_image, request.reference_image_type)
            task = _call(lambda: self._client.image_to_video.create(**body))
        else:
            task = _call(lambda: self._client.text_to_video.create(**body))
        return Submitted(provider_job_id=task.id)

    def poll(self, provider_job_id: str) -> PollResult:
        task = _call(lambda: self._client.tasks.retrieve(provider_job_id))
        state = _STATES.get(task.status)
        if state is None:
            raise ProviderError(FailureKind.PROVIDER_ERROR, f"Unknown status {task.status!r}.", code=str(task.status))
        if state is JobState.FAILED:
            code = task.failure_code or ""
            return PollResult(
                state=state, failure=_failure_for_code(code), provider_code=code, provider_message=task.failure
            )
        if state is JobState.RUNNING:
            return PollResult(state=state, progress=round(max(0.0, min(1.0, task.progress)) * 100))
        if state is JobState.SUCCEEDED:
            return PollResult(state=state, progress=100)
        return PollResult(state=state, provider_code=task.status if task.status == "THROTTLED" else "")

    def fetch(self, provider_job_id: str) -> Iterator[bytes]:
        """Ask for the task again (its output URLs are fresh for a day or two), then stream the first output. The
        output URL is pre-signed: our API secret is never sent to it."""
        try:
            task = _call(lambda: self._client.tasks.retrieve(provider_job_id))
        except ProviderError as error:
            if error.code == "404":
                raise ProviderError(
                    FailureKind.EXPIRED, "Runway no longer has this task or its output.", code="404"
                ) from error
            raise
        if task.status != "SUCCEEDED" or not task.output:
            raise ProviderError(
                FailureKind.PROVIDER_ERROR, f"The task has no output to fetch (it is {task.status}).", code=task.status
            )
        with download_client() as client:
            yield from stream_download(client, task.output[0])

    def cancel(self, provider_job_id: str) -> None:
        """A pending, throttled or running task is cancelled (a finished one deleted); one already gone is fine."""
        try:
            self._client.tasks.delete(provider_job_id)
        except runwayml.NotFoundError:
            return
        except runwayml.RunwayMLError as error:
            raise _translated(error) from error

    def parse_webhook(self, headers: dict[str, str], body: bytes) -> WebhookEvent | None:
        return None  # Runway has no webhooks


def _data_uri(image: bytes, content_type: str) -> str:
    return f"data:{content_type or 'image/png'};base64,{base64.b64encode(image).decode('ascii')}"


def _call(request):
    try:
        return request()
    except runwayml.RunwayMLError as error:
        raise _translated(error) from error


def _translated(error: runwayml.RunwayMLError) -> ProviderError:
    return sdk_error(error, runwayml, "Runway")


def _failure_for_code(code: str) -> FailureKind:
    """Runway's task failure codes (docs.dev.runwayml.com/errors/task-failures): SAFETY.INPUT.TEXT,
    SAFETY.OUTPUT.VIDEO, INPUT_PREPROCESSING.SAFETY.TEXT, ASSET.INVALID, INTERNAL.BAD_OUTPUT.CODE01, INTERNAL, ..."""
    parts = code.upper().split(".")
    if "SAFETY" in parts:
        return FailureKind.SAFETY
    if parts[0] in ("ASSET", "INPUT_PREPROCESSING"):
        return FailureKind.INVALID_INPUT
    return FailureKind.PROVIDER_ERROR


def from_environment() -> Runway | None:
    """The adapter when RUNWAYML_API_SECRET is set, else None (the provider is not offered)."""
    if not settings.RUNWAYML_API_SECRET:
        return None
    return Runway(
        api_key=settings.RUNWAYML_API_SECRET,
        base_url=settings.RUNWAY_BASE_URL,
        timeout=settings.PROVIDER_TIMEOUT_SECONDS,
    )
