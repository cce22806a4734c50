"""The OpenAI Videos API, through the official `openai` SDK (POST /videos, GET /videos/{id}, GET /videos/{id}/content).

Statuses: queued, in_progress, completed, failed. Results expire (`expires_at`), so the studio fetches at once.
OpenAI signs its webhooks (video.completed, video.failed) the Standard Webhooks way; the SDK's own verifier checks
them. OpenAI announced the end of its public Sora models for 24 September 2026: the SDK marks these calls
deprecated, and the studio carries that as the models' sunset date instead of a warning in every log.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator

import openai
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
    WebhookRejected,
)
from studio.providers.common import CHUNK_BYTES, EXPIRED_STATUSES, sdk_error

warnings.filterwarnings("ignore", message="The Sora API is scheduled", category=DeprecationWarning)

_PORTRAIT_AND_LANDSCAPE = ((720, 1280), (1280, 720))
_CAPABILITIES = {
    # Longest prefix first: dated snapshots ("sora-2-pro-2025-10-06") share their family's capabilities.
    "sora-2-pro": Capabilities(
        durations=(4, 8, 12),
        sizes=(*_PORTRAIT_AND_LANDSCAPE, (1024, 1792), (1792, 1024)),
        accepts_reference_image=True,
    ),
    "sora-2": Capabilities(durations=(4, 8, 12), sizes=_PORTRAIT_AND_LANDSCAPE, accepts_reference_image=True),
}
_STATES = {
    "queued": JobState.QUEUED,
    "in_progress": JobState.RUNNING,
    "completed": JobState.SUCCEEDED,
    "failed": JobState.FAILED,
}
# Error codes OpenAI gives for refused prompts, references or outputs.
_SAFETY_WORDS = ("moderation", "safety", "content_policy", "policy_violation")
_THROTTLE_WORDS = ("rate_limit", "quota", "capacity")
_VIDEO_EVENTS = ("video.completed", "video.failed")


class OpenAIVideos:
    key = "openai"
    label = "OpenAI Videos API"

    def __init__(self, *, api_key: str, base_url: str = "", webhook_secret: str = "", timeout: float = 30):
        self._webhook_secret = webhook_secret
        self._client = openai.OpenAI(
            api_key=api_key,
            base_url=base_url or None,
            webhook_secret=webhook_secret or None,
            timeout=timeout,
            max_retries=0,
        )

    def capabilities(self, model_id: str) -> Capabilities:
        for prefix, capabilities in _CAPABILITIES.items():
            if model_id == prefix or model_id.startswith(f"{prefix}-"):
                return capabilities
        raise ProviderError(FailureKind.INVALID_INPUT, f"OpenAI has no video model {model_id!r}.", code="unknown_model")

    def submit(self, request: GenerationRequest) -> Submitted:
        reference = openai.omit
        if request.reference_image:
            content_type = request.reference_image_type or "image/png"
            suffix = content_type.rpartition("/")[2]
            reference = (f"reference.{suffix}", request.reference_image, content_type)
        video = _call(
            lambda: self._client.videos.create(
                prompt=request.prompt,
                model=request.model_id,
                seconds=str(request.duration_seconds),
                size=f"{request.width}x{request.height}",
                input_reference=reference,
            )
        )
        return Submitted(provider_job_id=video.id)

    def poll(self, provider_job_id: str) -> PollResult:
        video = _call(lambda: self._client.videos.retrieve(provider_job_id))
        state = _STATES.get(video.status)
        if state is None:
            raise ProviderError(FailureKind.PROVIDER_ERROR, f"Unknown status {video.status!r}.", code=str(video.status))
        if state is JobState.FAILED:
            code = video.error.code if video.error else ""
            message = video.error.message if video.error else ""
            return PollResult(
                state=state,
                failure=_failure_for_code(code),
                provider_code=code,
                provider_message=message,
                model_version=str(video.model),
            )
        progress = 100 if state is JobState.SUCCEEDED else video.progress
        return PollResult(state=state, progress=progress, model_version=str(video.model))

    def fetch(self, provider_job_id: str) -> Iterator[bytes]:
        download = self._client.videos.with_streaming_response.download_content
        try:
            with download(provider_job_id) as response:
                yield from response.iter_bytes(CHUNK_BYTES)
        except openai.APIStatusError as error:
            if error.status_code in EXPIRED_STATUSES:
                raise ProviderError(
                    FailureKind.EXPIRED,
                    f"OpenAI no longer has this video's content: {error.message}",
                    code=str(error.code or error.status_code),
                ) from error
            raise _translated(error) from error
        except openai.APIConnectionError as error:
            raise _translated(error) from error

    def cancel(self, provider_job_id: str) -> None:
        """OpenAI has no cancel: DELETE removes a video (and any result) once it has finished or failed, and is
        refused while it runs (the studio then drops the result when it arrives)."""
        try:
            self._client.videos.delete(provider_job_id)
        except openai.NotFoundError:
            return
        except openai.OpenAIError as error:
            raise _translated(error) from error

    def parse_webhook(self, headers: dict[str, str], body: bytes) -> WebhookEvent | None:
        if not self._webhook_secret:
            raise WebhookRejected("No OPENAI_WEBHOOK_SECRET is set, so no OpenAI webhook can be verified.")
        try:
            self._client.webhooks.verify_signature(body, headers, secret=self._webhook_secret)
            event = json.loads(body)
        except ValueError as error:  # InvalidWebhookSignatureError, a missing header, or a body that is not JSON
            raise WebhookRejected(str(error)) from error
        if not isinstance(event, dict) or event.get("type") not in _VIDEO_EVENTS:
            return None
        video_id = (event.get("data") or {}).get("id")
        if not isinstance(video_id, str) or not video_id:
            raise WebhookRejected("A video event without the video's id.")
        return WebhookEvent(provider_job_id=video_id)


def _call(request):
    try:
        return request()
    except openai.OpenAIError as error:
        raise _translated(error) from error


def _translated(error: openai.OpenAIError) -> ProviderError:
    translated = sdk_error(error, openai, "OpenAI")
    if translated.failure in (FailureKind.INVALID_INPUT, FailureKind.PROVIDER_ERROR):
        translated.failure = _failure_for_code(translated.code, default=translated.failure)  # e.g. moderation_blocked
    return translated


def _failure_for_code(code: str, default: FailureKind = FailureKind.PROVIDER_ERROR) -> FailureKind:
    lowered = code.lower()
    if any(word in lowered for word in _SAFETY_WORDS):
        return FailureKind.SAFETY
    if any(word in lowered for word in _THROTTLE_WORDS):
        return FailureKind.THROTTLED
    if lowered.startswith("invalid") or lowered.endswith("_invalid"):
        return FailureKind.INVALID_INPUT
    return default


def from_environment() -> OpenAIVideos | None:
    """The adapter when OPENAI_API_KEY is set, else None (the provider is not offered)."""
    if not settings.OPENAI_API_KEY:
        return None
    return OpenAIVideos(
        api_key=settings.OPENAI_API_KEY,
        base_url=settings.OPENAI_BASE_URL,
        webhook_secret=settings.OPENAI_WEBHOOK_SECRET,
        timeout=settings.PROVIDER_TIMEOUT_SECONDS,
    )
