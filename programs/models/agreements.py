"""Participation agreements: versions that never change once published, and who accepted which.

An agreement is content, not interface: each version may be published in several languages (one row per
language, the same version number); the artist reads the one in their language, or the program's default."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models.core import Enrolment, Program


def content_hash(body: str) -> str:
    """SHA-256 of the text exactly as published: equal to `sha256sum` of the downloaded file."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class AgreementVersionQuerySet(models.QuerySet):
    def published(self) -> "AgreementVersionQuerySet":
        return self.filter(published_at__isnull=False)


class AgreementVersion(models.Model):
    """One version of a program's participation agreement. A draft until published, then frozen."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="agreement_versions", verbose_name=_("program")
    )
    version = models.PositiveIntegerField(_("version"), editable=False)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_(
            "The program's default language starts a new version; another language translates the current one."
        ),
    )
    title = models.CharField(_("title"), max_length=200, default=_("Participation agreement"))
    body = models.TextField(_("text"), help_text=_("Plain text. Separate paragraphs with a blank line."))
    summary_of_changes = models.TextField(
        _("summary of changes"),
        blank=True,
        help_text=_("In plain language: what changed since the previous version, and why."),
    )
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = AgreementVersionQuerySet.as_manager()

    class Meta:
        ordering = ["program", "-version", "language"]
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        constraints = [
            models.UniqueConstraint(fields=["program", "version", "language"], name="agreement_version_unique"),
            models.UniqueConstraint(
                fields=["program", "language"],
                condition=Q(published_at__isnull=True),
                name="one_agreement_draft_per_program_language",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | ~Q(content_hash=""), name="published_agreement_has_hash"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program.name}: {self.title} v{self.version} ({self.language})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def translations(self) -> "AgreementVersionQuerySet":
        """This version as published in every language (itself included)."""
        return AgreementVersion.objects.published().filter(program_id=self.program_id, version=self.version)

    @property
    def download_name(self) -> str:
        suffix = "" if self.language == self.program.language else f"-{self.language}"
        return f"{self.program.slug}-agreement-v{self.version}{suffix}.txt"


class AgreementAcceptance(models.Model):
    """An artist accepted one exact version. Never edited: a new version is accepted with a new row."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="acceptances", verbose_name=_("enrolment")
    )
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="acceptances", verbose_name=_("version")
    )
    language = models.CharField(
        _("language shown"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    content_hash = models.CharField(
        _("content hash"), max_length=64, help_text=_("SHA-256 of the text the artist accepted.")
    )
    accepted_at = models.DateTimeField(_("accepted"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        ordering = ["-accepted_at", "-pk"]
        verbose_name = _("agreement acceptance")
        verbose_name_plural = _("agreement acceptances")
        constraints = [models.UniqueConstraint(fields=["enrolment", "version"], name="accept_each_version_once")]

    def __str__(self) -> str:
        return f"{self.enrolment.user} accepted v{self.version.version} of {self.version.program}"
