"""A ComfyUI server the company runs for open models, over its plain HTTP API: POST /prompt queues a workflow,
GET /queue and GET /history/{id} tell its state, GET /view serves the saved file, POST /queue {"delete": [...]}
and POST /interrupt cancel it, POST /upload/image takes a reference image.

Each model is a workflow in ComfyUI's API format, kept in a JSON file (COMFYUI_WORKFLOWS_PATH, default
comfyui_workflows.json beside this module) with its capabilities and frame rate. Whole-string placeholders such as
"{{seed}}" are replaced by typed values: PLACEHOLDERS lists them, and a model's "parameters" (e.g. steps, cfg) add
their own, with defaults that a style preset's structured parameters (`GenerationRequest.extra`) may override;
other extra keys are not this model's and are left alone. ComfyUI has no safety system of its own; a
workflow's safety-check node refuses by raising an error whose type or message names safety (e.g.
"SafetyCheckError"), which is reported as a safety failure. ComfyUI sends no webhooks; the studio polls.
"""

from __future__ import annotations

import copy
import json
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
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
from studio.providers.common import api_timeout, download_client, http_error, stream_download, unreachable

DEFAULT_WORKFLOWS = Path(__file__).with_name("comfyui_workflows.json")
PLACEHOLDERS = frozenset(
    {"prompt", "negative_prompt", "seed", "width", "height", "frames", "fps", "duration_seconds", "reference_image"}
    | {"filename_prefix"}
)
VIDEO_SUFFIXES = (".mp4", ".webm", ".mov", ".mkv")
_SEED_LIMIT = 2**32


@dataclass(frozen=True)
class Workflow:
    capabilities: Capabilities
    fps: int
    graph: dict
    parameters: dict[str, object]  # name -> default, for placeholders a style preset may set

    def parameter_values(self, extra: dict[str, object]) -> dict[str, object]:
        """The defaults, overridden by the preset's values of the same names and types."""
        values = dict(self.parameters)
        for name, default in self.parameters.items():
            if name not in extra:
                continue
            try:
                values[name] = _as_type_of(default, extra[name])
            except (TypeError, ValueError):
                raise ProviderError(
                    FailureKind.INVALID_INPUT,
                    f"The parameter {name!r} must be a {type(default).__name__}, not {extra[name]!r}.",
                    code="parameter",
                ) from None
        return values


def _as_type_of(default: object, value: object) -> object:
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise TypeError(value)
        return value
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError(value)
    return type(default)(value)


