"""The built-in stand-in renderer: the embedded default, so the studio runs with no provider at all.

It is not a model. It draws a short H.264 clip from the prompt and settings with Pillow and PyAV (moving shapes
whose colours and paths come from the seed and the prompt, with "STAND-IN RENDER" written on every frame), and it
says so everywhere. It goes through the same queue, task and intake path as the real providers: `submit` records
the request in private storage, `poll` reports it running until `render_seconds` have passed, `fetch` renders.

The same seed, prompt and settings give the same pictures; the file also names its provider job id (so two jobs
never make byte-identical files, which the intake would refuse as a duplicate). A prompt containing REFUSE_MARK is
refused as a safety failure, so the failure path can be seen without a provider.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import av
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

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

MODEL_ID = "glasshouse-stand-in"
VERSION = "stand-in-1"
FPS = 12
CHUNK = 256 * 1024
REFUSE_MARK = "[stand-in: refuse]"
CAPABILITIES = Capabilities(
    durations=(2, 4, 6, 8, 10),
    sizes=((640, 360), (360, 640), (480, 480), (1280, 720), (720, 1280)),
    accepts_reference_image=True,
    accepts_negative_prompt=True,
    accepts_seed=True,
    max_prompt_chars=2000,
)


class LocalRenderer:
    key = "local"
    label = "Glasshouse stand-in renderer (not a real model)"

    def __init__(self, *, render_seconds: float = 0, storage=default_storage, folder: str = "studio/local"):
        self.render_seconds = render_seconds
        self.storage = storage
        self.folder = folder

    # --- the Provider interface -------------------------------------------------------------------
    def capabilities(self, model_id: str) -> Capabilities:
        if model_id != MODEL_ID:
            raise ProviderError(FailureKind.INVALID_INPUT, f"The stand-in renderer has no model {model_id!r}.")
        return CAPABILITIES

    def submit(self, request: GenerationRequest) -> Submitted:
        self.capabilities(request.model_id)
        if (request.duration_seconds not in CAPABILITIES.durations) or (
            (request.width, request.height) not in CAPABILITIES.sizes
        ):
            raise ProviderError(FailureKind.INVALID_INPUT, "Unsupported duration or size.", code="invalid_size")
        job_id = f"local-{uuid.uuid4().hex}"
        record = {
            "prompt": request.prompt,
            "negative_prompt": request.negative_prompt,
            "seed": request.seed,
            "duration": request.duration_seconds,
            "width": request.width,
            "height": request.height,
            "extra": request.extra,
            "submitted_at": timezone.now().timestamp(),
            "has_reference": request.reference_image is not None,
            "cancelled": False,
        }
        if request.reference_image is not None:
            self.storage.save(self._name(job_id, "reference"), ContentFile(request.reference_image))
        self._write(job_id, record)
        return Submitted(provider_job_id=job_id)

    def poll(self, provider_job_id: str) -> PollResult:
        record = self._read(provider_job_id)
        if record is None:
            return PollResult(JobState.FAILED, failure=FailureKind.EXPIRED, provider_code="not_found")
        if record["cancelled"]:
            return PollResult(JobState.CANCELLED)
        if REFUSE_MARK in record["prompt"]:
            return PollResult(
                JobState.FAILED,
                failure=FailureKind.SAFETY,
                provider_code="stand_in.refused",
                provider_message="The stand-in renderer refuses prompts marked for refusal.",
            )
        elapsed = timezone.now().timestamp() - record["submitted_at"]
        if elapsed < self.render_seconds:
            return PollResult(JobState.RUNNING, progress=min(99, int(100 * elapsed / self.render_seconds)))
        return PollResult(JobState.SUCCEEDED, progress=100, model_version=VERSION)

    def fetch(self, provider_job_id: str) -> Iterator[bytes]:
        record = self._read(provider_job_id)
        if record is None:
            raise ProviderError(FailureKind.EXPIRED, "The stand-in job is gone.", code="not_found")
        reference = self._reference(provider_job_id) if record["has_reference"] else None
        data = render(record, provider_job_id, reference)
        for start in range(0, len(data), CHUNK):
            yield data[start : start + CHUNK]

    def cancel(self, provider_job_id: str) -> None:
        record = self._read(provider_job_id)
        if record is not None and not self._finished(record):
            self._write(provider_job_id, {**record, "cancelled": True})

    def parse_webhook(self, headers: dict[str, str], body: bytes) -> WebhookEvent | None:
        return None

    # --- its own bookkeeping ----------------------------------------------------------------------
    def forget(self, provider_job_id: str) -> None:
        """Delete what the renderer kept of a job (after the portal has saved the result)."""
        for leaf in ("json", "reference"):
            self.storage.delete(self._name(provider_job_id, leaf))

    def _finished(self, record: dict) -> bool:
        return timezone.now().timestamp() - record["submitted_at"] >= self.render_seconds

    def _name(self, job_id: str, leaf: str) -> str:
        if not job_id.startswith("local-") or not job_id[6:].isalnum():
            raise ProviderError(FailureKind.INVALID_INPUT, "Not a stand-in job id.", code="bad_id")
        return f"{self.folder}/{job_id}.{leaf}"

    def _write(self, job_id: str, record: dict) -> None:
        name = self._name(job_id, "json")
        if self.storage.exists(name):
            self.storage.delete(name)
        self.storage.save(name, ContentFile(json.dumps(record).encode()))

    def _read(self, job_id: str) -> dict | None:
        try:
            with self.storage.open(self._name(job_id, "json"), "rb") as handle:
                return json.loads(handle.read())
        except FileNotFoundError:
            return None
        except OSError as exc:  # S3 answers a missing key with its own error
            if "404" in str(exc) or "NoSuchKey" in str(exc):
                return None
            raise ProviderError(FailureKind.UNREACHABLE, str(exc)) from exc

    def _reference(self, job_id: str) -> Image.Image | None:
        with self.storage.open(self._name(job_id, "reference"), "rb") as handle:
            return Image.open(io.BytesIO(handle.read())).convert("RGB")


def from_environment() -> LocalRenderer:
    """Always offered: the embedded default."""
    return LocalRenderer(render_seconds=getattr(settings, "STUDIO_LOCAL_RENDER_SECONDS", 0))


# --- drawing ----------------------------------------------------------------------------------------
def render(record: dict, provider_job_id: str, reference: Image.Image | None = None) -> bytes:
    """An MP4 (H.264, silent) of the record's length and size; the pictures depend only on the settings."""
    width, height, frames = record["width"], record["height"], record["duration"] * FPS
    scene = _Scene(_seed_of(record), width, height, reference)
    with tempfile.TemporaryDirectory(prefix="glasshouse-stand-in-") as folder:
        path = os.path.join(folder, "render.mp4")
        with av.open(path, "w", format="mp4", options={"movflags": "+faststart"}) as out:
            out.metadata["title"] = record["prompt"][:200]
            out.metadata["comment"] = f"Glasshouse stand-in renderer {VERSION}, job {provider_job_id}"
            stream = out.add_stream("h264", rate=FPS)
            stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
            stream.options = {"preset": "veryfast", "threads": "1"}
            for index in range(frames):
                frame = av.VideoFrame.from_image(scene.picture(index, frames, record.get("seed")))
                for packet in stream.encode(frame):
                    out.mux(packet)
            for packet in stream.encode():
                out.mux(packet)
        return Path(path).read_bytes()


