"""The one way a status changes.

A stateful model declares, beside its `Status`:
- `MOVES`: for each source state, the states it may move to (`NEW`, the empty string, is a row that does not
  exist yet: its targets are the states a row may start in);
- optionally `MOVE_REFUSALS`: for a source state, the sentence that explains why nothing (or not this) follows;
- `history_row(**fields)`: the unsaved history row of a move (a `core.history.HistoryEvent`), or None for the few
  records whose own timestamps are their history (they say so there).

`move` re-reads the status under a row lock, checks the map, writes the status (with the caller's other changed
fields) and exactly one history row, in one transaction. `start` records the first history row of a row created in
its default state; `initial` builds an unsaved row in another initial state; `note` records a step that keeps the
status. A `reason` written by the system is a `core.recorded.Said` (or `Choice`), so each reader reads it in
their language; a person's words are a plain string. Nothing else in the code base writes a status:
tests/test_lifecycle_rule.py fails on any other assignment.
"""

from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import TransitionRefused
from core.recorded import Words, columns

NEW = ""


def allowed(model: type[models.Model], source: str, target: str) -> bool:
    return target in model.MOVES.get(source, ())


def label(model: type[models.Model], value: str) -> str:
    return str(model.Status(value).label) if value else _("new")


def refusal_message(model: type[models.Model], source: str, target: str) -> str:
    """Why `source` cannot become `target`, in the states' labels (never their codes)."""
    explained = getattr(model, "MOVE_REFUSALS", {}).get(source)
    if explained:
        return str(explained)
    return _("This %(thing)s is %(source)s, so it cannot become %(target)s.") % {
        "thing": model._meta.verbose_name,
        "source": label(model, source).lower(),
        "target": label(model, target).lower(),
    }


def check(
    model: type[models.Model], source: str, target: str, *, refusal: type[TransitionRefused] = TransitionRefused
) -> None:
    """Refuse now a move the map does not allow (for services that check more before moving)."""
    if not allowed(model, source, target):
        raise refusal(refusal_message(model, source, target))


def move[Row: models.Model](
    row: Row,
    to: str,
    *,
    actor=None,
    reason: Words | str = "",
    changes: dict[str, Any] | None = None,
    history: dict[str, Any] | None = None,
    when: dict[str, Any] | None = None,
    refusal: type[TransitionRefused] = TransitionRefused,
) -> Row | None:
    """Move `row` to `to`, with `changes` (other fields written with it) and `history` (the event's extras).

    The status is re-read under a lock, so a stale copy in memory never overwrites a newer state: a move the map
    does not allow from the state found raises `refusal`. With `when` (conditions such as a worker's claim), a
    row that no longer matches them is left alone and None is returned: compare-and-set for claimed work.
    `row` itself is updated in memory and returned.
    """
    model = type(row)
    with transaction.atomic():
        current = model._default_manager.select_for_update().filter(pk=row.pk, **(when or {}))
        source = current.values_list("status", flat=True).first()
        if source is None:
            if when is None:
                raise model.DoesNotExist(f"{model.__name__} #{row.pk} does not exist.")
            return None
        check(model, source, to, refusal=refusal)
        fields = {"status": to, **(changes or {})}
        if any(f.name == "status_changed_at" for f in model._meta.concrete_fields):
            fields.setdefault("status_changed_at", timezone.now())
        for name, value in fields.items():
            setattr(row, name, value)
        row.save(update_fields=list(fields))
        _record(row, source, to, actor=actor, reason=reason, history=history)
    return row


def start[Row: models.Model](
    row: Row, *, actor=None, reason: Words | str = "", history: dict[str, Any] | None = None
) -> Row:
    """The first history row of `row`, just created in its default state (which the map must allow to start)."""
    check(type(row), NEW, row.status)
    _record(row, NEW, row.status, actor=actor, reason=reason, history=history)
    return row


def initial(model: type[models.Model], status: str, **fields: Any) -> models.Model:
    """An unsaved row in `status` (for bulk_create); the caller writes its history (as `start` would)."""
    check(model, NEW, status)
    return model(status=status, **fields)


def note[Row: models.Model](
    row: Row, *, actor=None, reason: Words | str = "", history: dict[str, Any] | None = None
) -> Row:
    """A history row for a step that leaves the status as it is (a review step approved, a new version linked)."""
    _record(row, row.status, row.status, actor=actor, reason=reason, history=history)
    return row


def _record(row: models.Model, source: str, target: str, *, actor, reason: Words | str, history: dict | None) -> None:
    fields = {**columns("reason", reason), **(history or {})}
    event = row.history_row(from_status=source, to_status=target, actor=actor, **fields)
    if event is not None:
        event.save()
