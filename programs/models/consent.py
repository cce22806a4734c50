"""Consent to uses of an artist's work, per program: three choices, off by default, every change kept."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models.core import Program

# The wording shown next to each choice. Changing it means a new CONSENT_WORDING_VERSION, so every
# record says which wording the artist saw.
CONSENT_WORDING_VERSION = "2026-11"
CONSENT_PURPOSES = {
    "training": (
        _("Model training"),
        _("Your videos, prompts and reports in this program may be used to train or evaluate future models."),
    ),
    "marketing": (
        _("Marketing"),
        _("Your videos may appear in the model maker's marketing (sites, posts, talks), credited as you choose."),
    ),
    "showcase": (
        _("Public showcase"),
        _("Your approved videos may be shown in the program's public showcase and gallery."),
    ),
}


class ConsentRecord(models.Model):
    """One set of choices. The newest record per artist and program is in force; older ones are history."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consent_records")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="consent_records")
    version = models.PositiveIntegerField(help_text=_("1 for the first choices, then one more for each change."))
    training = models.BooleanField(default=False)
    marketing = models.BooleanField(default=False)
    showcase = models.BooleanField(default=False)
    wording_version = models.CharField(max_length=16, default=CONSENT_WORDING_VERSION)
    created_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["user", "program", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["user", "program", "version"], name="consent_version_unique"),
        ]

    def __str__(self) -> str:
        return f"Consent v{self.version} of {self.user} in {self.program}"

    def choices(self) -> dict[str, bool]:
        return {purpose: getattr(self, purpose) for purpose in CONSENT_PURPOSES}