def load_workflows(path: Path) -> dict[str, Workflow]:
    """Read the workflows file; a placeholder nobody fills in is an error here, not a failed job later."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    workflows = {}
    for model_id, entry in raw.items():
        caps = entry["capabilities"]
        capabilities = Capabilities(
            durations=tuple(caps["durations"]),
            sizes=tuple((int(width), int(height)) for width, height in caps["sizes"]),
            accepts_reference_image=bool(caps.get("accepts_reference_image", False)),
            accepts_negative_prompt=bool(caps.get("accepts_negative_prompt", False)),
            accepts_seed=bool(caps.get("accepts_seed", False)),
            max_prompt_chars=int(caps.get("max_prompt_chars", 2000)),
        )
        parameters = dict(entry.get("parameters", {}))
        if clashes := PLACEHOLDERS & parameters.keys():
            raise ValueError(f"{path}: model {model_id!r} names parameters the studio fills: {sorted(clashes)}.")
        unknown = _placeholders_in(entry["workflow"]) - PLACEHOLDERS - parameters.keys()
        if unknown:
            raise ValueError(f"{path}: model {model_id!r} uses unknown placeholders {sorted(unknown)}.")
        workflows[model_id] = Workflow(
            capabilities=capabilities, fps=int(entry["fps"]), graph=entry["workflow"], parameters=parameters
        )
    return workflows


def _placeholders_in(value) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(_placeholders_in(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(_placeholders_in(item) for item in value))
    if isinstance(value, str) and value.startswith("{{") and value.endswith("}}"):
        return {value[2:-2].strip()}
    return set()


def _filled(value, values: dict[str, object]):
    if isinstance(value, dict):
        return {key: _filled(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [_filled(item, values) for item in value]
    if isinstance(value, str) and value.startswith("{{") and value.endswith("}}"):
        return values[value[2:-2].strip()]
    return value


class ComfyUI:
    key = "comfyui"
    label = "ComfyUI (company-run open models)"

    def __init__(self, *, base_url: str, workflows: dict[str, Workflow], token: str = "", timeout: float = 30):
        self._workflows = workflows
        self._base_url = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._client = httpx.Client(base_url=self._base_url, timeout=api_timeout(timeout), headers=self._headers)

    def capabilities(self, model_id: str) -> Capabilities:
        return self._workflow(model_id).capabilities

    def submit(self, request: GenerationRequest) -> Submitted:
        workflow = self._workflow(request.model_id)
        values = {
            **workflow.parameter_values(request.extra),
            "prompt": request.prompt,
            "negative_prompt": request.negative_prompt,
            "seed": request.seed if request.seed is not None else secrets.randbelow(_SEED_LIMIT),
            "width": request.width,
            "height": request.height,
            "fps": workflow.fps,
            "frames": request.duration_seconds * workflow.fps + 1,
            "duration_seconds": request.duration_seconds,
            "reference_image": self._upload(request) if request.reference_image else "",
            "filename_prefix": f"glasshouse/{uuid.uuid4().hex}",
        }
        graph = _filled(copy.deepcopy(workflow.graph), values)
        answer = self._json("POST", "/prompt", json={"prompt": graph, "client_id": "glasshouse"})
        prompt_id = answer.get("prompt_id")
        if not isinstance(prompt_id, str) or not prompt_id:
            raise ProviderError(FailureKind.PROVIDER_ERROR, "ComfyUI queued no prompt.", code="no_prompt_id")
        return Submitted(provider_job_id=prompt_id)

    def poll(self, provider_job_id: str) -> PollResult:
        # The queue first: a job leaves it only after its history is written, so none falls between the two reads.
        running, pending = self._queue()
        if provider_job_id in running:
            return PollResult(state=JobState.RUNNING)
        if provider_job_id in pending:
            return PollResult(state=JobState.QUEUED)
        entry = self._history(provider_job_id)
        if entry is None:
            return PollResult(
                state=JobState.FAILED,
                failure=FailureKind.PROVIDER_ERROR,
                provider_code="LOST",
                provider_message="ComfyUI no longer knows this job (was it restarted?).",
            )
        return _result(entry)

    def fetch(self, provider_job_id: str) -> Iterator[bytes]:
        entry = self._history(provider_job_id)
        output = _video_output(entry) if entry else None
        if output is None:
            raise ProviderError(FailureKind.EXPIRED, "ComfyUI no longer lists this job's video.", code="NO_HISTORY")
        params = {"filename": output["filename"], "subfolder": output.get("subfolder", ""), "type": output["type"]}
        with download_client() as client:
            yield from stream_download(client, f"{self._base_url}/view", headers=self._headers, params=params)

    def cancel(self, provider_job_id: str) -> None:
        """Take a waiting job off the queue, or interrupt it if it runs (only it: the interrupt names it)."""
        running, pending = self._queue()
        if provider_job_id in pending:
            self._json("POST", "/queue", json={"delete": [provider_job_id]})
        elif provider_job_id in running:
            self._json("POST", "/interrupt", json={"prompt_id": provider_job_id})

    def parse_webhook(self, headers: dict[str, str], body: bytes) -> WebhookEvent | None:
        return None  # ComfyUI has no webhooks

    def _workflow(self, model_id: str) -> Workflow:
        try:
            return self._workflows[model_id]
        except KeyError:
            raise ProviderError(
                FailureKind.INVALID_INPUT, f"ComfyUI has no workflow for {model_id!r}.", code="unknown_model"
            ) from None

    def _upload(self, request: GenerationRequest) -> str:
        suffix = (request.reference_image_type or "image/png").rpartition("/")[2]
        name = f"glasshouse-{uuid.uuid4().hex}.{suffix}"
        files = {"image": (name, request.reference_image, request.reference_image_type or "image/png")}
        answer = self._json("POST", "/upload/image", files=files, data={"type": "input"})
        subfolder = answer.get("subfolder") or ""
        return f"{subfolder}/{answer['name']}" if subfolder else answer["name"]

    def _queue(self) -> tuple[set[str], set[str]]:
        queue = self._json("GET", "/queue")
        # Each item is [number, prompt_id, prompt, extra_data, outputs_to_execute].
        running = {item[1] for item in queue.get("queue_running", [])}
        pending = {item[1] for item in queue.get("queue_pending", [])}
        return running, pending

    def _history(self, prompt_id: str) -> dict | None:
        return self._json("GET", f"/history/{prompt_id}").get(prompt_id)

    def _json(self, method: str, path: str, **kwargs) -> dict:
        try:
            response = self._client.request(method, path, **kwargs)
        except httpx.TransportError as error:
            raise unreachable(error) from error
        if response.status_code >= 400:
            raise _refusal(response)
        if not response.content:
            return {}
        try:
            return response.json()
        except ValueError as error:
            raise ProviderError(FailureKind.PROVIDER_ERROR, "ComfyUI answered with something not JSON.") from error


def _refusal(response: httpx.Response) -> ProviderError:
    """ComfyUI refuses a workflow with 400 and {"error": {"type", "message"}, "node_errors": {...}}."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        details = [
            f"{node}: {problem.get('message', '')} {problem.get('details', '')}".strip()
            for node, entry in (body.get("node_errors") or {}).items()
            for problem in entry.get("errors", [])
        ]
        message = "; ".join([error.get("message", ""), *details]).strip("; ")
        return http_error(response.status_code, message, code=error.get("type", ""), headers=response.headers)
    return http_error(response.status_code, response.text[:500], headers=response.headers)


