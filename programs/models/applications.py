"""Applications to a program and the screening questions each program asks."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.history import HistoryEvent
from core.recorded import said_column, shown
from programs.models.core import Cohort, Program


class ScreeningQuestion(models.Model):
    """A question every applicant to one program answers, configured by its staff."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Free text")
        CHOICE = "choice", _("One choice from a list")
        URL = "url", _("Web address")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="screening_questions")
    position = models.PositiveSmallIntegerField(default=0, help_text=_("Questions are asked in this order."))
    prompt = models.CharField(max_length=300)
    help_text = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.TEXT)
    choices = models.TextField(blank=True, help_text=_("Choice questions only: one option per line."))
    required = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("screening question")
        verbose_name_plural = _("screening questions")
        ordering = ["program", "position", "pk"]

    def __str__(self) -> str:
        return self.prompt

    @property
    def options(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self) -> None:
        if self.kind == self.Kind.CHOICE and len(self.options) < 2:
            raise ValidationError({"choices": _("A choice question needs at least two options, one per line.")})
        if self.kind != self.Kind.CHOICE and self.options:
            raise ValidationError({"choices": _("Only choice questions have options; clear this field.")})


class Application(models.Model):
    """A person's request to join a program. Status changes only through programs.services.applications."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        WAITLISTED = "waitlisted", _("Waitlisted")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    MOVES = {
        "": {Status.SUBMITTED},
        Status.SUBMITTED: {Status.WAITLISTED, Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN},
        Status.WAITLISTED: {Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN},
    }

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="applications")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    portfolio_links = models.JSONField(default=list, help_text=_("The applicant's portfolio addresses."))
    statement = models.TextField()
    # A snapshot of each question as it was asked, so later edits to the questions do not rewrite answers.
    answers = models.JSONField(default=list)
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, null=True, blank=True, related_name="applications")
    decision_reason = models.TextField(blank=True, help_text=_("Shown to the applicant."))
    decision_reason_said = said_column()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["program", "user"], name="one_application_per_program")]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.program} ({self.get_status_display()})"

    @property
    def decision_reason_text(self) -> str:
        """The reason given, in the reader's language (a system sentence) or as staff typed it."""
        return shown(self.decision_reason, self.decision_reason_said)

    def history_row(self, **fields) -> "ApplicationEvent":
        return ApplicationEvent(application=self, **fields)


class ApplicationEvent(HistoryEvent):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")

    class Meta(HistoryEvent.Meta):
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        pass
