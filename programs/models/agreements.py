"""Participation agreements: versions that never change once published, and who accepted which."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from programs.models.core import Enrolment, Program


def content_hash(body: str) -> str:
    """SHA-256 of the text exactly as published: equal to `sha256sum` of the downloaded file."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class AgreementVersionQuerySet(models.QuerySet):
    def published(self) -> "AgreementVersionQuerySet":
        return self.filter(published_at__isnull=False)


class AgreementVersion(models.Model):
    """One version of a program's participation agreement. A draft until published, then frozen."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="agreement_versions")
    version = models.PositiveIntegerField(editable=False)
    title = models.CharField(max_length=200, default="Participation agreement")
    body = models.TextField(help_text="Plain text. Separate paragraphs with a blank line.")
    summary_of_changes = models.TextField(
        blank=True, help_text="In plain language: what changed since the previous version, and why."
    )
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = AgreementVersionQuerySet.as_manager()

    class Meta:
        ordering = ["program", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["program", "version"], name="agreement_version_unique"),
            models.UniqueConstraint(
                fields=["program"], condition=Q(published_at__isnull=True), name="one_agreement_draft_per_program"
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | ~Q(content_hash=""), name="published_agreement_has_hash"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program.name}: {self.title} v{self.version}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def download_name(self) -> str:
        return f"{self.program.slug}-agreement-v{self.version}.txt"


class AgreementAcceptance(models.Model):
    """An artist accepted one exact version. Never edited: a new version is accepted with a new row."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="acceptances")
    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="acceptances")
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the text the artist accepted.")
    accepted_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-accepted_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "version"], name="accept_each_version_once")]

    def __str__(self) -> str:
        return f"{self.enrolment.user} accepted v{self.version.version} of {self.version.program}"
