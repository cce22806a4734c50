"""Recorded sentences: what the system writes into a record in words, kept so that each reader reads it in theirs.

A `Said` is a msgid (marked at the call site with `gettext_noop`, so `make messages` extracts it) and its params.
A record stores it twice: the English rendering in its text column (for the admin, CSV exports, search; rows
written before this existed have only that) and the sentence itself as JSON beside it, rendered when shown in the
reader's language by `shown`. Free text typed by a person is stored as typed and has no JSON.

A param is plain text or a number (shown as is), a `Choice` (a choice's label, translated when shown), a `Day`
(a date in the reader's format), a `Size` (bytes, in the reader's units) or another `Said`. A `Choice` alone can
be recorded too (a decision's published reason).
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import formats, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext


def said_column(help_text: str = "A system sentence (core/recorded.py).") -> models.JSONField:
    """The JSON column beside a text column that a recorded sentence fills (`columns` writes both)."""
    return models.JSONField(null=True, blank=True, editable=False, help_text=help_text)


class Words:
    """Something recorded in words: shown in the active language, stored as JSON, kept in English as text."""

    def text(self) -> str:
        raise NotImplementedError

    def to_json(self) -> dict:
        raise NotImplementedError

    def english(self) -> str:
        """In the site's language: what the record's text column keeps."""
        with translation.override(settings.LANGUAGE_CODE):
            return self.text()

    def __str__(self) -> str:
        return self.text()


class Choice(Words):
    """The label of `value` in `choices` (a TextChoices), stored as the code and the choices' dotted path so the
    label is looked up in the reader's language; `lower` for a label inside a sentence."""

    def __init__(self, choices: type | str, value: str, *, lower: bool = False):
        path = choices if isinstance(choices, str) else f"{choices.__module__}.{choices.__qualname__}"
        self.path, self.value, self.lower = path, str(value), lower

    def text(self) -> str:
        label = str(_resolve(self.path)(self.value).label)
        return label.lower() if self.lower else label

    def to_json(self) -> dict:
        return {"choice": self.path, "value": self.value, "lower": self.lower}


class Day(Words):
    """A date, shown in the reader's date format."""

    def __init__(self, day: dt.date):
        self.day = day

    def text(self) -> str:
        return formats.date_format(self.day, "DATE_FORMAT")

    def to_json(self) -> dict:
        return {"day": self.day.isoformat()}


class Size(Words):
    """A number of bytes, shown in the reader's units (1.4 MB, 1,4 Mio)."""

    def __init__(self, size: int):
        self.size = int(size)

    def text(self) -> str:
        return filesizeformat(self.size).replace("\xa0", " ")

    def to_json(self) -> dict:
        return {"bytes": self.size}


class Said(Words):
    """A sentence: `Said(gettext_noop("Review started (%(step)s)."), step=step.name)`."""

    def __init__(self, msgid: str, /, **params: Any):
        self.msgid, self.params = msgid, params

    def text(self) -> str:
        if not self.params:
            return gettext(self.msgid)
        return gettext(self.msgid) % {name: _param_text(value) for name, value in self.params.items()}

    def to_json(self) -> dict:
        return {"msgid": self.msgid, "params": {name: _to_json(value) for name, value in self.params.items()}}


def stored(value: Words | str, *, limit: int | None = None) -> tuple[str, dict | None]:
    """The text column's value (English, cut to `limit`) and the JSON column's (None for a person's words)."""
    if isinstance(value, Words):
        return value.english()[:limit], value.to_json()
    return str(value or "")[:limit], None


def columns(name: str, value: Words | str, *, limit: int | None = None) -> dict:
    """The two columns of a recorded value, for a create() or an update: `name` and `name_said`."""
    text, said = stored(value, limit=limit)
    return {name: text, f"{name}_said": said}


def recalled(text: str, data: dict | None) -> Words | str:
    """A stored value as a param of another sentence (a reversal quotes the line it reverses)."""
    return _from_json(data) if data else text


def shown(text: str, data: dict | None) -> str:
    """A stored value in the active language; the stored text when there is none (a person's words, older rows)
    or it no longer reads (a choice since renamed)."""
    if not data:
        return text
    try:
        return _param_text(_from_json(data))
    except (KeyError, TypeError, ValueError, ArithmeticError, ImportError, AttributeError):
        return text


def _resolve(path: str):
    """A class by its dotted path, nested classes included (programs.models.compensation.TimeEntry.Category)."""
    try:
        return import_string(path)
    except ImportError:
        owner, _dot, name = path.rpartition(".")
        if not owner:
            raise
        return getattr(_resolve(owner), name)


def _param_text(value):
    """Words as text; numbers stay numbers, for the msgid's own format (%(seconds).1f)."""
    if isinstance(value, Words):
        return value.text()
    return value if isinstance(value, int | float | Decimal) else str(value)


def _to_json(value):
    if isinstance(value, Words):
        return value.to_json()
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    return value if isinstance(value, int | float | str) and not isinstance(value, bool) else str(value)


def _from_json(value):
    if not isinstance(value, dict):
        return value
    if "msgid" in value:
        return Said(value["msgid"], **{name: _from_json(param) for name, param in value.get("params", {}).items()})
    if "choice" in value:
        return Choice(value["choice"], value["value"], lower=bool(value.get("lower")))
    if "decimal" in value:
        return Decimal(value["decimal"])
    if "bytes" in value:
        return Size(value["bytes"])
    return Day(dt.date.fromisoformat(value["day"]))
