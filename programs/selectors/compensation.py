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
from django.utils import formats
from django.utils.translation import gettext

from core.money import in_minor_units
from core.recorded import shown
from programs.models import Credit, Enrolment, LedgerLine, PendingCredit, Program, RateCard, TimeEntry

ZERO = Decimal("0.00")
HUNDREDTHS = Decimal("0.01")  # hours are shown to two places
_MONEY_OUT = DecimalField(max_digits=15, decimal_places=3)
Line = LedgerLine


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
    code = row["currency"]
    return Money(code, in_minor_units(row["earned"], code), in_minor_units(row["paid"], code))


def money_for(user, program: Program) -> dict[str, Money]:
    """Earned, paid and owed per currency for one artist in one program."""
    rows = _totals(LedgerLine.objects.filter(user=user, program=program)).order_by("currency")
    return {row["currency"]: _money(row) for row in rows}


def still_owed(user) -> list[tuple[Program, Money]]:
    """Every program and currency in which `user` is still owed money (what deleting the account would forfeit)."""
    rows = list(_totals(LedgerLine.objects.filter(user=user), "program").order_by("program", "currency"))
    programs = Program.objects.in_bulk({row["program"] for row in rows})
    return [(programs[row["program"]], money) for row in rows if (money := _money(row)).owed > 0]


def balance(user, program: Program, currency: str) -> Decimal:
    """What the program owes the artist in `currency` right now (earned - paid)."""
    lines = LedgerLine.objects.filter(user=user, program=program, currency=currency)
    total = lines.aggregate(total=Coalesce(Sum(SIGNED_AMOUNT), Value(ZERO), output_field=_MONEY_OUT))["total"]
    return in_minor_units(total, currency)


def unpayable_reason(user) -> str | None:
    """Why no payout can reach `user`, or None. A deleted account gave up what it was owed and has no address;
    an account without an email address has no payout details (the payments provider pays by email). Leaving
    a program never stops payment: the agreement says everything earned is paid."""
    if user.deleted_at is not None:
        return gettext("the account was deleted, giving up what it was owed")
    if not user.email or user.email.endswith(".invalid"):
        return gettext("the account has no email address to be paid at")
    return None


PAYABLE = Q(user__deleted_at__isnull=True) & ~Q(user__email="") & ~Q(user__email__endswith=".invalid")


def positive_balances(program: Program, currency: str, *, payable_only: bool = False) -> list[tuple[int, Decimal]]:
    """(user id, balance) of every artist the program owes money in `currency`, largest first; `payable_only`
    leaves out the accounts no payout can reach (see unpayable_reason)."""
    lines = LedgerLine.objects.filter(program=program, currency=currency)
    rows = (
        (lines.filter(PAYABLE) if payable_only else lines)
        .values("user_id")
        .annotate(total=Sum(SIGNED_AMOUNT))
        .filter(total__gt=0)
        .order_by("-total", "user_id")
    )
    return [(row["user_id"], in_minor_units(row["total"], currency)) for row in rows]


def pending_credits(program: Program, *, user=None) -> QuerySet:
    """Credits earned in `program` (by `user`) that the ledger has not booked yet, oldest first."""
    rows = PendingCredit.objects.filter(program=program, status=PendingCredit.Status.PENDING).select_related("user")
    return rows.filter(user=user) if user is not None else rows


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
        return (Decimal(self.minutes_logged) / 60).quantize(HUNDREDTHS)

    @property
    def hours_approved(self) -> Decimal:
        return (Decimal(self.minutes_approved) / 60).quantize(HUNDREDTHS)

    def effective_hourly_rates(self) -> list[tuple[str, Decimal | None]]:
        """Paid and owed (that is, everything earned) over ALL hours logged, approved or not, so unpaid
        time lowers the rate. None when no hours were logged."""
        if not self.minutes_logged:
            return [(money.currency, None) for money in self.money]
        return [(m.currency, in_minor_units(m.earned * 60 / self.minutes_logged, m.currency)) for m in self.money]


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


# --- Payout runs ---------------------------------------------------------------------------------------
PAYOUT_CSV_HEADER = ["run_reference", "payout_key", "payee_name", "payee_email", "amount", "currency", "method"]


