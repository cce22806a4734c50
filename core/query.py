"""Query-string values read as numbers: only plain ASCII digits that fit a database integer count; anything else
(a 23-digit id, Arabic-Indic or superscript digits, signs, spaces) is treated as absent, never a 500."""

import re

MAX_DB_INT = 2**63 - 1  # PostgreSQL bigint; SQLite's INTEGER has the same range
_DIGITS = re.compile(r"[0-9]{1,19}")


def int_param(value: str | None, *, maximum: int = MAX_DB_INT) -> int | None:
    """The non-negative integer written in `value`, or None when it is not one (or above `maximum`)."""
    if value is None or not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if number <= maximum else None
