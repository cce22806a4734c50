"""Compensation: what a program pays (rate cards), what artists did (hours, credits, awards) and the money.

The ledger is the single source of truth for money. Every amount is a positive Decimal with a currency
code; a line is never updated or deleted (the model layer refuses, and so does the admin). Corrections
are new lines: a "reversed" line points at the line it cancels. Balances are computed from the ledger,
never stored. Writes go through programs.services.compensation.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from core.history import HistoryEvent
from core.money import STORED_PLACES, in_minor_units, validate_currency_code
from core.recorded import said_column, shown
from programs.models.core import Program

# The same ten digits before the point as before, and a third decimal for the currencies that have one (KWD).
MONEY = {"max_digits": 13, "decimal_places": STORED_PLACES}
ZERO = Decimal("0.00")


class AppendOnlyError(Exception):
    """A developer tried to change or delete a row that is append-only. This is a bug, not a user error."""


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses bulk changes: an append-only table is only ever inserted into."""

    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: record a new row instead of updating.")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only and are never deleted.")

    # QuerySet.update() is also reached through these; refuse them the same way.
    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: record a new row instead of updating.")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: use get_or_create.")


class AppendOnlyModel(models.Model):
    """Inserts only: save() on an existing row and delete() raise."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} #{self.pk} is append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} #{self.pk} is append-only and is never deleted.")


class Severity(models.TextChoices):
    """Final severity of an accepted bug report: it sets the price of the report."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class RateCard(AppendOnlyModel):
    """One version of what a program pays. A version applies from `effective_from` until the next one.

    The rule that protects artists: a new version never applies to the past. It may only take effect from
    a future date (tomorrow at the earliest), so hours already worked and contributions already made are
    always priced at the card that was public when they happened; a program's first card may start today.
    Versions are never edited: to change pay, publish a new version.
    """

    class StipendPeriod(models.TextChoices):
        NONE = "none", _("No stipend")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="rate_cards")
    version = models.PositiveIntegerField()
    effective_from = models.DateField()
    currency = models.CharField(
        _("currency"), max_length=3, validators=[validate_currency_code], help_text=_("ISO 4217 code, e.g. EUR.")
    )
    hourly_rate = models.DecimalField(**MONEY)
    bug_report_low = models.DecimalField(**MONEY)
    bug_report_medium = models.DecimalField(**MONEY)
    bug_report_high = models.DecimalField(**MONEY)
    bug_report_critical = models.DecimalField(**MONEY)
    bug_report_duplicate = models.DecimalField(**MONEY, help_text=_("Paid for a valid report of a known bug."))
    feedback = models.DecimalField(**MONEY, help_text=_("Per accepted piece of feedback."))
    video_approved = models.DecimalField(**MONEY, help_text=_("Per approved video."))
    video_showcased = models.DecimalField(**MONEY, help_text=_("Per video selected for the showcase."))
    stipend_amount = models.DecimalField(**MONEY)
    stipend_period = models.CharField(max_length=16, choices=StipendPeriod.choices, default=StipendPeriod.NONE)
    note = models.TextField(blank=True, help_text=_("Public: what changed in this version and why."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    AMOUNT_FIELDS = (
        "hourly_rate",
        "bug_report_low",
        "bug_report_medium",
        "bug_report_high",
        "bug_report_critical",
        "bug_report_duplicate",
        "feedback",
        "video_approved",
        "video_showcased",
        "stipend_amount",
    )

    class Meta:
        verbose_name = _("rate card")
        verbose_name_plural = _("rate cards")
        ordering = ["program", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["program", "version"], name="rate_card_version_unique"),
            models.UniqueConstraint(fields=["program", "effective_from"], name="rate_card_date_unique"),
            models.CheckConstraint(
                condition=Q(hourly_rate__gte=0)
                & Q(bug_report_low__gte=0)
                & Q(bug_report_medium__gte=0)
                & Q(bug_report_high__gte=0)
                & Q(bug_report_critical__gte=0)
                & Q(bug_report_duplicate__gte=0)
                & Q(feedback__gte=0)
                & Q(video_approved__gte=0)
                & Q(video_showcased__gte=0)
                & Q(stipend_amount__gte=0),
                name="rate_card_amounts_not_negative",
            ),
            models.CheckConstraint(condition=Exact(Length("currency"), 3), name="rate_card_currency_code"),
        ]

    def __str__(self) -> str:
        return f"{self.program} rate card v{self.version} from {self.effective_from}"

    def bug_report_amount(self, severity: str) -> Decimal:
        return getattr(self, f"bug_report_{severity}")


class TimeEntry(models.Model):
    """Hours an artist logged. Staff approve or query them; approved entries are frozen (corrections are new
    entries that supersede them). Status changes only through programs.services.compensation."""

    class Category(models.TextChoices):
        TESTING = "testing", _("Testing")
        FEEDBACK = "feedback", _("Feedback")
        FILMMAKING = "filmmaking", _("Filmmaking")
        MEETINGS = "meetings", _("Meetings")
        WAITING = "waiting_on_review", _("Waiting on review")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        QUERIED = "queried", _("Queried by staff")
        APPROVED = "approved", _("Approved")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        SUPERSEDED = "superseded", _("Corrected by a later entry")

    # Approved entries are frozen: only a correction supersedes them. Pending to pending is an edit.
    MOVES = {
        "": {Status.PENDING},
        Status.PENDING: {Status.APPROVED, Status.QUERIED, Status.WITHDRAWN, Status.PENDING},
        Status.QUERIED: {Status.PENDING, Status.WITHDRAWN},
        Status.APPROVED: {Status.SUPERSEDED},
    }
    MOVE_REFUSALS = {
        Status.APPROVED: _("This entry is approved, so it cannot be changed: log a correction instead."),
        Status.WITHDRAWN: _("This entry was withdrawn."),
        Status.SUPERSEDED: _("This entry was replaced by a correction."),
    }

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="time_entries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="time_entries")
    worked_on = models.DateField()
    minutes = models.PositiveIntegerField()
    category = models.CharField(max_length=24, choices=Category.choices)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        help_text=_("The approved entry this one corrects; it is superseded when this one is approved."),
    )
    # The nonce of the server-issued form that logged it: the same form sent twice logs one entry.
    form_token = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        ordering = ["-worked_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0) & Q(minutes__lte=24 * 60), name="time_entry_minutes"),
            models.UniqueConstraint(
                fields=["user", "form_token"], condition=~Q(form_token=""), name="time_entry_form_token_once"
            ),
        ]
        indexes = [models.Index(fields=["program", "status"]), models.Index(fields=["user", "program"])]

    def __str__(self) -> str:
        return f"{self.hours_label} {self.get_category_display().lower()} on {self.worked_on} (#{self.pk})"

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.01"))

    @property
    def hours_label(self) -> str:
        hours, minutes = divmod(self.minutes, 60)
        return f"{hours} h {minutes:02d} min" if minutes else f"{hours} h"

    def history_row(self, **fields) -> "TimeEntryEvent":
        return TimeEntryEvent(entry=self, **fields)


