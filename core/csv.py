"""The one way this project writes CSV: every cell a spreadsheet could run as a formula is neutralised.

Spreadsheets treat a cell starting with =, +, -, @, a tab or a carriage return as a formula (CSV injection), so a
name, an email address or a title written by anyone is prefixed with an apostrophe. Numbers stay numbers: a
Decimal or int, or a string that is exactly a decimal number (a negative amount), is written as it is.
"""

import csv
import re
from collections.abc import Iterable

from django.http import HttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def safe_cell(value: object) -> str:
    """`value` as a cell no spreadsheet runs."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text):
        return f"'{text}"
    return text


class SafeWriter:
    """csv.writer, with every cell passed through safe_cell."""

    def __init__(self, target, **options):
        self._writer = csv.writer(target, **options)

    def writerow(self, row: Iterable[object]):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_response(rows: Iterable[Iterable[object]], *, filename: str, inline: bool = False) -> HttpResponse:
    """A CSV download (or, `inline`, a CSV shown in the browser) of `rows`, every cell neutralised."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    SafeWriter(response).writerows(rows)
    return response