def _seed_of(record: dict) -> int:
    text = json.dumps(
        [record["seed"], record["prompt"], record["negative_prompt"], record["extra"]], sort_keys=True, default=str
    )
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


class _Scene:
    """Shapes on a coloured ground, moving along paths the seed chooses."""

    def __init__(self, seed: int, width: int, height: int, reference: Image.Image | None):
        rng = random.Random(seed)
        self.width, self.height = width, height
        self.ground = tuple(rng.randrange(20, 120) for _ in range(3))
        if reference is not None:
            self.ground_image = reference.resize((width, height))
        else:
            self.ground_image = None
        self.shapes = [
            (
                tuple(rng.randrange(80, 256) for _ in range(3)),
                rng.uniform(0.05, 0.95),
                rng.uniform(0.1, 0.9),
                rng.uniform(-0.4, 0.4),
                rng.uniform(0.04, 0.15),
            )
            for _ in range(rng.randrange(3, 7))
        ]
        self.font = ImageFont.load_default(size=max(12, height // 18))

    def picture(self, index: int, frames: int, seed) -> Image.Image:
        image = self.ground_image.copy() if self.ground_image else Image.new("RGB", (self.width, self.height))
        if self.ground_image is None:
            image.paste(self.ground, (0, 0, self.width, self.height))
        draw = ImageDraw.Draw(image)
        t = index / max(1, frames)
        for colour, x, y, speed, radius in self.shapes:
            cx = ((x + speed * t) % 1.0) * self.width
            cy = y * self.height
            r = radius * min(self.width, self.height)
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)
        draw.text((10, 8), "STAND-IN RENDER · not a real model", fill=(255, 255, 255), font=self.font)
        draw.text((10, self.height - self.font.size - 10), f"seed {seed}", fill=(255, 255, 255), font=self.font)
        return image
