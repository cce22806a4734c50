"""The report's Opportunities section, open calls: how many entered, how many won, and how the prize money was
shared, computed from calls whose results are published. Small cells are suppressed as everywhere in the report
(transparency.privacy): a figure from fewer than five artists is not shown, nor one that would give it away."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from calls.models import Call, Entry
from transparency.definitions import COUNT, MONEY, SHARE
from transparency.presentation import Shown, show
from transparency.privacy import Cell, Relation, Suppression


@dataclass
class CallRow:
    call: Call
    entrants: Shown
    entries: Shown
    winners: Shown
    prize_money: Shown


@dataclass
class PrizeMoney:
    currency: str
    total: Shown
    artists: Shown
    share_of_entrants: Shown  # of the artists who entered calls paid in this currency, the share who won


@dataclass
class OpportunitiesCalls:
    calls: list[CallRow]
    entrants: Shown
    winners: Shown
    money: list[PrizeMoney]


def _finished(program) -> list[Call]:
    return list(
        Call.objects.filter(program=program, status=Call.Status.RESULTS)
        .annotate(
            n_entries=Count("entries", filter=Q(entries__status=Entry.Status.ENTERED)),
            n_entrants=Count("entries__artist", filter=Q(entries__status=Entry.Status.ENTERED), distinct=True),
            n_winners=Count("entries__artist", filter=Q(entries__prize__isnull=False), distinct=True),
            prize_total=Sum("entries__prize__amount"),
        )
        .order_by("-results_on", "-pk")
    )


def _people(program) -> tuple[set, set, dict]:
    """Distinct entrants and winners across the program's finished calls, and per currency winners and money."""
    entries = Entry.objects.filter(
        call__program=program, call__status=Call.Status.RESULTS, status=Entry.Status.ENTERED
    ).values_list("artist_id", "call__currency", "prize__amount")
    entrants, winners = set(), set()
    by_currency_winners, by_currency_entrants, money = defaultdict(set), defaultdict(set), defaultdict(Decimal)
    for artist, currency, amount in entries:
        entrants.add(artist)
        by_currency_entrants[currency].add(artist)
        if amount is not None:
            winners.add(artist)
            by_currency_winners[currency].add(artist)
            money[currency] += amount
    per_currency = {c: (by_currency_winners[c], by_currency_entrants[c], money[c]) for c in by_currency_entrants}
    return entrants, winners, per_currency


def calls_figures(program) -> OpportunitiesCalls | None:
    """None when the program has no call with published results."""
    calls = _finished(program)
    if not calls:
        return None
    entrants, winners, by_currency = _people(program)
    cells: dict = {
        "entrants": Cell(len(entrants), artists=len(entrants)),
        "winners": Cell(len(winners), artists=len(winners)),
    }
    for call in calls:
        cells[("entrants", call.pk)] = Cell(call.n_entrants, artists=call.n_entrants)
        cells[("entries", call.pk)] = Cell(call.n_entries, artists=call.n_entrants)
        cells[("winners", call.pk)] = Cell(call.n_winners, artists=call.n_winners)
        cells[("money", call.pk)] = Cell(call.prize_total or Decimal("0"), artists=call.n_winners)
    for currency, (paid, entered, total) in by_currency.items():
        cells[("money", currency)] = Cell(total, artists=len(paid))
        cells[("paid", currency)] = Cell(len(paid), artists=len(paid))
        cells[("share", currency)] = Cell(
            Decimal(len(paid)) / len(entered) if entered else None, depends_on=(("paid", currency),)
        )
    relations = [
        Relation(("money", currency), tuple(("money", c.pk) for c in calls if c.currency == currency))
        for currency in by_currency
    ]
    cells = Suppression(cells, relations).run()

    def shown(key, unit=COUNT, currency=""):
        return show(cells[key].value, unit, cells[key].status, currency)

    return OpportunitiesCalls(
        calls=[
            CallRow(
                call=c,
                entrants=shown(("entrants", c.pk)),
                entries=shown(("entries", c.pk)),
                winners=shown(("winners", c.pk)),
                prize_money=shown(("money", c.pk), MONEY, c.currency),
            )
            for c in calls
        ],
        entrants=shown("entrants"),
        winners=shown("winners"),
        money=[
            PrizeMoney(
                currency=currency,
                total=shown(("money", currency), MONEY, currency),
                artists=shown(("paid", currency)),
                share_of_entrants=shown(("share", currency), SHARE),
            )
            for currency in sorted(by_currency)
        ],
    )
