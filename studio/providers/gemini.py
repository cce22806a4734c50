"""Google's Veo video models, through the official `google-genai` SDK: `models.generate_videos` starts a
long-running operation (POST {model}:predictLongRunning), `operations.get` polls it (POST
{model}:fetchPredictOperation), and the finished operation carries the video.

The SDK runs video generation only in its Vertex AI mode (its Gemini Developer API mode refuses it), so the
adapter uses Vertex AI's express mode with an API key (GEMINI_API_KEY). Without an output bucket Vertex returns
the clip inline, base64 in the operation's JSON (8 s at 1080p is a few megabytes), so that one answer is held in
memory; `fetch` hands it on in chunks. An operation Google no longer keeps is an expired result. Google offers no
cancel and, on this path, no webhooks.
"""

from __future__ import annotations

from collections.abc import Iterator
from math import gcd

from django.conf import settings
from google import genai
from google.genai import errors as genai_errors
from google.genai import types

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
from studio.providers.common import (
    CHUNK_BYTES,
    TRANSPORT_ERRORS,
    failure_for_status,
    retry_after_seconds,
    unreachable,
)

_VEO_3_SIZES = ((1280, 720), (720, 1280), (1920, 1080), (1080, 1920))
_CAPABILITIES = {
    # By prefix: "veo-3.1-fast-generate-001" and dated previews share their family's capabilities.
    "veo-3": Capabilities(
        durations=(4, 6, 8),
        sizes=_VEO_3_SIZES,
        accepts_reference_image=True,
        accepts_negative_prompt=True,
        accepts_seed=True,
    ),
    "veo-2": Capabilities(
        durations=(5, 6, 7, 8),
        sizes=((1280, 720), (720, 1280)),
        accepts_reference_image=True,
        accepts_negative_prompt=True,
        accepts_seed=True,
    ),
}
_ASPECT = {(16, 9): "16:9", (9, 16): "9:16"}
# google.rpc.Code values an operation's error carries.
_RPC_FAILURES = {
    3: FailureKind.INVALID_INPUT,  # INVALID_ARGUMENT (safety refusals also come as 3, told apart by their words)
    8: FailureKind.THROTTLED,  # RESOURCE_EXHAUSTED
    9: FailureKind.INVALID_INPUT,  # FAILED_PRECONDITION
}
_SAFETY_WORDS = ("safety", "responsible ai", "usage guidelines", "sensitive", "prohibited")


