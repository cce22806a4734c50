"""Small-cell suppression for the public report: no figure, and no sum or difference of figures, about fewer
than five artists.

Every figure is a Cell that knows how many distinct artists its records come from. The rules:

1. Primary suppression: a cell computed from 1 to 4 artists is not published ("fewer than 5").
2. Complementary suppression: figures are tied by exact sums (a whole-program total is the sum of its months;
   approvals split into kinds; earned = paid + owed). A suppressed cell that is the only unknown of such a sum
   could be worked out by subtraction, so a second cell of the sum is withheld too: an unpublished helper cell
   if there is one (costs nothing), else the smallest non-zero published part, else the total.
3. Audit: after that, the whole system of sums is reduced (exact fractions) and any suppressed cell that is
   still determined by the published figures makes another cell withheld, until none is.
4. Derived figures (a share, a median) are withheld when a figure they are computed from is.

Zero cells come from no artist's records and are published; they never serve as the complement, because a
zero is easy to guess.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

THRESHOLD = 5
FEWER_THAN = "fewer_than_5"  # primary: computed from 1 to 4 artists
WITHHELD = "withheld"  # complementary: withheld so a suppressed figure cannot be worked out


@dataclass
class Cell:
    value: int | Decimal | None
    artists: int | None = None  # distinct artists behind the figure; None: not about artists (e.g. reviewers)
    published: bool = True  # False: a helper cell that exists only to state a sum (e.g. feedback not answered)
    depends_on: tuple[Hashable, ...] = ()  # derived figures: withheld when any of these is
    status: str = ""  # "", FEWER_THAN or WITHHELD

    @property
    def suppressed(self) -> bool:
        return bool(self.status)

    @property
    def nonzero(self) -> bool:
        return self.value is not None and self.value != 0


@dataclass(frozen=True)
class Relation:
    """total == sum(parts), exactly, on the records (tests check that it holds)."""

    total: Hashable
    parts: tuple[Hashable, ...]


@dataclass
class Suppression:
    cells: dict[Hashable, Cell]
    relations: list[Relation] = field(default_factory=list)

    def run(self) -> dict[Hashable, Cell]:
        for cell in self.cells.values():
            if cell.artists is not None and 0 < cell.artists < THRESHOLD:
                cell.status = FEWER_THAN
        relations = [r for r in self.relations if r.total in self.cells]
        while self._complement(relations) or self._audit(relations):
            pass
        self._derived()
        return self.cells

    def _withhold(self, key) -> bool:
        if self.cells[key].suppressed:
            return False
        self.cells[key].status = WITHHELD
        return True

    def _complement(self, relations: list[Relation]) -> bool:
        """One pass: every sum with exactly one suppressed member gets a second. True if anything changed."""
        changed = False
        for relation in relations:
            members = [relation.total, *relation.parts]
            if sum(self.cells[k].suppressed for k in members) != 1:
                continue
            changed |= self._withhold(self._complement_for(relation))
        return changed

    def _complement_for(self, relation: Relation):
        candidates = [k for k in relation.parts if not self.cells[k].suppressed and self.cells[k].nonzero]
        hidden = [k for k in candidates if not self.cells[k].published]
        if hidden:
            return hidden[0]
        if candidates:
            return min(candidates, key=lambda k: (abs(self.cells[k].value), str(k)))
        return relation.total

    def _audit(self, relations: list[Relation]) -> bool:
        """Withhold more while some suppressed cell is still determined by the published cells."""
        determined = determined_unknowns(self.cells, relations)
        if not determined:
            return False
        key = sorted(determined, key=str)[0]
        for relation in relations:
            if key == relation.total or key in relation.parts:
                others = [k for k in (relation.total, *relation.parts) if k != key]
                open_ = [k for k in others if not self.cells[k].suppressed and self.cells[k].nonzero]
                if open_:
                    return self._withhold(min(open_, key=lambda k: (self.cells[k].published, abs(self.cells[k].value))))
        raise AssertionError(f"cannot protect {key}")  # every relation of a determined cell has an open member

    def _derived(self) -> None:
        changed = True
        while changed:
            changed = False
            for cell in self.cells.values():
                if not cell.suppressed and any(self.cells[d].suppressed for d in cell.depends_on if d in self.cells):
                    cell.status = WITHHELD
                    changed = True


def determined_unknowns(cells: dict[Hashable, Cell], relations: Iterable[Relation]) -> set:
    """Suppressed cells whose value follows from the published ones through the sums (exact linear algebra).

    A cell is determined when its unit vector lies in the row space of the sums restricted to the unknowns; in
    reduced row echelon form that is exactly when some row has a single non-zero entry, in its column.
    """
    unknowns = sorted({k for r in relations for k in (r.total, *r.parts) if cells[k].suppressed}, key=str)
    if not unknowns:
        return set()
    column = {k: i for i, k in enumerate(unknowns)}
    rows = []
    for relation in relations:
        row = [Fraction(0)] * len(unknowns)
        for key, sign in ((relation.total, 1), *((p, -1) for p in relation.parts)):
            if key in column:
                row[column[key]] += sign
        if any(row):
            rows.append(row)
    reduced = _rref(rows)
    found = set()
    for row in reduced:
        nonzero = [i for i, v in enumerate(row) if v]
        if len(nonzero) == 1:
            found.add(unknowns[nonzero[0]])
    return found


def _rref(rows: list[list[Fraction]]) -> list[list[Fraction]]:
    rows = [r[:] for r in rows]
    pivot_row = 0
    width = len(rows[0]) if rows else 0
    for col in range(width):
        pivot = next((i for i in range(pivot_row, len(rows)) if rows[i][col]), None)
        if pivot is None:
            continue
        rows[pivot_row], rows[pivot] = rows[pivot], rows[pivot_row]
        lead = rows[pivot_row][col]
        rows[pivot_row] = [v / lead for v in rows[pivot_row]]
        for i in range(len(rows)):
            if i != pivot_row and rows[i][col]:
                factor = rows[i][col]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[pivot_row], strict=True)]
        pivot_row += 1
    return rows[:pivot_row]


def suppress(cells: dict[Hashable, Cell], relations: Iterable[Relation]) -> dict[Hashable, Cell]:
    return Suppression(cells, list(relations)).run()
