"""A generation job: one request an artist made, through the program's fair queue and a provider, to a Video.

Its status changes only through studio.services (core.lifecycle: the map is GenerationJob.MOVES, every move
writes a GenerationJobEvent). A finished job becomes a Video through the submissions intake, so it enters review
like any upload: nothing generated reaches the gallery without passing the gate.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.history import HistoryEvent
from programs.models import Enrolment, Program
from studio.models.catalogue import GenerationModel, StylePreset
from studio.providers.base import FailureKind

MAX_PROMPT_CHARS = 2000  # the portal's own bound; a model may allow fewer

FAILURE_LABELS = {
    FailureKind.SAFETY: _("The model's safety system refused the prompt or the reference image."),
    FailureKind.INVALID_INPUT: _("The model does not accept one of the settings."),
    FailureKind.THROTTLED: _("The provider was too busy; try again later."),
    FailureKind.EXPIRED: _("The result expired at the provider before it could be saved."),
    FailureKind.PROVIDER_ERROR: _("The provider failed on its side."),
    FailureKind.UNREACHABLE: _("The provider could not be reached."),
}
INTAKE_REFUSED = "intake_refused"
TIMED_OUT = "timed_out"
EXTRA_FAILURE_LABELS = {
    INTAKE_REFUSED: _("The finished clip could not be taken in as a video."),
    TIMED_OUT: _("The job took too long and was given up."),
}


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Generating")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


class GenerationJob(models.Model):
    Status = JobStatus

    MOVES = {
        "": {Status.QUEUED},
        Status.QUEUED: {Status.RUNNING, Status.FAILED, Status.CANCELLED, Status.EXPIRED},
        Status.RUNNING: {Status.SUCCEEDED, Status.FAILED, Status.CANCELLED, Status.EXPIRED},
    }
    MOVE_REFUSALS = {
        Status.SUCCEEDED: _("This job has finished."),
        Status.FAILED: _("This job has failed; retry it to make a new one."),
        Status.CANCELLED: _("This job was cancelled."),
        Status.EXPIRED: _("This job expired."),
    }
    ACTIVE = (Status.QUEUED, Status.RUNNING)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="generation_jobs")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="generation_jobs")
    artist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="generation_jobs")
    model = models.ForeignKey(GenerationModel, on_delete=models.PROTECT, related_name="jobs")
    preset = models.ForeignKey(StylePreset, on_delete=models.SET_NULL, null=True, blank=True, related_name="jobs")
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", help_text=_("Retried or remixed.")
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    status_changed_at = models.DateTimeField(auto_now_add=True)

    # Every setting, as asked (the prompt sent is `prompt` plus the preset's suffix: see `request_prompt`).
    title = models.CharField(max_length=200, blank=True)
    prompt = models.TextField()
    negative_prompt = models.TextField(blank=True)
    duration_seconds = models.PositiveSmallIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    aspect_ratio = models.CharField(max_length=8)
    seed = models.BigIntegerField(null=True, blank=True)
    settings = models.JSONField(default=dict, blank=True, help_text=_("The preset's parameters, as sent."))
    reference_image = models.FileField(max_length=255, blank=True)
    reference_image_type = models.CharField(max_length=32, blank=True)
    form_token = models.CharField(max_length=64, blank=True, editable=False)

    # What the provider said.
    provider_job_id = models.CharField(max_length=255, blank=True)
    model_version = models.CharField(max_length=60, blank=True)
    progress = models.PositiveSmallIntegerField(null=True, blank=True)
    failure_kind = models.CharField(max_length=20, blank=True)
    provider_code = models.CharField(max_length=100, blank=True)
    provider_message = models.TextField(blank=True)
    result_sha256 = models.CharField(max_length=64, blank=True)

    # Timings: queued (created_at), submitted to the provider, finished.
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    video = models.OneToOneField(
        "submissions.Video", on_delete=models.PROTECT, null=True, blank=True, related_name="generation_job"
    )
    time_entry = models.OneToOneField(
        "programs.TimeEntry", on_delete=models.PROTECT, null=True, blank=True, related_name="generation_job"
    )

    class Meta:
        verbose_name = _("generation job")
        verbose_name_plural = _("generation jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="generation_job_status"),
            models.UniqueConstraint(
                fields=["artist", "form_token"], condition=~Q(form_token=""), name="generation_job_form_token_once"
            ),
        ]
        indexes = [
            models.Index(fields=["program", "status", "created_at"]),
            models.Index(fields=["status", "status_changed_at"]),
            models.Index(fields=["artist", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.title or _("Clip #%(pk)s") % {"pk": self.pk}

    def history_row(self, **fields) -> "GenerationJobEvent":
        return GenerationJobEvent(job=self, **fields)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def request_prompt(self) -> str:
        suffix = self.settings.get("prompt_suffix", "") if isinstance(self.settings, dict) else ""
        return f"{self.prompt.strip()}, {suffix}" if suffix else self.prompt.strip()

    @property
    def failure_label(self) -> str:
        if not self.failure_kind:
            return ""
        labels = {**{k.value: v for k, v in FAILURE_LABELS.items()}, **EXTRA_FAILURE_LABELS}
        return str(labels.get(self.failure_kind, self.failure_kind))

    @property
    def wait_seconds(self) -> float | None:
        """Time in the queue: from the request to the provider's start."""
        return (self.started_at - self.created_at).total_seconds() if self.started_at else None

    @property
    def elapsed_seconds(self) -> float | None:
        """Queue plus generation: from the request to the end."""
        return (self.finished_at - self.created_at).total_seconds() if self.finished_at else None

    def storage_name(self, leaf: str) -> str:
        return f"studio/jobs/{self.public_id.hex}/{leaf}"


class GenerationJobEvent(HistoryEvent):
    """History of a generation job. Append-only."""

    job = models.ForeignKey(GenerationJob, on_delete=models.CASCADE, related_name="events")

    def __str__(self) -> str:
        return f"{self.job}: {self.from_status or '—'} → {self.to_status}"

    class Meta(HistoryEvent.Meta):
        verbose_name = _("generation job event")
        verbose_name_plural = _("generation job events")