class GeminiVeo:
    key = "gemini"
    label = "Google Veo (google-genai)"

    def __init__(self, *, api_key: str, base_url: str = "", timeout: float = 30):
        self._client = genai.Client(
            vertexai=True,
            api_key=api_key,
            # No retry_options: the SDK then tries once, and the studio's queue retries with its own backoff.
            http_options=types.HttpOptions(base_url=base_url or None, timeout=round(timeout * 1000)),
        )

    def capabilities(self, model_id: str) -> Capabilities:
        for prefix, capabilities in _CAPABILITIES.items():
            if model_id.startswith(prefix):
                return capabilities
        raise ProviderError(FailureKind.INVALID_INPUT, f"Google has no Veo model {model_id!r}.", code="unknown_model")

    def submit(self, request: GenerationRequest) -> Submitted:
        image = None
        if request.reference_image:
            image = types.Image(image_bytes=request.reference_image, mime_type=request.reference_image_type or None)
        config = types.GenerateVideosConfig(
            number_of_videos=1,
            duration_seconds=request.duration_seconds,
            aspect_ratio=_aspect_ratio(request.width, request.height),
            # Veo 2 makes 720p only and takes no resolution; Veo 3 takes 720p or 1080p.
            resolution=f"{min(request.width, request.height)}p" if request.model_id.startswith("veo-3") else None,
            negative_prompt=request.negative_prompt or None,
            seed=request.seed,
        )
        source = types.GenerateVideosSource(prompt=request.prompt, image=image)
        operation = _call(
            lambda: self._client.models.generate_videos(model=request.model_id, source=source, config=config)
        )
        if not operation.name:
            raise ProviderError(FailureKind.PROVIDER_ERROR, "Google started no operation.", code="no_operation")
        return Submitted(provider_job_id=operation.name)

    def poll(self, provider_job_id: str) -> PollResult:
        operation = self._operation(provider_job_id)
        if not operation.done:
            return PollResult(state=JobState.RUNNING)
        if operation.error:
            code = str(operation.error.get("code", ""))
            message = str(operation.error.get("message", ""))
            return PollResult(
                state=JobState.FAILED,
                failure=_failure_for_error(code, message),
                provider_code=code,
                provider_message=message,
            )
        if _first_video(operation) is None:
            result = operation.result
            reasons = "; ".join(result.rai_media_filtered_reasons or []) if result else ""
            filtered = bool(result and result.rai_media_filtered_count)
            return PollResult(
                state=JobState.FAILED,
                failure=FailureKind.SAFETY if filtered else FailureKind.PROVIDER_ERROR,
                provider_code="RAI_MEDIA_FILTERED" if filtered else "NO_VIDEO",
                provider_message=reasons or "The operation finished without a video.",
            )
        return PollResult(state=JobState.SUCCEEDED, progress=100)

    def fetch(self, provider_job_id: str) -> Iterator[bytes]:
        try:
            operation = self._operation(provider_job_id)
        except ProviderError as error:
            if error.code == "404":
                raise ProviderError(FailureKind.EXPIRED, "Google no longer has this operation.", code="404") from error
            raise
        video = _first_video(operation)
        if video is None:
            raise ProviderError(FailureKind.PROVIDER_ERROR, "The operation has no video to fetch.", code="NO_VIDEO")
        if not video.video_bytes:
            raise ProviderError(
                FailureKind.PROVIDER_ERROR,
                f"The video was written to {video.uri!r}, which needs Cloud Storage access; set no output bucket.",
                code="UNSUPPORTED_URI",
            )
        data = video.video_bytes
        for start in range(0, len(data), CHUNK_BYTES):
            yield data[start : start + CHUNK_BYTES]

    def cancel(self, provider_job_id: str) -> None:
        """Google's video operations cannot be cancelled: the studio drops the result when it arrives."""

    def parse_webhook(self, headers: dict[str, str], body: bytes) -> WebhookEvent | None:
        return None  # the SDK offers webhooks only in the Developer API mode, which does not generate video

    def _operation(self, name: str) -> types.GenerateVideosOperation:
        return _call(lambda: self._client.operations.get(types.GenerateVideosOperation(name=name)))


def _aspect_ratio(width: int, height: int) -> str:
    divisor = gcd(width, height)
    ratio = (width // divisor, height // divisor)
    if ratio not in _ASPECT:
        raise ProviderError(FailureKind.INVALID_INPUT, f"Veo makes 16:9 or 9:16, not {width}x{height}.", code="size")
    return _ASPECT[ratio]


def _first_video(operation: types.GenerateVideosOperation) -> types.Video | None:
    videos = operation.result.generated_videos if operation.result else None
    return videos[0].video if videos and videos[0].video else None


def _call(request):
    try:
        return request()
    except genai_errors.APIError as error:
        raise ProviderError(
            failure_for_status(error.code),
            error.message or str(error),
            code=str(error.code),
            retry_after=retry_after_seconds(getattr(error.response, "headers", None)),
        ) from error
    except TRANSPORT_ERRORS as error:
        raise unreachable(error) from error


def _failure_for_error(code: str, message: str) -> FailureKind:
    if any(word in message.lower() for word in _SAFETY_WORDS):
        return FailureKind.SAFETY
    return _RPC_FAILURES.get(int(code) if code.isdigit() else -1, FailureKind.PROVIDER_ERROR)


def from_environment() -> GeminiVeo | None:
    """The adapter when GEMINI_API_KEY is set, else None (the provider is not offered)."""
    if not settings.GEMINI_API_KEY:
        return None
    return GeminiVeo(
        api_key=settings.GEMINI_API_KEY, base_url=settings.GEMINI_BASE_URL, timeout=settings.PROVIDER_TIMEOUT_SECONDS
    )
