"""Suppression: no figure from fewer than 5 artists, and none can be worked out from the published ones."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import make_user
from tests.transparency_world import seed_report_world
from transparency.privacy import FEWER_THAN, WITHHELD, Cell, Relation, suppress
from transparency.report import build, compute


# --- An attacker, written independently of transparency.privacy -----------------------------
def rank(rows: list[list[Fraction]]) -> int:
    rows = [r[:] for r in rows if any(r)]
    rank_, col = 0, 0
    width = len(rows[0]) if rows else 0
    while rank_ < len(rows) and col < width:
        pivot = next((i for i in range(rank_, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            col += 1
            continue
        rows[rank_], rows[pivot] = rows[pivot], rows[rank_]
        for i in range(rank_ + 1, len(rows)):
            factor = rows[i][col] / rows[rank_][col]
            rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank_], strict=True)]
        rank_ += 1
        col += 1
    return rank_


def recoverable(unknown: set, relations) -> set:
    """Unknown cells that the sums pin down: x is determined iff adding "x = ?" does not raise the rank."""
    order = sorted(unknown, key=str)
    index = {k: i for i, k in enumerate(order)}
    matrix = []
    for r in relations:
        row = [Fraction(0)] * len(order)
        for key, sign in [(r.total, 1), *[(p, -1) for p in r.parts]]:
            if key in index:
                row[index[key]] += sign
        matrix.append(row)
    base = rank(matrix)
    found = set()
    for key in order:
        probe = [Fraction(0)] * len(order)
        probe[index[key]] = Fraction(1)
        if rank([*matrix, probe]) == base:
            found.add(key)
    return found


def subtract(known: dict, relations) -> dict:
    """The naive attack, repeated until nothing new: a sum with one unknown gives it away."""
    known, learned = dict(known), {}
    progress = True
    while progress:
        progress = False
        for r in relations:
            members = [r.total, *r.parts]
            missing = [k for k in members if k not in known]
            if len(missing) != 1:
                continue
            (key,) = missing
            parts_sum = sum(Decimal(str(known[p])) for p in r.parts if p != key)
            value = Decimal(str(known[r.total])) - parts_sum if key != r.total else parts_sum
            if key == r.total:
                value = sum(Decimal(str(known[p])) for p in r.parts)
            known[key] = learned[key] = value
            progress = True
    return learned


def published_values(report: dict) -> dict:
    """Every figure the JSON shows, as (period, figure, dimension) -> value. Only the JSON is read."""
    values = {}

    def walk(period, section_data):
        for name, value in section_data.items():
            if name == "by_currency":
                for currency, money in value.items():
                    values.update({(period, n, currency): v for n, v in money.items() if v is not None})
            elif name == "rejections_by_reason":
                values.update(
                    {(period, name, c): r["rejections"] for c, r in value.items() if r["rejections"] is not None}
                )
            elif value is not None:
                values[(period, name, "")] = value

    for section in report["whole_program"].values():
        walk("all", section)
    for month in report["months"]:
        for key, section in month.items():
            if key != "month":
                walk(month["month"], section)
    return values


# --- The rules, on small hand-made tables -----------------------------------------------------------
def series(values: list[tuple[int, int]], total_artists: int) -> tuple[dict, list[Relation]]:
    cells = {("all", "x"): Cell(sum(v for v, _ in values), total_artists)}
    cells.update({(f"m{i}", "x"): Cell(v, a) for i, (v, a) in enumerate(values)})
    return cells, [Relation(("all", "x"), tuple(k for k in cells if k[0] != "all"))]


def test_a_cell_from_one_to_four_artists_is_shown_as_fewer_than_5():
    cells = suppress({"a": Cell(3, 1), "b": Cell(9, 4), "c": Cell(0, 0), "d": Cell(12, 5), "r": Cell(7, None)}, [])
    assert [cells[k].status for k in "abcdr"] == [FEWER_THAN, FEWER_THAN, "", "", ""]


def test_a_lone_suppressed_month_takes_the_smallest_other_month_with_it():
    cells, relations = series([(40, 9), (3, 2), (25, 6), (90, 12)], 14)
    suppress(cells, relations)
    assert cells[("m1", "x")].status == FEWER_THAN
    assert cells[("m2", "x")].status == WITHHELD  # 25 is the smallest non-zero published month
    assert not cells[("all", "x")].suppressed and not cells[("m0", "x")].suppressed
    assert recoverable({k for k, c in cells.items() if c.suppressed}, relations) == set()


def test_an_unpublished_helper_cell_is_the_complement_when_there_is_one():
    cells = {"items": Cell(20, 9), "answered": Cell(18, 7), "_unanswered": Cell(2, 2, published=False)}
    relation = Relation("items", ("answered", "_unanswered"))
    cells["share"] = Cell(Decimal("0.9"), 9, depends_on=("answered", "_unanswered"))
    suppress(cells, [relation])
    assert cells["_unanswered"].status == FEWER_THAN
    assert cells["answered"].status == WITHHELD  # else items - answered would give the 2 away
    assert cells["share"].status == WITHHELD  # and so would the share
    assert not cells["items"].suppressed


def test_zero_cells_never_protect_so_the_total_goes_when_nothing_else_can():
    cells, relations = series([(0, 0), (4, 3), (0, 0)], 3)
    suppress(cells, relations)
    assert cells[("m1", "x")].status == FEWER_THAN
    assert cells[("all", "x")].suppressed


def test_chained_sums_are_protected_too():
    # total = a + b, and a = a1 + a2: suppressing a1 withholds a2, which must not make a computable from b.
    cells = {
        "total": Cell(50, 20), "a": Cell(30, 12), "b": Cell(20, 8), "a1": Cell(2, 1), "a2": Cell(28, 11),
    }  # fmt: skip
    relations = [Relation("total", ("a", "b")), Relation("a", ("a1", "a2"))]
    suppress(cells, relations)
    unknown = {k for k, c in cells.items() if c.suppressed}
    assert "a1" in unknown and recoverable(unknown, relations) == set()


@settings(max_examples=60, deadline=None)
@given(
    months=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 9)), min_size=1, max_size=14),
    split=st.lists(st.integers(0, 8), min_size=3, max_size=3),
)
def test_no_suppressed_cell_is_ever_recoverable_property(months, split):
    """Random months of a series plus a three-way split of its total: the attacker learns nothing hidden."""
    months = [(v if a else 0, a if v else 0) for v, a in months]
    total = sum(v for v, _ in months)
    cells, relations = series(months, sum(a for _, a in months))
    parts = [Cell(s * 10, s) for s in split]
    parts.append(Cell(total - sum(p.value for p in parts), max(0, cells[("all", "x")].artists - sum(split))))
    for i, part in enumerate(parts):
        cells[("kind", i)] = part
    relations.append(Relation(("all", "x"), tuple(("kind", i) for i in range(len(parts)))))
    suppress(cells, relations)
    unknown = {k for k, c in cells.items() if c.suppressed}
    assert recoverable(unknown, relations) == set()
    assert all(c.suppressed for c in cells.values() if c.artists and 0 < c.artists < 5)


# --- The real report ----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_published_report_gives_nothing_away_by_subtraction(program, staff):
    """A small program: many cells come from fewer than 5 artists. From the JSON alone, plus every sum the report
    is built on, neither repeated subtraction nor linear algebra recovers a suppressed figure."""
    seed_report_world(program, staff, artists=8)
    report = build(program)
    result = compute(program)
    shown = published_values(report)
    suppressed = {(s["period"], s["figure"], s["dimension"]) for s in report["suppressed"]}
    assert suppressed, "the small world must have suppressed cells, or this test proves nothing"
    assert not suppressed & set(shown)
    # The attacker also knows every unpublished helper that was not itself suppressed (a stronger attacker).
    known = {**{k: c.value for k, c in result.cells.items() if not c.suppressed}, **shown}
    learned = subtract(known, result.relations)
    assert not set(learned) & suppressed, f"recovered by subtraction: {set(learned) & suppressed}"
    unknown = {k for k in result.cells if k not in known}
    assert recoverable(unknown, result.relations) == set()
    for key in suppressed:  # and every suppressed cell really was about fewer than 5 artists or a complement
        reason = next(s["reason"] for s in report["suppressed"] if (s["period"], s["figure"], s["dimension"]) == key)
        artists = result.cells[key].artists
        assert (reason == "fewer_than_5") == (artists is not None and 0 < artists < 5)


@pytest.mark.django_db
def test_no_published_figure_comes_from_one_to_four_artists(program, staff):
    seed_report_world(program, staff, artists=8)
    result = compute(program)
    for key, cell in result.cells.items():
        if cell.artists is not None and 0 < cell.artists < 5:
            assert cell.status == FEWER_THAN, key


@pytest.mark.django_db
def test_one_artist_in_a_month_is_fewer_than_5_and_never_alone(program, staff):
    seed_report_world(program, staff, artists=12)
    late = make_user("late@example.com")
    from tests.transparency_world import enrol_with_history, months_ago

    enrol_with_history(late, program, "active", invited_on=months_ago(5), joined_on=months_ago(5, day=11))
    report = build(program)
    oldest = report["months"][0]
    assert oldest["month"] == months_ago(5).strftime("%Y-%m")
    assert oldest["people"]["artists_invited"] is None
    reasons = {(s["period"], s["figure"]): s["reason"] for s in report["suppressed"]}
    assert reasons[(oldest["month"], "artists_invited")] == "fewer_than_5"
    hidden_months = [p for (p, f) in reasons if f == "artists_invited" and p != "all"]
    assert len(hidden_months) >= 2, "a lone suppressed month would be the total minus the others"
    assert report["whole_program"]["people"]["artists_invited"] == 13
