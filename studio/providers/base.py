"""The one interface every model provider adapter implements.

The studio never talks to a provider's API except through these calls. It always reconciles by polling (`poll`), even
where a provider also sends webhooks (`parse_webhook` only tells which job to poll sooner), and it downloads a finished
result into private storage at once (`fetch`), because providers' result links expire within hours or days.
Credentials come from the environment (settings), never from the database or a page.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol


class JobState(enum.StrEnum):
    """A provider's job state, normalised. `QUEUED` covers a provider's own queue and throttling."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class FailureKind(enum.StrEnum):
    """Why a provider job failed, in categories an artist can act on (the provider's own code is kept beside it)."""

    SAFETY = "safety"  # the prompt or input was refused by the provider's safety system
    INVALID_INPUT = "invalid_input"  # a setting the provider does not accept
    THROTTLED = "throttled"  # the provider refused for load or quota; worth retrying later
    EXPIRED = "expired"  # the result link expired before it was fetched
    PROVIDER_ERROR = "provider_error"  # the provider failed on its side
    UNREACHABLE = "unreachable"  # no answer from the provider (network, timeout)


@dataclass(frozen=True)
class Capabilities:
    """What a model can make. The program may cap these further (e.g. 10 s, 1080p)."""

    durations: tuple[int, ...]  # seconds
    sizes: tuple[tuple[int, int], ...]  # (width, height)
    accepts_reference_image: bool = False
    accepts_negative_prompt: bool = False
    accepts_seed: bool = False
    max_prompt_chars: int = 2000


@dataclass(frozen=True)
class GenerationRequest:
    """Everything a provider needs for one job; the studio has already checked it against `Capabilities`."""

    model_id: str
    prompt: str
    duration_seconds: int
    width: int
    height: int
    negative_prompt: str = ""
    seed: int | None = None
    reference_image: bytes | None = None  # already through the portal's image intake
    reference_image_type: str = ""  # e.g. "image/png"
    extra: dict[str, object] = field(default_factory=dict)  # structured style-preset parameters


@dataclass(frozen=True)
class Submitted:
    provider_job_id: str


@dataclass(frozen=True)
class PollResult:
    state: JobState
    progress: int | None = None  # 0..100 where the provider says
    failure: FailureKind | None = None
    provider_code: str = ""  # the provider's own code, e.g. "SAFETY.INPUT.TEXT"
    provider_message: str = ""  # the provider's own words (shown to staff; artists see the FailureKind's plain text)
    model_version: str = ""  # where the provider reports which version ran


@dataclass(frozen=True)
class WebhookEvent:
    provider_job_id: str


class ProviderError(Exception):
    """A call to the provider failed; `failure` says how, `retry_after` (seconds) where the provider said."""

    def __init__(self, failure: FailureKind, message: str = "", *, code: str = "", retry_after: int | None = None):
        super().__init__(message or failure.value)
        self.failure = failure
        self.code = code
        self.retry_after = retry_after


class WebhookRejected(Exception):
    """A webhook whose signature or shape does not verify; the view answers 400 and records nothing."""


class Provider(Protocol):
    """One adapter per provider. `key` is stored on models (e.g. "local", "openai", "runway", "gemini", "comfyui")."""

    key: str
    label: str  # shown to people, e.g. "OpenAI Videos API"; the local renderer says it is a stand-in

    def capabilities(self, model_id: str) -> Capabilities: ...

    def submit(self, request: GenerationRequest) -> Submitted: ...

    def poll(self, provider_job_id: str) -> PollResult: ...

    def fetch(self, provider_job_id: str) -> Iterator[bytes]:
        """The finished file's bytes, in chunks (raises ProviderError(EXPIRED) when the result link has expired)."""
        ...

    def cancel(self, provider_job_id: str) -> None: ...

    def parse_webhook(self, headers: dict[str, str], body: bytes) -> WebhookEvent | None:
        """Verify and read a webhook; None for providers without webhooks; raises WebhookRejected on a bad signature."""
        ...


__all__ = [
    "Capabilities",
    "FailureKind",
    "GenerationRequest",
    "JobState",
    "PollResult",
    "Provider",
    "ProviderError",
    "Submitted",
    "WebhookEvent",
    "WebhookRejected",
]
