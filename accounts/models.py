"""The account's own records beside the user: personal data exports."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def export_storage_name(instance: "DataExport", filename: str) -> str:
    """Where an export's ZIP lives in private storage: a folder named by a random token, chosen by the server."""
    return f"exports/{instance.token}/{filename}"


def new_export_token() -> str:
    return secrets.token_hex(16)


class DataExport(models.Model):
    """A ZIP of everything the portal holds about one person, built in the background and kept for 24 hours.

    Status changes only through accounts.personal_data.exports; each state has its own timestamp on the row.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        BUILDING = "building", _("Being prepared")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    IN_PROGRESS = (Status.QUEUED, Status.BUILDING)
    # A failed build may be taken again by the sweeper's retry; an export ends expired (its file deleted).
    MOVES = {
        "": {Status.QUEUED},
        Status.QUEUED: {Status.BUILDING, Status.FAILED},
        Status.BUILDING: {Status.READY, Status.FAILED},
        Status.READY: {Status.EXPIRED},
    }

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text=_("Percent done, 0 to 100."))
    stage = models.CharField(max_length=120, blank=True, help_text=_("What is being collected now."))
    token = models.CharField(max_length=32, unique=True, default=new_export_token, editable=False)
    file = models.FileField(upload_to=export_storage_name, max_length=255, blank=True)
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    claim = models.CharField(
        max_length=64, blank=True, help_text=_("The task building it (makes the task idempotent).")
    )
    error = models.TextField(blank=True, help_text=_("Why it failed, for the person."))
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text=_("The file is deleted after this."))
    failed_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        db_table = "portal_dataexport"  # the table keeps the name it had when this model lived in portal
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A double click, or two tabs, never start two exports: one may be under way per person.
            models.UniqueConstraint(
                fields=["user"], condition=Q(status__in=["queued", "building"]), name="one_export_under_way"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="export_progress_percent"),
            models.CheckConstraint(
                condition=~Q(status="ready") | (Q(expires_at__isnull=False) & ~Q(file="")),
                name="ready_export_has_file_and_expiry",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="portal_data_status_ac9459_idx")]

    def __str__(self) -> str:
        return f"Data export #{self.pk} of {self.user} ({self.get_status_display().lower()})"

    def history_row(self, **fields) -> None:
        """No history table: an export is personal data, deleted with the account; each state has its timestamp."""
        return None

    @property
    def is_under_way(self) -> bool:
        return self.status in self.IN_PROGRESS

    def is_downloadable(self, now=None) -> bool:
        return self.status == self.Status.READY and self.expires_at > (now or timezone.now())

    @property
    def download_name(self) -> str:
        return f"glasshouse-data-{timezone.localtime(self.ready_at or self.created_at):%Y-%m-%d}.zip"
