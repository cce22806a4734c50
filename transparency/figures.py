"""The report's figures, computed from the records: aggregate queries, a constant number per report.

Each figure becomes a Cell (value + how many distinct artists it comes from) under a key
(period, figure, dimension): period is "all" or a month "YYYY-MM", dimension a currency code or a reason code
(else ""). Figures whose name starts with "_" are helpers: never published, they state sums such as
"feedback items = answered + not answered" so that suppression also protects what subtraction would reveal.
Relations list those exact sums.
"""

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, Func, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Greatest, Least, TruncMonth
from django.utils import timezone

from core.money import in_minor_units
from programs.models import Credit, Enrolment, EnrolmentEvent, LedgerLine, Program, ProgramRole, TimeEntry
from programs.models.trust import TrustedPublisher
from programs.selectors.compensation import LOGGED
from transparency.definitions import BY_NAME, DURATION, FIGURES, HOURS, MINUTES, MONEY, MONTHLY, SHARE
from transparency.privacy import Cell, Relation

ALL = "all"
E = Enrolment.Status
L = LedgerLine.Kind
HUNDREDTHS, TENTH, SHARE_PLACES = Decimal("0.01"), Decimal("0.1"), Decimal("0.0001")


# --- Small helpers --------------------------------------------------------------------------------
def month_of(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.year:04d}-{value.month:02d}"


