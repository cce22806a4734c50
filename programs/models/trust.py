"""Trusted publishers: artists whose videos in a program skip pre-publication review."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

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

    objects = TrustedPublisherQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"], condition=Q(revoked_at__isnull=True), name="one_trust_grant_in_force"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.user} is a trusted publisher in {self.enrolment.program}"
