"""Published snapshots of the transparency report: the report as it stood on a day, kept for good."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

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
        ordering = ["program", "-published_on"]
        constraints = [
            models.UniqueConstraint(fields=["program", "published_on"], name="one_transparency_snapshot_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.program} transparency report, {self.published_on:%d %B %Y}"