def _result(entry: dict) -> PollResult:
    status = entry.get("status") or {}
    messages = dict(status.get("messages", []))
    if "execution_interrupted" in messages:
        return PollResult(state=JobState.CANCELLED, provider_code="execution_interrupted")
    if status.get("status_str") == "error" or "execution_error" in messages:
        error = messages.get("execution_error", {})
        kind, text = str(error.get("exception_type", "")), str(error.get("exception_message", "")).strip()
        safety = "safety" in kind.lower() or text.lower().startswith("safety")
        return PollResult(
            state=JobState.FAILED,
            failure=FailureKind.SAFETY if safety else FailureKind.PROVIDER_ERROR,
            provider_code=kind or "execution_error",
            provider_message=f"{error.get('node_type', '')}: {text}".strip(": "),
        )
    if not status.get("completed"):
        return PollResult(state=JobState.RUNNING)
    if _video_output(entry) is None:
        return PollResult(
            state=JobState.FAILED,
            failure=FailureKind.PROVIDER_ERROR,
            provider_code="NO_VIDEO",
            provider_message="The workflow finished without saving a video.",
        )
    return PollResult(state=JobState.SUCCEEDED, progress=100)


def _video_output(entry: dict) -> dict | None:
    """The first saved video among the outputs (SaveVideo lists it under "images", older nodes under "gifs")."""
    for node_output in (entry.get("outputs") or {}).values():
        for key in ("videos", "images", "gifs"):
            for item in node_output.get(key, []):
                if str(item.get("filename", "")).lower().endswith(VIDEO_SUFFIXES) and item.get("type") == "output":
                    return item
    return None


def from_environment() -> ComfyUI | None:
    """The adapter when COMFYUI_URL is set, else None (the provider is not offered)."""
    if not settings.COMFYUI_URL:
        return None
    path = Path(settings.COMFYUI_WORKFLOWS_PATH) if settings.COMFYUI_WORKFLOWS_PATH else DEFAULT_WORKFLOWS
    return ComfyUI(
        base_url=settings.COMFYUI_URL,
        workflows=load_workflows(path),
        token=settings.COMFYUI_TOKEN,
        timeout=settings.PROVIDER_TIMEOUT_SECONDS,
    )
