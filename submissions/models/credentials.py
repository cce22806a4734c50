"""Content Credentials: each signing of a published video's copy, kept as its history.

The newest signing of a video is its published copy; older ones stay as the record of what the file said when
(a consent change, a new public credit), with the hash of each copy so /verify/ can recognise an older download.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from submissions.models.videos import Video


class VideoSigning(models.Model):
    class Reason(models.TextChoices):
        PUBLICATION = "publication", _("Signed at publication")
        CHANGE = "change", _("Signed again: the consent or credit it states changed")

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="signings")
    number = models.PositiveIntegerField(help_text=_("1 for the first signing of this video, then one more each time."))
    reason = models.CharField(max_length=20, choices=Reason.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who published the video; empty when the change was noticed by the portal itself."),
    )
    claims = models.JSONField(help_text=_("What the manifest states (artist, program, page, model, training uses)."))
    manifest = models.JSONField(help_text=_("The manifest definition as signed."))
    file = models.FileField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size_bytes = models.PositiveBigIntegerField()
    signer = models.CharField(max_length=255, help_text=_("The signing certificate's subject."))
    demo_signer = models.BooleanField(default=False)
    signing_seconds = models.DecimalField(max_digits=9, decimal_places=3)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("video signing")
        verbose_name_plural = _("video signings")
        ordering = ["video", "-number"]
        constraints = [models.UniqueConstraint(fields=["video", "number"], name="video_signing_unique_number")]

    def __str__(self) -> str:
        return f"{self.video} signing {self.number}"

    @property
    def training_allowed(self) -> bool:
        return self.claims.get("training", {}).get("ai_training") == "allowed"
