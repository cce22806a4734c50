"""Open calls, read: the ranking computed from the scores, the public score table, the gallery's marks.

The ranking is never typed in. An entry's total is the weighted mean, over the call's criteria, of the jurors'
mean score on each criterion (exact fractions; shown rounded to two decimals). Only entries scored on every
criterion are ranked. Ties are broken by the call's published rule, so every rank is distinct.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Prefetch, QuerySet

from calls.models import Call, Criterion, Entry, Event, Juror, PrizeTier, Score

CENTS = Decimal("0.01")


@dataclass
class RankedEntry:
    entry: Entry
    means: dict[int, Fraction]  # criterion id -> the jurors' mean score
    total: Fraction | None  # None: not scored on every criterion, so not ranked
    rank: int | None = None
    prize: PrizeTier | None = None
    cells: dict[tuple[int, int], Score] = field(default_factory=dict)  # (juror id, criterion id) -> score

    @property
    def total_rounded(self) -> Decimal | None:
        return to_cents(self.total)


def to_cents(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENTS, rounding=ROUND_HALF_UP)


def entered(call: Call) -> QuerySet[Entry]:
    return call.entries.filter(status=Entry.Status.ENTERED)


def _weighted_total(means: dict[int, Fraction], criteria: list[Criterion]) -> Fraction | None:
    if not criteria or any(c.pk not in means for c in criteria):
        return None
    weights = sum(c.weight for c in criteria)
    return sum((c.weight * means[c.pk] for c in criteria), Fraction(0)) / weights


def _tie_key(call: Call, criteria: list[Criterion]):
    heaviest = max(criteria, key=lambda c: (c.weight, -c.position)) if criteria else None

    def key(row: RankedEntry):
        first = -row.total
        if call.tie_break == Call.TieBreak.HEAVIEST_CRITERION and heaviest is not None:
            return (first, -row.means[heaviest.pk], row.entry.created_at, row.entry.pk)
        return (first, row.entry.created_at, row.entry.pk)

    return key


def ranking(call: Call) -> list[RankedEntry]:
    """Every entry still entered, ranked by its scores (unranked ones last), each with the prize its rank wins."""
    criteria = list(call.criteria.all())
    entries = list(
        entered(call)
        .select_related("video", "artist", "prize")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.order_by("juror_id", "criterion_id")))
    )
    rows = []
    for entry in entries:
        values: dict[int, list[int]] = defaultdict(list)
        cells = {}
        for score in entry.scores.all():
            values[score.criterion_id].append(score.value)
            cells[(score.juror_id, score.criterion_id)] = score
        means = {pk: Fraction(sum(v), len(v)) for pk, v in values.items()}
        rows.append(RankedEntry(entry=entry, means=means, total=_weighted_total(means, criteria), cells=cells))
    ranked = sorted((r for r in rows if r.total is not None), key=_tie_key(call, criteria))
    prizes = [tier for tier in call.prize_tiers.all() for _ in range(tier.count)]
    for position, row in enumerate(ranked, start=1):
        row.rank = position
        row.prize = prizes[position - 1] if position <= len(prizes) else None
    unranked = sorted((r for r in rows if r.total is None), key=lambda r: (r.entry.created_at, r.entry.pk))
    return ranked + unranked


@dataclass
class ScoreTable:
    jurors: list[Juror]
    criteria: list[Criterion]
    rows: list[RankedEntry]
    entrants: int
    entries: int
    winners: int


def score_table(call: Call) -> ScoreTable:
    """The published results: entries in their recorded rank, every score, and the counts."""
    rows = ranking(call)
    by_pk = {row.entry.pk: row for row in rows}
    for row in rows:  # the stored result is the one published; recomputing only fills the cells
        row.rank, row.prize = row.entry.rank, row.entry.prize
    rows = sorted(by_pk.values(), key=lambda r: (r.rank is None, r.rank or 0, r.entry.pk))
    return ScoreTable(
        jurors=list(call.jurors.select_related("user", "call")),
        criteria=list(call.criteria.all()),
        rows=rows,
        entrants=len({row.entry.artist_id for row in rows}),
        entries=len(rows),
        winners=sum(1 for row in rows if row.prize is not None),
    )


def expected_scores_missing(call: Call) -> int:
    """How many (juror, entry, criterion) scores are still to come: conflicts and own entries need none."""
    jurors = list(call.jurors.all())
    criteria = call.criteria.count()
    missing = 0
    for entry in entered(call).prefetch_related("conflicts", "scores"):
        conflicted = {c.juror_id for c in entry.conflicts.all()}
        scored = defaultdict(int)
        for score in entry.scores.all():
            scored[score.juror_id] += 1
        for juror in jurors:
            if juror.user_id != entry.artist_id and juror.pk not in conflicted:
                missing += criteria - scored[juror.pk]
    return missing


@dataclass(frozen=True)
class Screening:
    pk: int
    title: str
    starts_at: dt.datetime


@dataclass(frozen=True)
class CallMark:
    call_pk: int
    call_title: str
    prize: str
    screenings: tuple[Screening, ...] = ()


def marks_for_videos(video_ids) -> dict[int, list[CallMark]]:
    """For the gallery: which of these videos won a prize (or a selection) in a call whose results are public."""
    won = (
        Entry.objects.filter(video_id__in=list(video_ids), call__status=Call.Status.RESULTS, prize__isnull=False)
        .select_related("call", "prize")
        .order_by("call__results_on", "pk")
    )
    won = list(won)
    screenings = _screenings_of({entry.call_id for entry in won})
    marks: dict[int, list[CallMark]] = defaultdict(list)
    for entry in won:
        shown = screenings.get(entry.call_id, ())
        marks[entry.video_id].append(CallMark(entry.call_id, entry.call.title, entry.prize.label, shown))
    return dict(marks)


def _screenings_of(call_ids: set[int]) -> dict[int, tuple[Screening, ...]]:
    """The published screenings that show each call's chosen films (one query; none when no call is given)."""
    if not call_ids:
        return {}
    events = Event.objects.filter(open_call_id__in=call_ids, kind=Event.Kind.SCREENING, published=True)
    found: dict[int, list[Screening]] = defaultdict(list)
    for event in events.order_by("starts_at", "pk").only("pk", "title", "starts_at", "open_call_id"):
        found[event.open_call_id].append(Screening(event.pk, event.title, event.starts_at))
    return {call_id: tuple(shown) for call_id, shown in found.items()}
