"""Published snapshots of the transparency report: the report as it stood on a day, kept for good."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.models.compensation import AppendOnlyModel, AppendOnlyQuerySet
from programs.models.core import Program


class TransparencySnapshot(AppendOnlyModel):
    """The report's open data (the JSON document, suppression applied) as published by staff on a day.

    Immutable: the model refuses updates and deletes, and so does a database trigger (migration 0006).
    """

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="transparency_snapshots")
    published_on = models.DateField()
    data = models.JSONField(encoder=DjangoJSONEncoder)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("transparency snapshot")
        verbose_name_plural = _("transparency snapshots")
        db_table = "programs_transparencysnapshot"  # made by programs (migration 0006), kept when it moved here
        ordering = ["program", "-published_on"]
        constraints = [
            models.UniqueConstraint(fields=["program", "published_on"], name="one_transparency_snapshot_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.program} transparency report, {self.published_on:%d %B %Y}"


class TransparencyRelease(AppendOnlyModel):
    """A version of the public report: what every public surface shows until the next release.

    A new release is computed only when the artists whose records changed since the previous one number at least
    the suppression threshold, so that comparing two versions shows a batch of events of five or more artists,
    never one artist's event (see transparency.releases). Kept for good: the next release is always
    compared with the last one.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="transparency_releases")
    computed_at = models.DateTimeField(help_text=_("The records as they stood at this time."))
    artists_changed = models.PositiveIntegerField(
        null=True, help_text=_("Artists with a change since the previous release (empty: the first release).")
    )
    data = models.JSONField(encoder=DjangoJSONEncoder)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("transparency release")
        verbose_name_plural = _("transparency releases")
        db_table = "programs_transparencyrelease"  # made by programs (migration 0008), kept when it moved here
        ordering = ["program", "-computed_at"]
        get_latest_by = "computed_at"
        indexes = [models.Index(fields=["program", "-computed_at"], name="transparency_release_latest")]

    def __str__(self) -> str:
        return f"{self.program} transparency release of {self.computed_at:%Y-%m-%d %H:%M}"
