"""Trusted publishers: artists whose videos in a program skip pre-publication review."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.recorded import said_column, shown
from programs.models.core import Enrolment


class TrustedPublisherQuerySet(models.QuerySet):
    def in_force(self) -> "TrustedPublisherQuerySet":
        return self.filter(revoked_at__isnull=True)


class TrustedPublisher(models.Model):
    """An exemption from review, granted by staff with a reason; revoked by a second, recorded decision."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="trust_grants")
    reason = models.TextField()
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.TextField(blank=True)
    revoke_reason_said = said_column()

    objects = TrustedPublisherQuerySet.as_manager()

    class Meta:
        verbose_name = _("trusted publisher")
        verbose_name_plural = _("trusted publishers")
        ordering = ["-granted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"], condition=Q(revoked_at__isnull=True), name="one_trust_grant_in_force"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.user} is a trusted publisher in {self.enrolment.program}"

    @property
    def revoke_reason_text(self) -> str:
        """Why the exemption ended, in the reader's language (a system sentence) or as staff typed it."""
        return shown(self.revoke_reason, self.revoke_reason_said)