class TimeEntryEvent(HistoryEvent):
    """History of a time entry."""

    entry = models.ForeignKey(TimeEntry, on_delete=models.CASCADE, related_name="events")

    def __str__(self) -> str:
        return f"{self.entry}: {self.from_status or '—'} → {self.to_status}"

    class Meta(HistoryEvent.Meta):
        verbose_name = _("time entry event")
        verbose_name_plural = _("time entry events")


class Credit(AppendOnlyModel):
    """A contribution that earns money, exactly once: an accepted bug report or feedback, an approved or
    showcased video, or an award. `idempotency_key` is made by the server from the kind, the program and what
    earned it ("video_approved:<program>:<video>", "award:<program>:<form token>"), never chosen by a client."""

    class Kind(models.TextChoices):
        BUG_REPORT = "bug_report", _("Accepted bug report")
        BUG_REPORT_DUPLICATE = "bug_report_duplicate", _("Accepted bug report (duplicate)")
        FEEDBACK = "feedback", _("Accepted feedback")
        VIDEO_APPROVED = "video_approved", _("Approved video")
        VIDEO_SHOWCASED = "video_showcased", _("Showcased video")
        AWARD = "award", _("Award")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="credits")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credits")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    severity = models.CharField(max_length=16, choices=Severity.choices, blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    source_label = models.CharField(max_length=300, help_text=_("What earned it, e.g. 'Bug report #12: …'."))
    source_label_said = said_column()
    source_url = models.CharField(max_length=500, blank=True)
    reason = models.TextField(blank=True, help_text=_("Awards: why it was given."))
    occurred_on = models.DateField()
    rate_card = models.ForeignKey(RateCard, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency_code])
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="credit_amount_not_negative"),
            models.CheckConstraint(condition=Exact(Length("currency"), 3), name="credit_currency_code"),
            models.CheckConstraint(
                condition=~Q(kind="bug_report") | Q(severity__in=Severity.values), name="credit_bug_report_severity"
            ),
            models.CheckConstraint(
                condition=Q(kind="award") | Q(rate_card__isnull=False), name="credit_priced_from_rate_card"
            ),
        ]
        indexes = [models.Index(fields=["user", "program"]), models.Index(fields=["program", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.source_label}"

    @property
    def source_label_text(self) -> str:
        """What earned it, in the reader's language."""
        return shown(self.source_label, self.source_label_said)


class PayoutRun(models.Model):
    """A batch of payouts for one program and currency: drafted from positive balances, reviewed, confirmed
    (which records the paid lines under the run's key), exported as CSV for the payments provider."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (under review)")
        CONFIRMED = "confirmed", _("Confirmed (payouts recorded)")
        CANCELLED = "cancelled", _("Cancelled")

    MOVES = {"": {Status.DRAFT}, Status.DRAFT: {Status.CONFIRMED, Status.CANCELLED}}

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="payout_runs")
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency_code])
    idempotency_key = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    method = models.CharField(max_length=24, default="bank_transfer")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payout run")
        verbose_name_plural = _("payout runs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Payout run {self.reference} ({self.get_status_display().lower()})"

    @property
    def method_label(self) -> str:
        """The method as people read it (the column has no choices of its own: they live on LedgerLine)."""
        return str(LedgerLine.Method(self.method).label) if self.method in LedgerLine.Method.values else self.method

    @property
    def reference(self) -> str:
        return f"GH-{self.program_id}-{self.pk}"

    def history_row(self, **fields) -> "PayoutRunEvent":
        return PayoutRunEvent(run=self, **fields)


class PayoutRunItem(models.Model):
    """One artist in a payout run: the amount reviewed, and after confirmation the paid ledger line."""

    class Status(models.TextChoices):
        INCLUDED = "included", _("Included")
        EXCLUDED = "excluded", _("Excluded from this run")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Failed (reversed)")
        NOT_PAID = "not_paid", _("Not paid (refused at confirmation; still owed)")

    # The drafter's own payout starts excluded. Including or excluding again records the decision again.
    MOVES = {
        "": {Status.INCLUDED, Status.EXCLUDED},
        Status.INCLUDED: {Status.INCLUDED, Status.EXCLUDED, Status.PAID, Status.NOT_PAID},
        Status.EXCLUDED: {Status.INCLUDED, Status.EXCLUDED},
        Status.PAID: {Status.FAILED},
    }

    run = models.ForeignKey(PayoutRun, on_delete=models.CASCADE, related_name="items")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(**MONEY)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.INCLUDED)
    failure_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("payout run item")
        verbose_name_plural = _("payout run items")
        ordering = ["run", "user__display_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["run", "user"], name="payout_item_once_per_run"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payout_item_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.run}: {in_minor_units(self.amount, self.run.currency)} {self.run.currency}"

    def history_row(self, **fields) -> "PayoutRunEvent":
        """An item's moves are recorded in its run's history."""
        return PayoutRunEvent(run_id=self.run_id, **fields)


class PayoutRunEvent(HistoryEvent):
    """History of a payout run and its items (a failed item is recorded here with its reason)."""

    run = models.ForeignKey(PayoutRun, on_delete=models.CASCADE, related_name="events")

    def __str__(self) -> str:
        return f"{self.run}: {self.from_status or '—'} → {self.to_status}"

    @classmethod
    def status_choices(cls):
        return (PayoutRun.Status, PayoutRunItem.Status)

    class Meta(HistoryEvent.Meta):
        verbose_name = _("payout run event")
        verbose_name_plural = _("payout run events")


class LedgerLine(AppendOnlyModel):
    """One money line for one artist in one program. Never updated, never deleted.

    earned: hours, a credit (award included) or a stipend. paid: a payout (method, external reference).
    reversed: cancels exactly one earlier earned or paid line, which it points at.
    """

    class Kind(models.TextChoices):
        EARNED = "earned", _("Earned")
        PAID = "paid", _("Paid")
        REVERSED = "reversed", _("Reversed")

    class Source(models.TextChoices):
        HOURS = "hours", _("Hours")
        CREDIT = "credit", _("Credit")
        STIPEND = "stipend", _("Stipend")
        PAYOUT = "payout", _("Payout")
        REVERSAL = "reversal", _("Reversal")
        PRIZE = "prize", _("Prize")  # an open call's prize (calls app)
        GRANT = "grant", _("Grant milestone")  # a grant's milestone, paid when staff confirm it (calls app)

    class Method(models.TextChoices):
        BANK_TRANSFER = "bank_transfer", _("Bank transfer")
        PAYMENT_PROVIDER = "payment_provider", _("Payments provider")
        OTHER = "other", _("Other")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="ledger_lines")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ledger_lines")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    source = models.CharField(max_length=16, choices=Source.choices)
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency_code])
    booked_on = models.DateField(help_text=_("The statement month this line belongs to."))
    idempotency_key = models.CharField(max_length=200, unique=True)
    label = models.CharField(max_length=300, help_text=_("What the line is for, shown on statements."))
    label_said = said_column()
    source_url = models.CharField(max_length=500, blank=True)
    credit = models.OneToOneField(Credit, on_delete=models.PROTECT, null=True, blank=True, related_name="line")
    time_entry = models.OneToOneField(TimeEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="line")
    rate_card = models.ForeignKey(RateCard, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    method = models.CharField(max_length=24, choices=Method.choices, blank=True)
    external_reference = models.CharField(max_length=200, blank=True)
    payout_run = models.ForeignKey(PayoutRun, on_delete=models.PROTECT, null=True, blank=True, related_name="lines")
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by")
    reason = models.TextField(blank=True)
    reason_said = said_column()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger line")
        verbose_name_plural = _("ledger lines")
        ordering = ["booked_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_amount_positive"),
            models.CheckConstraint(condition=Exact(Length("currency"), 3), name="ledger_currency_code"),
            models.CheckConstraint(
                condition=(Q(kind="reversed") & Q(reverses__isnull=False))
                | (~Q(kind="reversed") & Q(reverses__isnull=True)),
                name="ledger_reversal_points_at_a_line",
            ),
            models.CheckConstraint(condition=~Q(kind="paid") | ~Q(method=""), name="ledger_payout_has_method"),
        ]
        indexes = [models.Index(fields=["user", "program", "booked_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {in_minor_units(self.amount, self.currency)} {self.currency}: {self.label}"

    @property
    def label_text(self) -> str:
        """What the line is for, in the reader's language."""
        return shown(self.label, self.label_said)

    @property
    def reason_text(self) -> str:
        """Why it was reversed, in the reader's language (a system sentence) or as typed."""
        return shown(self.reason, self.reason_said)


class PendingCredit(models.Model):
    """A credit that a decision earned but the ledger could not book at the time (no rate card, a database
    error, ...). The decision stands; a beat job retries the booking and staff see what is still waiting."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be booked")
        BOOKED = "booked", _("Booked")
        DROPPED = "dropped", _("Not booked (the account was deleted)")

    MOVES = {"": {Status.PENDING}, Status.PENDING: {Status.BOOKED, Status.DROPPED}}

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="pending_credits")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pending_credits")
    kind = models.CharField(max_length=24, choices=Credit.Kind.choices)
    reference = models.CharField(max_length=120, help_text=_("What earned it within its kind, e.g. the video's id."))
    source_label = models.CharField(max_length=300)
    source_label_said = said_column()
    source_url = models.CharField(max_length=500, blank=True)
    severity = models.CharField(max_length=16, choices=Severity.choices, blank=True)
    occurred_on = models.DateField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=1)
    last_error = models.TextField(blank=True)
    credit = models.OneToOneField(Credit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_tried_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pending credit")
        verbose_name_plural = _("pending credits")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "kind", "reference"], name="pending_credit_once"),
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user}: {self.source_label} ({self.get_status_display().lower()})"

    @property
    def source_label_text(self) -> str:
        """What earned it, in the reader's language."""
        return shown(self.source_label, self.source_label_said)

    def history_row(self, **fields) -> None:
        """No history table: `attempts`, `last_tried_at`, `last_error` and `credit` say what happened."""
        return None
