"""The one history base: every event table (who moved what, from which state to which, why, when) extends it.

Rows are append-only: core/lifecycle.py writes one per move, nothing edits or deletes them (database triggers
refuse UPDATE, and DELETE on PostgreSQL, as they do for the ledger). The person behind `actor` is never deleted:
erasing an account anonymises the user row, so the history keeps pointing at it.
"""

from django.conf import settings
from django.db import models

from core.recorded import said_column, shown


class HistoryEvent(models.Model):
    """Who (`actor`, empty for the system), when, from what, to what, and why. Subclasses add the subject (a
    foreign key) and their own extras; `status_choices` names the states so a row can show their labels."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, help_text="Empty: the system."
    )
    from_status = models.CharField(max_length=32, blank=True)
    to_status = models.CharField(max_length=32)
    reason = models.TextField(blank=True)
    reason_said = said_column("A system sentence (core/recorded.py); empty: free text.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    @classmethod
    def status_choices(cls) -> tuple[type[models.TextChoices], ...]:
        """The Status of the subject: the record the row belongs to (its one relation besides the actor)."""
        for field in cls._meta.fields:
            if field.is_relation and field.name != "actor" and hasattr(field.related_model, "Status"):
                return (field.related_model.Status,)
        return ()

    @property
    def reason_text(self) -> str:
        """The reason in the reader's language (a system sentence), or as typed."""
        return shown(self.reason, self.reason_said)

    def _label(self, value: str) -> str:
        return next((c(value).label for c in self.status_choices() if value in c.values), value)

    @property
    def from_label(self) -> str:
        return self._label(self.from_status) if self.from_status else ""

    @property
    def to_label(self) -> str:
        return self._label(self.to_status)
