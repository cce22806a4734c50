"""Reads over compensation: rate cards in force, balances from the ledger, summaries and statements.

Balances are always computed from ledger lines (earned - paid, with reversals cancelling what they
reverse); nothing here writes.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce

from programs.models import Credit, Enrolment, LedgerLine, Program, RateCard, TimeEntry

ZERO = Decimal("0.00")
CENTS = Decimal("0.01")
_MONEY_OUT = DecimalField(max_digits=14, decimal_places=2)
Line = LedgerLine


def cents(value) -> Decimal:
    """Sums come back from SQLite without their scale (Decimal('100')); money always shows two places."""
    return Decimal(value).quantize(CENTS)


def rate_card_in_force(program: Program, on: dt.date) -> RateCard | None:
    """The version that applies on `on`: the latest one that took effect on or before that date."""
    return RateCard.objects.filter(program=program, effective_from__lte=on).order_by("-effective_from").first()


# The effect of each line on what the program owes the artist, as one SQL expression.
SIGNED_AMOUNT = Case(
    When(kind=Line.Kind.EARNED, then=F("amount")),
    When(kind=Line.Kind.PAID, then=-F("amount")),
    When(kind=Line.Kind.REVERSED, reverses__kind=Line.Kind.EARNED, then=-F("amount")),
    When(kind=Line.Kind.REVERSED, reverses__kind=Line.Kind.PAID, then=F("amount")),
    default=Value(ZERO),
    output_field=_MONEY_OUT,
)


def signed(line_kind: str, reverses_kind: str | None, amount: Decimal) -> Decimal:
    """The same rule in Python, for rows already loaded (statements)."""
    if line_kind == Line.Kind.EARNED or (line_kind == Line.Kind.REVERSED and reverses_kind == Line.Kind.PAID):
        return amount
    return -amount


def _sum(condition: Q):
    return Coalesce(Sum("amount", filter=condition, output_field=_MONEY_OUT), Value(ZERO), output_field=_MONEY_OUT)


@dataclass(frozen=True)
class Money:
    """Totals for one artist, program and currency, all from the ledger."""

    currency: str
    earned: Decimal = ZERO  # earned lines, less reversed earned lines
    paid: Decimal = ZERO  # paid lines, less reversed (failed) payouts

    @property
    def owed(self) -> Decimal:
        return self.earned - self.paid


def _totals(lines: QuerySet, *group_by: str) -> QuerySet:
    reversed_earned = Q(kind=Line.Kind.REVERSED, reverses__kind=Line.Kind.EARNED)
    reversed_paid = Q(kind=Line.Kind.REVERSED, reverses__kind=Line.Kind.PAID)
    return lines.values(*group_by, "currency").annotate(
        earned=_sum(Q(kind=Line.Kind.EARNED)) - _sum(reversed_earned),
        paid=_sum(Q(kind=Line.Kind.PAID)) - _sum(reversed_paid),
    )


def _money(row: dict) -> Money:
    return Money(row["currency"], cents(row["earned"]), cents(row["paid"]))


def money_for(user, program: Program) -> dict[str, Money]:
    """Earned, paid and owed per currency for one artist in one program."""
    rows = _totals(LedgerLine.objects.filter(user=user, program=program)).order_by("currency")
    return {row["currency"]: _money(row) for row in rows}


def balance(user, program: Program, currency: str) -> Decimal:
    """What the program owes the artist in `currency` right now (earned - paid)."""
    lines = LedgerLine.objects.filter(user=user, program=program, currency=currency)
    total = lines.aggregate(total=Coalesce(Sum(SIGNED_AMOUNT), Value(ZERO), output_field=_MONEY_OUT))["total"]
    return cents(total)


def positive_balances(program: Program, currency: str) -> list[tuple[int, Decimal]]:
    """(user id, balance) of every artist the program owes money in `currency`, largest first."""
    rows = (
        LedgerLine.objects.filter(program=program, currency=currency)
        .values("user_id")
        .annotate(total=Sum(SIGNED_AMOUNT))
        .filter(total__gt=0)
        .order_by("-total", "user_id")
    )
    return [(row["user_id"], cents(row["total"])) for row in rows]


def currencies_owed(program: Program) -> list[str]:
    return sorted(set(LedgerLine.objects.filter(program=program).values_list("currency", flat=True)))


def rate_card_summary(program: Program, *, today: dt.date) -> dict:
    """What the program page shows before anyone applies: the card in force and any announced next one."""
    current = rate_card_in_force(program, today)
    upcoming = list(RateCard.objects.filter(program=program, effective_from__gt=today).order_by("effective_from"))
    return {"current": current, "upcoming": upcoming}


@dataclass
class ProgramCompensation:
    """Everything /me/compensation/ shows for one program."""

    program: Program
    enrolment: Enrolment
    minutes_logged: int = 0
    minutes_approved: int = 0
    entries_waiting: int = 0
    credits: int = 0
    awards: int = 0
    money: list[Money] = field(default_factory=list)

    @property
    def hours_logged(self) -> Decimal:
        return (Decimal(self.minutes_logged) / 60).quantize(CENTS)

    @property
    def hours_approved(self) -> Decimal:
        return (Decimal(self.minutes_approved) / 60).quantize(CENTS)

    def effective_hourly_rates(self) -> list[tuple[str, Decimal | None]]:
        """Paid and owed (that is, everything earned) over ALL hours logged, approved or not, so unpaid
        time lowers the rate. None when no hours were logged."""
        if not self.minutes_logged:
            return [(money.currency, None) for money in self.money]
        return [(m.currency, (m.earned * 60 / self.minutes_logged).quantize(CENTS)) for m in self.money]


# Entries that count as logged time: everything but withdrawn entries and approved entries a correction replaced.
LOGGED = Q(status__in=[TimeEntry.Status.PENDING, TimeEntry.Status.QUERIED, TimeEntry.Status.APPROVED])


def compensation_overview(user) -> list[ProgramCompensation]:
    """Per program the artist is (or was) enrolled in: hours, credits, awards and money. Constant queries."""
    enrolments = list(Enrolment.objects.filter(user=user).select_related("program").order_by("program__name"))
    by_program = {e.program_id: ProgramCompensation(program=e.program, enrolment=e) for e in enrolments}
    hours = (
        TimeEntry.objects.filter(user=user, program__in=by_program)
        .values("program_id")
        .annotate(
            logged=Coalesce(Sum("minutes", filter=LOGGED), 0),
            approved=Coalesce(Sum("minutes", filter=Q(status=TimeEntry.Status.APPROVED)), 0),
            waiting=Count("pk", filter=Q(status__in=[TimeEntry.Status.PENDING, TimeEntry.Status.QUERIED])),
        )
    )
    for row in hours:
        summary = by_program[row["program_id"]]
        summary.minutes_logged, summary.minutes_approved = row["logged"], row["approved"]
        summary.entries_waiting = row["waiting"]
    credits = (
        Credit.objects.filter(user=user, program__in=by_program)
        .values("program_id")
        .annotate(
            credits=Count("pk", filter=~Q(kind=Credit.Kind.AWARD)), awards=Count("pk", filter=Q(kind=Credit.Kind.AWARD))
        )
    )
    for row in credits:
        by_program[row["program_id"]].credits = row["credits"]
        by_program[row["program_id"]].awards = row["awards"]
    money = defaultdict(list)
    for row in _totals(LedgerLine.objects.filter(user=user, program__in=by_program), "program_id"):
        money[row["program_id"]].append(_money(row))
    for program_id, rows in money.items():
        by_program[program_id].money = sorted(rows, key=lambda m: m.currency)
    return list(by_program.values())
