"""Masters sent from the browser straight to the bucket (S3 multipart), before they become a Video.

The web process signs each request to the bucket and never sees the bytes; the video worker hashes the stored
object and takes it in through the same intake as a streamed upload. A row changes state only through
submissions.services.direct_uploads; every change writes a DirectUploadEvent.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.history import HistoryEvent
from core.recorded import said_column, shown
from programs.models import Enrolment, Program

# Where direct uploads land: one prefix per upload, chosen by the server (the browser never names a key).
DIRECT_UPLOAD_PREFIX = "uploads"


class DirectUploadStatus(models.TextChoices):
    STARTED = "started", _("Uploading")
    COMPLETED = "completed", _("Received, being checked")
    PROCESSED = "processed", _("Taken in")
    REJECTED = "rejected", _("Refused")
    ABORTED = "aborted", _("Cancelled")
    EXPIRED = "expired", _("Expired unfinished")


class DirectUpload(models.Model):
    """One multipart upload from an artist's browser to the bucket, and what became of it."""

    Status = DirectUploadStatus
    MOVES = {
        "": {Status.STARTED},
        Status.STARTED: {Status.COMPLETED, Status.REJECTED, Status.ABORTED, Status.EXPIRED},
        Status.COMPLETED: {Status.PROCESSED, Status.REJECTED},
    }
    OPEN = (Status.STARTED,)
    FINISHED = (Status.PROCESSED, Status.REJECTED, Status.ABORTED, Status.EXPIRED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="direct_uploads")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="direct_uploads")
    artist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="direct_uploads")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.STARTED)

    key = models.CharField(max_length=255, unique=True, help_text=_("The object's key in the bucket."))
    s3_upload_id = models.CharField(max_length=1024, blank=True, help_text=_("The bucket's multipart upload id."))
    part_size = models.PositiveBigIntegerField()
    original_filename = models.CharField(max_length=255)
    declared_size = models.PositiveBigIntegerField()
    declared_content_type = models.CharField(max_length=100)
    # The browser's File.lastModified (ms): with the name and size it recognises the same file after a reload.
    file_last_modified = models.BigIntegerField(default=0)
    provenance = models.JSONField(default=dict, help_text=_("The upload form's fields, for the intake."))
    replaces = models.ForeignKey(
        "submissions.Video", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    video = models.ForeignKey(
        "submissions.Video", on_delete=models.SET_NULL, null=True, blank=True, related_name="direct_uploads"
    )
    container = models.CharField(max_length=10, blank=True, help_text=_("What sniffing the stored bytes found."))
    sha256 = models.CharField(max_length=64, blank=True)
    reason = models.TextField(blank=True, help_text=_("Why it was refused, for the artist."))
    reason_said = said_column()
    processing_attempts = models.PositiveSmallIntegerField(default=0)

    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("direct upload")
        verbose_name_plural = _("direct uploads")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=DirectUploadStatus.values), name="direct_upload_status"),
            # One open upload per file (a double click, two tabs): the second start gets the first back.
            models.UniqueConstraint(
                fields=["artist", "program", "original_filename", "declared_size", "file_last_modified"],
                condition=Q(status=DirectUploadStatus.STARTED),
                name="direct_upload_one_open_per_file",
            ),
        ]
        indexes = [models.Index(fields=["status", "status_changed_at"]), models.Index(fields=["artist", "status"])]

    def __str__(self) -> str:
        return f"{self.original_filename} ({self.get_status_display()})"

    def history_row(self, **fields) -> "DirectUploadEvent":
        return DirectUploadEvent(upload=self, **fields)

    @property
    def reason_text(self) -> str:
        """Why it was refused, in the reader's language."""
        return shown(self.reason, self.reason_said)

    @property
    def part_count(self) -> int:
        """How many parts the declared size makes at this upload's part size (the most a signature may name)."""
        return max(1, -(-self.declared_size // self.part_size))

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class DirectUploadEvent(HistoryEvent):
    """History of a direct upload. Append-only."""

    upload = models.ForeignKey(DirectUpload, on_delete=models.CASCADE, related_name="events")

    class Meta(HistoryEvent.Meta):
        verbose_name = _("direct upload event")
        verbose_name_plural = _("direct upload events")
        constraints = [models.CheckConstraint(condition=~Q(to_status=""), name="direct_upload_event_has_target")]

    def __str__(self) -> str:
        return f"{self.upload}: {self.from_status or '—'} → {self.to_status}"
