"""What each app offers for a person's data export and account erasure (accounts runs both).

An app whose models hold records about people has a `personal_data` module with:

- `KINDS`: its record kinds (one file pair of the export each: `<name>.json` and `<name>.csv`);
- `LEFT_OUT`: its models that link to a user but are not exported, each with the reason;
- `FILES`: the files it adds to the export beside the records (agreement texts, screenshots), possibly none;
- `records(user)`: its kinds, bound to `user`, each read when the export reaches it;
- `erase(user, *, reason)`: erases or anonymises its personal data about `user` inside the caller's transaction,
  through its own services, and returns the stored files to delete once that transaction commits.

Other people are never named in an export: an `actor` column says "you", "staff" (program staff or a reviewer,
whoever it was) or "system".
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Model

from core.money import in_minor_units

Row = dict[str, object]
Compute = Callable[[object, object], object]
DELETED_DOMAIN = "deleted.invalid"  # .invalid never resolves (RFC 2606): no mail can reach a placeholder
EVENT = "from_status to_status reason actor created_at"


@dataclass(frozen=True)
class RecordKind:
    """A field is the record's attribute of that name, unless `computed` says how to derive it (from the record
    and the person)."""

    name: str
    model: type[Model]
    description: str
    fields: tuple[str, ...]
    query: Callable[[object], Iterable]
    computed: dict[str, Compute] = field(default_factory=dict)

    def rows(self, user) -> list[Row]:
        return [
            {name: self.computed[name](record, user) if name in self.computed else getattr(record, name)
             for name in self.fields}
            for record in self.query(user)
        ]  # fmt: skip


@dataclass(frozen=True)
class Records:
    """One kind of record of one person, read when `rows()` is called."""

    kind: RecordKind
    user: object

    def rows(self) -> list[Row]:
        return self.kind.rows(self.user)


@dataclass(frozen=True)
class ExportFile:
    """A file of the export: `content` as it is, or the stored file `stored_name` copied (skipped when gone)."""

    path: str
    content: bytes | None = None
    stored_name: str = ""


@dataclass(frozen=True)
class FileSet:
    """Files an app adds to the export: `pattern` and `description` are what README.txt says of them."""

    stage: str
    pattern: str
    description: str
    files: Callable[[object], Iterable[ExportFile]]


def kind(name: str, model: type[Model], description: str, fields: str, query, **computed: Compute) -> RecordKind:
    return RecordKind(name, model, description, tuple(fields.split()), query, computed)


def bound(kinds: Iterable[RecordKind], user) -> tuple[Records, ...]:
    return tuple(Records(each, user) for each in kinds)


def actor(actor_id: int | None, user) -> str:
    """Who did it, without naming anyone else."""
    if actor_id is None:
        return "system"
    return "you" if actor_id == user.pk else "staff"


def by_actor(record, user) -> str:
    return actor(record.actor_id, user)


def by_author(record, user) -> str:
    return actor(record.author_id, user)


def via(path: str, default: object = None) -> Compute:
    """A field read along a path of attributes, e.g. via("program.slug"); `default` where a link is empty."""

    def read(record, _user) -> object:
        value = record
        for name in path.split("."):
            value = getattr(value, name)
            if value is None:
                return default
        return value

    return read


def money(path: str, currency_path: str = "currency") -> Compute:
    """An amount with its currency's own decimals (amounts are stored with three: EUR 100.00, not 100.000)."""
    amount, currency = via(path), via(currency_path)

    def read(record, user) -> object:
        value = amount(record, user)
        return None if value is None else in_minor_units(value, currency(record, user))

    return read


PROGRAM = via("program.slug")
