"""Grants: a round with a budget, criteria, IP terms and a public decision deadline; artists apply, staff decide
with a reason from the published list, and an award is paid in milestones, each a ledger line when staff confirm it.
Status changes go through calls.services.grants (core.lifecycle)."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import HistoryEvent
from core.money import ISO_4217, decimals_errors, validate_currency_code
from programs.models import LedgerLine, Program
from programs.models.compensation import MONEY

MAX_DECISION_DAYS = 90


class GrantRound(models.Model):
    """One call for grant applications in a program. Public once published; takes applications until it closes.
    Staff create and edit rounds in the admin; the terms shown to applicants are the ones in force when they apply."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="grant_rounds")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=4000)
    criteria = models.TextField(_("criteria"), max_length=8000, help_text=_("How applications are judged."))
    ip_terms = models.TextField(
        _("IP terms"), max_length=8000, help_text=_("Who owns what the grant pays for, and what the program may do.")
    )
    budget = models.DecimalField(_("budget"), **MONEY, validators=[MinValueValidator(Decimal("0.001"))])
    currency = models.CharField(
        _("currency"), max_length=3, validators=[validate_currency_code], help_text=_("ISO 4217 code, e.g. EUR.")
    )
    max_request = models.DecimalField(_("largest request"), **MONEY, validators=[MinValueValidator(Decimal("0.001"))])
    decision_days = models.PositiveSmallIntegerField(
        _("days to decide"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DECISION_DAYS)],
        help_text=_("Public promise: every application is decided within this many days of being sent."),
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = _("grant round")
        verbose_name_plural = _("grant rounds")
        constraints = [
            models.CheckConstraint(condition=Q(budget__gt=0) & Q(max_request__gt=0), name="grant_round_money"),
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="grant_round_dates"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.currency not in ISO_4217:
            return  # the currency field says why
        errors = decimals_errors({name: getattr(self, name) for name in ("budget", "max_request")}, self.currency)
        if errors:
            raise ValidationError(errors)

    def is_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.published and self.opens_at <= now < self.closes_at


class GrantApplication(models.Model):
    """An artist's application to a round: the project, its budget and schedule. Private to the applicant and the
    program's staff; the public sees only counts and whether decisions came on time."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for a decision")
        AWARDED = "awarded", _("Awarded")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Reason(models.TextChoices):
        """The published list of reasons a decision may give (shown on every round's page)."""

        MEETS_CRITERIA = "meets_criteria", _("Meets the criteria and fits the budget")
        PARTIAL_FUNDING = "partial_funding", _("Meets the criteria; funded in part")
        OUTSIDE_CRITERIA = "outside_criteria", _("Outside the round's criteria")
        BUDGET_EXHAUSTED = "budget_exhausted", _("The round's budget is spent")
        NOT_FEASIBLE = "not_feasible", _("The budget or schedule is not feasible")
        INCOMPLETE = "incomplete", _("The application is incomplete")
        STRONGER_APPLICATIONS = "stronger_applications", _("Other applications met the criteria better")

    AWARD_REASONS = (Reason.MEETS_CRITERIA, Reason.PARTIAL_FUNDING)

    MOVES = {
        "": {Status.SUBMITTED},
        Status.SUBMITTED: {Status.AWARDED, Status.DECLINED, Status.WITHDRAWN},
    }
    MOVE_REFUSALS = {
        Status.AWARDED: _("This application was already decided: it was awarded."),
        Status.DECLINED: _("This application was already decided: it was declined."),
        Status.WITHDRAWN: _("This application was withdrawn."),
    }

    round = models.ForeignKey(GrantRound, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="grant_applications")
    project_title = models.CharField(_("project title"), max_length=200)
    project_description = models.TextField(_("project description"), max_length=8000)
    budget = models.DecimalField(_("budget requested"), **MONEY)
    budget_breakdown = models.TextField(_("budget breakdown"), max_length=4000)
    schedule = models.TextField(_("schedule"), max_length=4000)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    decision_due_at = models.DateTimeField(_("decision due"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=32, choices=Reason.choices, blank=True)
    note = models.TextField(_("note to the applicant"), max_length=4000, blank=True)
    amount_awarded = models.DecimalField(_("amount awarded"), **MONEY, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decision_due_at", "pk"]
        verbose_name = _("grant application")
        verbose_name_plural = _("grant applications")
        constraints = [
            models.UniqueConstraint(fields=["round", "applicant"], name="grant_application_once_per_round"),
            models.CheckConstraint(condition=Q(budget__gt=0), name="grant_application_budget_positive"),
            models.CheckConstraint(
                condition=Q(amount_awarded__isnull=True) | Q(amount_awarded__gt=0), name="grant_award_positive"
            ),
        ]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self) -> str:
        return f"{self.project_title} (#{self.pk})"

    @property
    def decided_late(self) -> bool:
        return self.decided_at is not None and self.decided_at > self.decision_due_at

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        """Still waiting past its public deadline."""
        return self.status == self.Status.SUBMITTED and (now or timezone.now()) > self.decision_due_at

    @property
    def missed_deadline(self) -> bool:
        return self.decided_late or self.is_overdue()

    def history_row(self, **fields) -> "GrantApplicationEvent":
        return GrantApplicationEvent(application=self, **fields)


class GrantMilestone(models.Model):
    """A part of an award, paid when staff confirm the artist reached it: then exactly one ledger line."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not yet reached")
        PAID = "paid", _("Confirmed and paid")

    MOVES = {"": {Status.PENDING}, Status.PENDING: {Status.PAID}}
    MOVE_REFUSALS = {Status.PAID: _("This milestone is already confirmed and paid.")}

    application = models.ForeignKey(GrantApplication, on_delete=models.PROTECT, related_name="milestones")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("milestone"), max_length=200)
    amount = models.DecimalField(_("amount"), **MONEY)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    ledger_line = models.OneToOneField(
        LedgerLine, on_delete=models.PROTECT, null=True, blank=True, related_name="grant_milestone"
    )
    status_changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "position"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(fields=["application", "position"], name="grant_milestone_position_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_milestone_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    def history_row(self, **fields) -> "GrantApplicationEvent":
        """A milestone's moves are recorded in its application's history."""
        return GrantApplicationEvent(application_id=self.application_id, **fields)


class GrantApplicationEvent(HistoryEvent):
    """History of a grant application and its milestones."""

    application = models.ForeignKey(GrantApplication, on_delete=models.CASCADE, related_name="events")

    class Meta(HistoryEvent.Meta):
        verbose_name = _("grant application event")
        verbose_name_plural = _("grant application events")

    def __str__(self) -> str:
        return f"{self.application}: {self.from_status or '—'} → {self.to_status}"

    @classmethod
    def status_choices(cls):
        return (GrantApplication.Status, GrantMilestone.Status)