def month_range(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    end = tuple(map(int, last.split("-")))
    months = []
    while (year, month) <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = year + (month == 12), month % 12 + 1
    return months


def month_start(month: str) -> dt.datetime:
    year, number = map(int, month.split("-"))
    return timezone.make_aware(dt.datetime(year, number, 1))


def month_end(month: str) -> dt.datetime:
    year, number = map(int, month.split("-"))
    following = dt.date(year + (number == 12), number % 12 + 1, 1)
    return timezone.make_aware(dt.datetime.combine(following, dt.time.min))


def hours(minutes) -> Decimal:
    return (Decimal(minutes or 0) / 60).quantize(HUNDREDTHS, ROUND_HALF_UP)


def money(value, currency: str) -> Decimal:
    """In the currency's own decimals: none for JPY, two for EUR, three for KWD."""
    return in_minor_units(value or 0, currency)


def share(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(SHARE_PLACES, ROUND_HALF_UP) if whole else None


def percentile(values: list, fraction: float) -> float | None:
    """Linear interpolation between closest ranks: what PostgreSQL's percentile_cont computes."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * Decimal(str(fraction))
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    weight = position - low
    if not isinstance(ordered[low], Decimal):
        weight = float(weight)
    return ordered[low] + (ordered[high] - ordered[low]) * weight


def duration_hours(seconds: float | None) -> Decimal | None:
    return None if seconds is None else (Decimal(str(seconds)) / 3600).quantize(TENTH, ROUND_HALF_UP)


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate: percentile_cont(f) WITHIN GROUP (ORDER BY expression)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


class EpochSeconds(Func):
    """Seconds between two timestamps (PostgreSQL)."""

    template = "EXTRACT(EPOCH FROM (%(expressions)s))"
    arg_joiner = " - "
    output_field = FloatField()


def sql_percentiles() -> bool:
    return connection.vendor == "postgresql"


def program_start(program: Program) -> dt.datetime:
    """When the program began: its creation in the portal, or its first invitation if its history is older.

    Both are set by the system, never typed by a person, so the report's month axis cannot be stretched by a
    careless or hostile date in a record.
    """
    first_invited = EnrolmentEvent.objects.filter(enrolment__program=program).aggregate(at=Min("created_at"))["at"]
    return min(filter(None, [program.created_at, first_invited]))


# --- The collection of cells ------------------------------------------------------------------------
@dataclass
class Figures:
    """The cells of one report. Months run from the program's start to the month of `now`; a record dated outside
    (a careless or hostile date) counts in the nearest of those months, so the axis and the cost of the report
    depend on the program's life, never on the dates in its records."""

    program: Program
    now: dt.datetime
    start: dt.datetime | None = None  # default: program_start(program)
    cells: dict = field(default_factory=dict)
    relations: list = field(default_factory=list)
    series: set = field(default_factory=set)
    labels: dict = field(default_factory=dict)  # dimension labels, e.g. reason code -> title
    timelines: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.start = min(self.start or program_start(self.program), self.now)
        self.first_month, self.last_month = month_of(self.start), month_of(self.now)
        self.month_list = month_range(self.first_month, self.last_month)

    def clamp(self, month: str | None) -> str | None:
        """The report month a record of `month` counts in (ISO months compare as strings)."""
        return None if month is None else min(max(month, self.first_month), self.last_month)

    def bucket(self, field_name: str, *, date: bool = False) -> TruncMonth:
        """SQL: the report month of a date or datetime column, clamped to the axis before grouping, so one grouped
        query gives every month's figure and nothing outside the axis."""
        low, high = month_start(self.first_month), self.now
        if date:
            low, high = low.date(), timezone.localtime(high).date()
        return TruncMonth(Greatest(Least(F(field_name), Value(high)), Value(low)))

    def month_key(self, value) -> str:
        return self.clamp(month_of(value))

    def add(self, period: str, figure: str, value, artists: int | None, *, dim: str = "", depends_on=()) -> tuple:
        key = (period, figure, dim)
        self.cells[key] = Cell(
            value=value,
            artists=artists,
            published=not figure.startswith("_"),
            depends_on=tuple((period, name, dim) for name in depends_on),
        )
        return key

    def relate(self, total: tuple, parts: list[tuple]) -> None:
        self.relations.append(Relation(total, tuple(parts)))

    def add_series(self, figure: str, per_month: dict[str, tuple], whole: tuple | None, *, dim: str = "") -> None:
        """A figure per month whose whole-program value is the sum of its months (a relation, completed with the
        months that have no records by `finish`). `whole` None: the total cell was added already."""
        if whole is not None:
            self.add(ALL, figure, *whole, dim=dim)
        for month, value in per_month.items():
            self.add(month, figure, *value, dim=dim)
        self.series.add((figure, dim))

    def finish(self, months: list[str]) -> None:
        """Every month gets every monthly figure (zero, or None for a share or median of nothing), and each
        series' total is related to the sum of all its months."""
        monthly = {(f, d) for (p, f, d) in self.cells if p != ALL} | self.series
        monthly |= {(f.name, "") for f in FIGURES if MONTHLY in f.scopes and not f.per_currency}
        for figure, dim in monthly:
            unit = BY_NAME[figure].unit if figure in BY_NAME else None
            for month in months:
                if (month, figure, dim) not in self.cells:
                    empty = (
                        None
                        if unit in (SHARE, DURATION, MINUTES)
                        else (Decimal("0.00") if unit in (HOURS, MONEY) else 0)
                    )
                    if figure.startswith("_hours"):
                        empty = Decimal("0.00")
                    self.add(month, figure, empty, 0, dim=dim)
        for figure, dim in self.series:
            self.relate((ALL, figure, dim), [(month, figure, dim) for month in months])


# --- People ------------------------------------------------------------------------------------------
def people(figures: Figures) -> set[int]:
    """Enrolment states now and per month, from the enrolment history. Returns the ids of artists who took part."""
    program = figures.program
    enrolments = list(
        Enrolment.objects.filter(program=program)
        .annotate(first_invited=Min("events__created_at", filter=Q(events__to_status=E.INVITED)))
        .values_list("pk", "user_id", "status", "created_at", "status_changed_at", "first_invited")
    )
    timelines = defaultdict(list)
    for enrolment_id, at, to_status in EnrolmentEvent.objects.filter(enrolment__program=program).values_list(
        "enrolment_id", "created_at", "to_status"
    ):
        timelines[enrolment_id].append((at, to_status))
    invited_by_month = defaultdict(int)
    by_status = defaultdict(int)
    took_part = set()
    for pk, user_id, status, created_at, changed_at, first_invited in enrolments:
        invited_by_month[figures.month_key(first_invited or created_at)] += 1
        by_status[status] += 1
        timeline = sorted(timelines[pk]) or [(created_at, status)]
        # The row's state is the truth now, whatever the history says.
        timeline.append((max(changed_at, timeline[-1][0]), status))
        timelines[pk] = timeline
        if status in (E.ACTIVE, E.PAUSED) or any(s == E.ACTIVE for _, s in timeline):
            took_part.add(user_id)
    total = len(enrolments)
    figures.add_series("artists_invited", {m: (n, n) for m, n in invited_by_month.items()}, (total, total))
    whole = (ALL, "artists_invited", "")
    parts = []
    for figure, status in (
        ("artists_awaiting", E.INVITED),
        ("artists_active", E.ACTIVE),
        ("artists_paused", E.PAUSED),
        ("artists_left", E.LEFT),
        ("artists_removed", E.REMOVED),
    ):
        parts.append(figures.add(ALL, figure, by_status[status], by_status[status]))
    figures.relate(whole, parts)
    taking_part = figures.add(ALL, "artists_taking_part", len(took_part), len(took_part))
    never = total - len(took_part)
    figures.relate(whole, [taking_part, figures.add(ALL, "_never_active", never, never)])
    figures.timelines = timelines
    reviewers = ProgramRole.objects.filter(program=program, role=ProgramRole.Role.REVIEWER).count()
    figures.add(ALL, "reviewers", reviewers, None)
    trusted = (
        TrustedPublisher.objects.in_force()
        .filter(enrolment__program=program, enrolment__status=E.ACTIVE)
        .values("enrolment__user")
        .distinct()
        .count()
    )
    figures.add(ALL, "trusted_publishers", trusted, trusted)
    return took_part


def active_by_month(figures: Figures, months: list[str]) -> None:
    """Artists active at each month's end (now, for the current month). The current month equals 'active now'.

    One pass over the enrolment histories: each stretch of an active enrolment adds one to the months whose end
    falls inside it (a difference array), so the cost is histories + months, not their product.
    """
    current = month_of(figures.now)
    ends = [figures.now if month == current else month_end(month) for month in months]
    change = [0] * (len(months) + 1)
    for timeline in figures.timelines.values():
        for (at, status), following in zip(timeline, [*timeline[1:], None], strict=True):
            if status != E.ACTIVE:
                continue
            first = bisect.bisect_left(ends, at)  # the first month that ends at or after the stretch began
            last = len(ends) if following is None else bisect.bisect_left(ends, following[0])
            if first < last:
                change[first] += 1
                change[last] -= 1
    count = 0
    for month, delta in zip(months, change, strict=False):
        count += delta
        key = figures.add(month, "artists_active", count, count)
        if month == current:
            figures.relate((ALL, "artists_active", ""), [key])


# --- Work ----------------------------------------------------------------------------------------------
def _hours_aggregates():
    pending = Q(status__in=[TimeEntry.Status.PENDING, TimeEntry.Status.QUERIED])
    approved = Q(status=TimeEntry.Status.APPROVED)
    return {
        "logged": Sum("minutes", filter=LOGGED),
        "logged_artists": Count("user", distinct=True, filter=LOGGED),
        "approved": Sum("minutes", filter=approved),
        "approved_artists": Count("user", distinct=True, filter=approved),
        "pending": Sum("minutes", filter=pending),
        "pending_artists": Count("user", distinct=True, filter=pending),
    }


def work(figures: Figures) -> None:
    program = figures.program
    entries = TimeEntry.objects.filter(program=program)
    whole = entries.aggregate(**_hours_aggregates())
    monthly = {
        month_of(row["month"]): row
        for row in entries.annotate(month=figures.bucket("worked_on", date=True))
        .values("month")
        .annotate(**_hours_aggregates())
    }
    for name, field_name in (("hours_logged", "logged"), ("hours_approved", "approved"), ("_hours_waiting", "pending")):
        figures.add_series(
            name,
            {m: (hours(r[field_name]), r[f"{field_name}_artists"]) for m, r in monthly.items()},
            (hours(whole[field_name]), whole[f"{field_name}_artists"]),
        )
    for period in [ALL, *monthly]:
        figures.relate((period, "hours_logged", ""), [(period, "hours_approved", ""), (period, "_hours_waiting", "")])
    _bug_reports(figures)
    _feedback(figures)


def _bug_reports(figures: Figures) -> None:
    from submissions.models import BugReport

    S = BugReport.Status
    groups = {
        "bug_reports_waiting": [S.NEW, S.TRIAGED, S.NEEDS_INFO],
        "bug_reports_confirmed": [S.CONFIRMED, S.FIXED],
        "bug_reports_fixed": [S.FIXED],
        "_bug_reports_confirmed_open": [S.CONFIRMED],
        "bug_reports_duplicate": [S.DUPLICATE],
        "bug_reports_declined": [S.NOT_A_BUG, S.WONT_FIX],
    }
    reports = BugReport.objects.filter(program=figures.program).submitted()
    aggregates = {"filed": Count("pk"), "filed_artists": Count("reporter", distinct=True)}
    for name, statuses in groups.items():
        aggregates[name] = Count("pk", filter=Q(status__in=statuses))
        aggregates[f"{name}_artists"] = Count("reporter", distinct=True, filter=Q(status__in=statuses))
    whole = reports.aggregate(**aggregates)
    monthly = (
        reports.annotate(month=figures.bucket("submitted_at"))
        .values("month")
        .annotate(n=Count("pk"), artists=Count("reporter", distinct=True))
    )
    figures.add_series(
        "bug_reports_filed",
        {month_of(r["month"]): (r["n"], r["artists"]) for r in monthly},
        (whole["filed"], whole["filed_artists"]),
    )
    keys = {name: figures.add(ALL, name, whole[name], whole[f"{name}_artists"]) for name in groups}
    filed = (ALL, "bug_reports_filed", "")
    parts = ["bug_reports_waiting", "bug_reports_confirmed", "bug_reports_duplicate", "bug_reports_declined"]
    figures.relate(filed, [keys[name] for name in parts])
    figures.relate(keys["bug_reports_confirmed"], [keys["bug_reports_fixed"], keys["_bug_reports_confirmed_open"]])


def _feedback(figures: Figures) -> None:
    from submissions.models import Feedback, FeedbackEvent, FeedbackResponse

    # Staff answer in the thread, or by settling the item (answered, planned, declined), which sends the artist
    # staff's reason; "read by staff" is not an answer.
    settled = [Feedback.Status.ANSWERED, Feedback.Status.PLANNED, Feedback.Status.DECLINED]
    first_response = FeedbackResponse.objects.filter(feedback=OuterRef("pk"), from_staff=True).order_by("created_at")
    first_settled = FeedbackEvent.objects.filter(
        feedback=OuterRef("pk"), kind=FeedbackEvent.Kind.STATUS, to_status__in=settled
    ).order_by("created_at")
    rows = [
        (author, created_at, min((t for t in (responded, settled_at) if t is not None), default=None))
        for author, created_at, responded, settled_at in Feedback.objects.filter(program=figures.program)
        .annotate(
            first_response=Subquery(first_response.values("created_at")[:1]),
            first_settled=Subquery(first_settled.values("created_at")[:1]),
        )
        .values_list("author_id", "created_at", "first_response", "first_settled")
    ]
    buckets = defaultdict(list)
    for author, created_at, responded in rows:
        buckets[figures.month_key(created_at)].append((author, created_at, responded))
    everything = [row for bucket in buckets.values() for row in bucket]
    for period, items in [(ALL, everything), *buckets.items()]:
        answered = [row for row in items if row[2] is not None]
        unanswered = [row for row in items if row[2] is None]
        waits = [(responded - created).total_seconds() for _, created, responded in answered]
        artists = len({row[0] for row in items})
        figures.add(period, "feedback_items", len(items), artists)
        figures.add(period, "feedback_answered", len(answered), len({row[0] for row in answered}))
        figures.add(period, "_feedback_unanswered", len(unanswered), len({row[0] for row in unanswered}))
        figures.add(
            period,
            "feedback_answered_share",
            share(len(answered), len(items)),
            artists,
            depends_on=("feedback_answered", "_feedback_unanswered"),
        )
        figures.add(
            period,
            "feedback_response_hours_median",
            duration_hours(percentile(waits, 0.5)),
            len({row[0] for row in answered}),
        )
        figures.relate(
            (period, "feedback_items", ""), [(period, "feedback_answered", ""), (period, "_feedback_unanswered", "")]
        )
    figures.series |= {("feedback_items", ""), ("feedback_answered", ""), ("_feedback_unanswered", "")}


# --- Money -----------------------------------------------------------------------------------------
EARNED = Q(kind=L.EARNED)
REVERSED_EARNED = Q(kind=L.REVERSED, reverses__kind=L.EARNED)
PAID = Q(kind=L.PAID)
REVERSED_PAID = Q(kind=L.REVERSED, reverses__kind=L.PAID)


def _money_aggregates(*, per_artist: bool = False):
    """Earned and paid, net of reversals, and who they come from (per artist: how many lines, a cheaper count)."""

    def who(condition):
        return Count("pk", filter=condition) if per_artist else Count("user", distinct=True, filter=condition)

    return {
        "earned_in": Sum("amount", filter=EARNED),
        "earned_out": Sum("amount", filter=REVERSED_EARNED),
        "earned_artists": who(EARNED | REVERSED_EARNED),
        "paid_in": Sum("amount", filter=PAID),
        "paid_out": Sum("amount", filter=REVERSED_PAID),
        "paid_artists": who(PAID | REVERSED_PAID),
    }


def money_figures(figures: Figures, took_part: set[int]) -> None:
    program = figures.program
    lines = LedgerLine.objects.filter(program=program)
    per_artist = list(lines.values("user_id", "currency").annotate(**_money_aggregates(per_artist=True)))
    monthly = (
        lines.annotate(month=figures.bucket("booked_on", date=True))
        .values("month", "currency")
        .annotate(**_money_aggregates())
    )
    by_currency = defaultdict(list)
    for row in per_artist:
        code = row["currency"]
        row["earned"] = money(row["earned_in"], code) - money(row["earned_out"], code)
        row["paid"] = money(row["paid_in"], code) - money(row["paid_out"], code)
        by_currency[row["currency"]].append(row)
    monthly_by_currency = defaultdict(dict)
    for row in monthly:
        monthly_by_currency[row["currency"]][month_of(row["month"])] = row
    minutes = dict(
        TimeEntry.objects.filter(program=program, status__in=_logged_statuses())
        .values("user_id")
        .annotate(minutes=Sum("minutes"))
        .values_list("user_id", "minutes")
    )
    paid_anything = set()
    for currency, rows in sorted(by_currency.items()):
        earned = sum((r["earned"] for r in rows), Decimal(0))
        paid = sum((r["paid"] for r in rows), Decimal(0))
        owing = [r for r in rows if r["earned"] != r["paid"]]
        earned_key = figures.add(ALL, "earned", earned, sum(1 for r in rows if r["earned_artists"]), dim=currency)
        paid_key = figures.add(ALL, "paid", paid, sum(1 for r in rows if r["paid_artists"]), dim=currency)
        owed_key = figures.add(ALL, "owed", earned - paid, len(owing), dim=currency)
        figures.relate(earned_key, [paid_key, owed_key])
        for name in ("earned", "paid"):
            months = {}
            for month, row in monthly_by_currency[currency].items():
                change = money(row[f"{name}_in"], currency) - money(row[f"{name}_out"], currency)
                months[month] = (change, row[f"{name}_artists"])
            figures.add_series(name, months, None, dim=currency)
        paid_anything |= {r["user_id"] for r in rows if r["paid"] > 0}
        rates = [r["earned"] * 60 / minutes[r["user_id"]] for r in rows if minutes.get(r["user_id"])]
        for name, fraction in (("hourly_rate_q1", 0.25), ("hourly_rate_median", 0.5), ("hourly_rate_q3", 0.75)):
            value = percentile(rates, fraction)
            figures.add(ALL, name, None if value is None else money(value, currency), len(rates), dim=currency)
        figures.add(ALL, "hourly_rate_artists", len(rates), len(rates), dim=currency)
    _awards(figures)
    paid_part = paid_anything & took_part
    taking_part = (ALL, "artists_taking_part", "")
    paid_key = figures.add(ALL, "artists_paid", len(paid_part), len(paid_part))
    unpaid = len(took_part) - len(paid_part)
    unpaid_key = figures.add(ALL, "_artists_not_paid", unpaid, unpaid)
    figures.relate(taking_part, [paid_key, unpaid_key])
    figures.add(
        ALL,
        "artists_paid_share",
        share(len(paid_part), len(took_part)),
        len(took_part),
        depends_on=("artists_paid", "_artists_not_paid", "artists_taking_part"),
    )


def _logged_statuses() -> list[str]:
    return [TimeEntry.Status.PENDING, TimeEntry.Status.QUERIED, TimeEntry.Status.APPROVED]


def _awards(figures: Figures) -> None:
    awards = (
        Credit.objects.filter(program=figures.program, kind=Credit.Kind.AWARD)
        .exclude(line__reversed_by__isnull=False)
        .values("currency")
        .annotate(n=Count("pk"), total=Sum("amount"), artists=Count("user", distinct=True))
    )
    for row in awards:
        currency, artists = row["currency"], row["artists"]
        figures.add(ALL, "awards", row["n"], artists, dim=currency)
        figures.add(ALL, "awards_total", money(row["total"], currency), artists, dim=currency)
        figures.add(ALL, "awards_artists", artists, artists, dim=currency)


__all__ = [
    "ALL",
    "EpochSeconds",
    "Figures",
    "PercentileCont",
    "active_by_month",
    "duration_hours",
    "money_figures",
    "month_of",
    "month_range",
    "people",
    "percentile",
    "share",
    "sql_percentiles",
    "work",
]
