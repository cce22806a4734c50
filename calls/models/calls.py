"""Open calls: competitions, screenings and commissions, judged in the open.

Staff publish a call (brief, eligibility, entry window, weighted criteria, prize table, IP terms, jury, dates);
artists enter approved or published videos; named jurors score each entry on each criterion; the ranking is
computed from the scores (calls.services.calls), published with the full score table, and each prize becomes
one ledger line. Status changes only through core.lifecycle (calls.services.calls).
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.history import HistoryEvent
from programs.models import Cohort, Program
from programs.models.compensation import MONEY

BRIEF_MAX = 10_000
STATEMENT_MAX = 3_000
NOTE_MAX = 2_000


class Call(models.Model):
    class Kind(models.TextChoices):
        COMPETITION = "competition", _("Competition")
        SCREENING = "screening", _("Screening")
        COMMISSION = "commission", _("Commission")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (not public)")
        OPEN = "open", _("Open")
        JUDGING = "judging", _("Judging")
        RESULTS = "results", _("Results published")

    MOVES = {
        "": {Status.DRAFT},
        Status.DRAFT: {Status.OPEN},
        Status.OPEN: {Status.JUDGING},
        Status.JUDGING: {Status.RESULTS},
    }
    MOVE_REFUSALS = {Status.RESULTS: _("The results of this call are published: nothing in it changes any more.")}

    class TieBreak(models.TextChoices):
        HEAVIEST_CRITERION = (
            "heaviest_criterion",
            _("The higher score on the criterion with the most weight wins; if still equal, the earlier entry."),
        )
        EARLIEST_ENTRY = "earliest_entry", _("The entry sent first wins.")

    class JurorsShown(models.TextChoices):
        BY_NAME = "name", _("By name")
        BY_NUMBER = "number", _("By number")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="open_calls", verbose_name=_("program"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.COMPETITION)
    brief = models.TextField(_("brief"), validators=[MaxLengthValidator(BRIEF_MAX)])
    eligible_cohorts = models.ManyToManyField(
        Cohort,
        blank=True,
        related_name="+",
        verbose_name=_("eligible cohorts"),
        help_text=_("Leave empty: every artist of the program may enter."),
    )
    opens_at = models.DateTimeField(_("entries open"))
    closes_at = models.DateTimeField(_("entries close"))
    judging_ends_at = models.DateTimeField(_("judging ends"), help_text=_("Scores are locked at this moment."))
    results_on = models.DateField(_("results announced on"))
    ip_terms = models.TextField(_("rights (IP terms)"), validators=[MaxLengthValidator(BRIEF_MAX)])
    currency = models.CharField(_("currency"), max_length=3)
    scale_max = models.PositiveSmallIntegerField(
        _("highest score"), default=10, validators=[MinValueValidator(2), MaxValueValidator(100)]
    )
    tie_break = models.CharField(
        _("tie-break rule"), max_length=24, choices=TieBreak.choices, default=TieBreak.HEAVIEST_CRITERION
    )
    jurors_shown = models.CharField(
        _("jurors in the results"), max_length=8, choices=JurorsShown.choices, default=JurorsShown.BY_NAME
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "-pk"]
        verbose_name = _("open call")
        verbose_name_plural = _("open calls")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__lt=models.F("closes_at")) & Q(closes_at__lte=models.F("judging_ends_at")),
                name="call_dates_in_order",
            ),
            models.CheckConstraint(condition=Q(scale_max__gte=2) & Q(scale_max__lte=100), name="call_scale_bounded"),
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return self.title

    def history_row(self, **fields) -> "CallEvent":
        return CallEvent(call=self, **fields)

    @property
    def is_public(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def results_published(self) -> bool:
        return self.status == self.Status.RESULTS


class CallEvent(HistoryEvent):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="events")

    class Meta(HistoryEvent.Meta):
        verbose_name = _("open call event")
        verbose_name_plural = _("open call events")


class Criterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=500, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)])

    class Meta:
        ordering = ["call", "position"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["call", "name"], name="criterion_name_once_per_call"),
            models.UniqueConstraint(fields=["call", "position"], name="criterion_position_once_per_call"),
            models.CheckConstraint(condition=Q(weight__gte=1) & Q(weight__lte=100), name="criterion_weight_bounded"),
        ]

    def __str__(self) -> str:
        return self.name


class PrizeTier(models.Model):
    """A line of the prize table: `count` entries in a row, in ranking order, each win `amount`."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="prize_tiers")
    position = models.PositiveSmallIntegerField(_("position"))
    label = models.CharField(_("prize"), max_length=120)
    amount = models.DecimalField(_("amount"), **MONEY)
    count = models.PositiveSmallIntegerField(
        _("how many"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )

    class Meta:
        ordering = ["call", "position"]
        verbose_name = _("prize")
        verbose_name_plural = _("prizes")
        constraints = [
            models.UniqueConstraint(fields=["call", "position"], name="prize_position_once_per_call"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="prize_amount_positive"),
            models.CheckConstraint(condition=Q(count__gte=1) & Q(count__lte=50), name="prize_count_bounded"),
        ]

    def __str__(self) -> str:
        return self.label


class Juror(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="jurors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="juries")
    number = models.PositiveSmallIntegerField(_("number"))

    class Meta:
        ordering = ["call", "number"]
        verbose_name = _("juror")
        verbose_name_plural = _("jurors")
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="juror_once_per_call"),
            models.UniqueConstraint(fields=["call", "number"], name="juror_number_once_per_call"),
        ]

    def __str__(self) -> str:
        return str(self.user)

    def public_label(self) -> str:
        if self.call.jurors_shown == Call.JurorsShown.BY_NAME:
            return self.user.display_name or str(self.user)
        return str(_("Juror %(number)s") % {"number": self.number})