def payout_run_csv_rows(run) -> list[list[str]]:
    """What the payments provider receives: one row per payout recorded by the run (confirmed runs only)."""
    lines = run.lines.filter(kind=LedgerLine.Kind.PAID).select_related("user").order_by("user__email")
    rows = [PAYOUT_CSV_HEADER]
    for line in lines:
        name = line.user.get_full_name()
        rows.append(
            [
                run.reference,
                line.idempotency_key,
                name,
                line.user.email,
                f"{in_minor_units(line.amount, line.currency)}",
                line.currency,
                line.method,
            ]
        )
    return rows


# --- Statements ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StatementRow:
    booked_on: dt.date
    kind: str
    kind_label: str
    label: str
    url: str
    amount: Decimal  # signed: what the line does to the balance
    balance: Decimal
    reason: str


@dataclass
class CurrencyStatement:
    currency: str
    opening: Decimal
    rows: list[StatementRow] = field(default_factory=list)
    earned: Decimal = ZERO
    paid: Decimal = ZERO
    reversed: Decimal = ZERO

    @property
    def closing(self) -> Decimal:
        return self.rows[-1].balance if self.rows else self.opening


@dataclass
class Statement:
    program: Program
    user: object
    first_day: dt.date
    currencies: list[CurrencyStatement]

    @property
    def title(self) -> str:
        month = formats.date_format(self.first_day, "YEAR_MONTH_FORMAT")
        return gettext("%(program)s statement, %(month)s") % {"program": self.program.name, "month": month}


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first, following


def statement_for(user, program: Program, year: int, month: int, *, entry_url: str = "") -> Statement:
    """One month of an artist's ledger in one program: opening balance, every line with its running
    balance and its source, closing balance; per currency. Two queries, however many lines.

    `entry_url` is where hours lines link to, with "{pk}" replaced by the time entry's id.
    """
    first, following = month_bounds(year, month)
    lines = LedgerLine.objects.filter(user=user, program=program)
    opening = {
        row["currency"]: in_minor_units(row["total"], row["currency"])
        for row in lines.filter(booked_on__lt=first).values("currency").annotate(total=Sum(SIGNED_AMOUNT))
    }
    by_currency = {code: CurrencyStatement(code, total) for code, total in opening.items()}
    kinds = dict(LedgerLine.Kind.choices)
    month_lines = (
        lines.filter(booked_on__gte=first, booked_on__lt=following)
        .order_by("booked_on", "pk")
        .values_list(
            "booked_on",
            "kind",
            "label",
            "label_said",
            "source_url",
            "time_entry_id",
            "amount",
            "currency",
            "reason",
            "reason_said",
            "reverses__kind",
        )
    )
    for (
        booked_on,
        kind,
        label,
        label_said,
        url,
        entry_id,
        amount,
        currency,
        reason,
        reason_said,
        reverses_kind,
    ) in month_lines:
        label, reason = shown(label, label_said), shown(reason, reason_said)
        statement = by_currency.setdefault(currency, CurrencyStatement(currency, ZERO))
        amount = in_minor_units(amount, currency)
        change = signed(kind, reverses_kind, amount)
        running = statement.rows[-1].balance if statement.rows else statement.opening
        if not url and entry_id and entry_url:
            url = entry_url.replace("{pk}", str(entry_id))
        statement.rows.append(StatementRow(booked_on, kind, kinds[kind], label, url, change, running + change, reason))
        if kind == LedgerLine.Kind.EARNED:
            statement.earned += amount
        elif kind == LedgerLine.Kind.PAID:
            statement.paid += amount
        else:
            statement.reversed += change
    currencies = sorted(by_currency.values(), key=lambda s: s.currency)
    return Statement(program=program, user=user, first_day=first, currencies=currencies)


def statement_months(user, program: Program, *, today: dt.date) -> list[dt.date]:
    """First days of every month from the artist's first ledger line to this month, newest first."""
    first = (
        LedgerLine.objects.filter(user=user, program=program)
        .order_by("booked_on")
        .values_list("booked_on", flat=True)
        .first()
    )
    if first is None:
        return []
    months, cursor = [], first.replace(day=1)
    while cursor <= today:
        months.append(cursor)
        cursor = month_bounds(cursor.year, cursor.month)[1]
    return months[::-1]