class Entry(models.Model):
    class Status(models.TextChoices):
        ENTERED = "entered", _("Entered")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # Withdrawing and entering again are allowed before the deadline (the service checks the window).
    MOVES = {"": {Status.ENTERED}, Status.ENTERED: {Status.WITHDRAWN}, Status.WITHDRAWN: {Status.ENTERED}}

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="entries")
    video = models.ForeignKey("submissions.Video", on_delete=models.PROTECT, related_name="call_entries")
    artist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="call_entries")
    statement = models.TextField(_("statement"), validators=[MaxLengthValidator(STATEMENT_MAX)])
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ENTERED)
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)
    # Computed when the results are published (calls.services.calls), never typed in.
    rank = models.PositiveIntegerField(null=True, blank=True)
    total = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    prize = models.ForeignKey(PrizeTier, on_delete=models.PROTECT, null=True, blank=True, related_name="winners")

    class Meta:
        ordering = ["call", "rank", "created_at", "pk"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [models.UniqueConstraint(fields=["call", "video"], name="entry_once_per_video")]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self) -> str:
        return f"{self.call}: {self.video}"

    def history_row(self, **fields) -> "EntryEvent":
        return EntryEvent(entry=self, **fields)


class EntryEvent(HistoryEvent):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="events")

    class Meta(HistoryEvent.Meta):
        verbose_name = _("entry event")
        verbose_name_plural = _("entry events")


class ConflictDeclaration(models.Model):
    """A juror declared a conflict of interest with an entry: they never score it. Kept, never deleted."""

    juror = models.ForeignKey(Juror, on_delete=models.PROTECT, related_name="conflicts")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="conflicts")
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["juror", "entry"], name="conflict_once_per_juror_entry")]

    def __str__(self) -> str:
        return f"{self.juror} ↔ {self.entry}"


class Score(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="scores")
    juror = models.ForeignKey(Juror, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(100)])
    note = models.TextField(_("note"), blank=True, validators=[MaxLengthValidator(NOTE_MAX)])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["entry", "juror", "criterion"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["entry", "juror", "criterion"], name="score_once_per_juror_criterion"),
            models.CheckConstraint(condition=Q(value__lte=100), name="score_value_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.juror} · {self.criterion}: {self.value}"
