"""Writing a person's export as a ZIP: README.txt, a JSON and a CSV file per record kind, agreement texts and
screenshots. Values are written the same way in both formats (see `plain`)."""

import datetime as dt
import io
import json
import shutil
import uuid
import zipfile
from collections.abc import Callable
from decimal import Decimal
from typing import BinaryIO

from django.core.files.storage import default_storage
from django.utils import timezone

from accounts.personal_data.records import FILES, KINDS, LEFT_OUT
from accounts.personal_data.sources import export_sources
from core.csv import SafeWriter
from core.personal_records import ExportFile, Row
from portal.models import User

Progress = Callable[[int, str], None]
CHUNK = 1024 * 1024


def plain(value: object) -> object:
    """One spelling per type: times in UTC ISO 8601, money and measures as exact decimal strings."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def json_document(kind, rows: list[Row], exported_at: dt.datetime) -> bytes:
    document = {
        "kind": kind.name,
        "description": kind.description,
        "exported_at": plain(exported_at),
        "fields": list(kind.fields),
        "records": [{name: plain(value) for name, value in row.items()} for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _csv_cell(value: object) -> object:
    value = plain(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if isinstance(value, dict | list) else value


def csv_document(kind, rows: list[Row]) -> bytes:
    out = io.StringIO()
    writer = SafeWriter(out, lineterminator="\r\n")
    writer.writerow(kind.fields)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row.values()])
    return out.getvalue().encode("utf-8")


def write_archive(user: User, target: BinaryIO, *, progress: Progress) -> dict[str, int]:
    """Write the whole export of `user` into `target`; report progress (percent, stage) before each step.

    Returns the number of records of each kind.
    """
    exported_at = timezone.now()
    steps = len(KINDS) + len(FILES)
    counts: dict[str, int] = {}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        every_kind = (records for source in export_sources() for records in source.records(user))
        for done, records in enumerate(every_kind):
            kind = records.kind
            progress(done * 100 // steps, f"Collecting {kind.name.replace('_', ' ')}")
            rows = records.rows()
            archive.writestr(f"{kind.name}.json", json_document(kind, rows, exported_at))
            archive.writestr(f"{kind.name}.csv", csv_document(kind, rows))
            counts[kind.name] = len(rows)
        for done, file_set in enumerate(FILES, start=len(KINDS)):
            progress(done * 100 // steps, file_set.stage)
            for export_file in file_set.files(user):
                _add_file(archive, export_file)
        archive.writestr("README.txt", readme(user, counts, exported_at).encode("utf-8"))
    return counts


def _add_file(archive: zipfile.ZipFile, export_file: ExportFile) -> None:
    if export_file.content is not None:
        archive.writestr(export_file.path, export_file.content)
        return
    name = export_file.stored_name
    if not name or not default_storage.exists(name):
        return  # listed in its records with an empty file name
    with default_storage.open(name, "rb") as source, archive.open(export_file.path, "w") as out:
        shutil.copyfileobj(source, out, CHUNK)


def records_label(count: int) -> str:
    return f"{count} record" if count == 1 else f"{count} records"


def readme(user: User, counts: dict[str, int], exported_at: dt.datetime) -> str:
    lines = [
        "Your data from Glasshouse",
        "=========================",
        "",
        f"Everything the portal holds about {user.email}, exported on {plain(exported_at)} (UTC).",
        "",
        "Each kind of record is in two files with the same fields: NAME.json (UTF-8; an object with the fields and "
        "the records) and NAME.csv (UTF-8, comma-separated, one header row). Times are UTC in ISO 8601; amounts "
        "and measures are exact decimal strings with their currency in a separate field; lists and objects are "
        "written as JSON inside a CSV cell. In the CSV files, text that a spreadsheet would run as a formula "
        "(starting with = + - or @) is prefixed with an apostrophe; the JSON files hold it unchanged.",
        "",
        "Other people are not named. Where a record says who did something, the `actor` or `author` field is "
        "'you', 'staff' (program staff or a reviewer: reviewers' and staff members' identities are left out, "
        "whether or not the program reviews blind) or 'system' (the portal itself, e.g. a deadline).",
        "",
        "Files",
        "-----",
    ]
    for kind in KINDS:
        lines.append(f"{kind.name}.json, {kind.name}.csv ({records_label(counts.get(kind.name, 0))})")
        lines.append(f"    {kind.description}")
    for file_set in FILES:
        lines += [file_set.pattern, f"    {file_set.description}"]
    lines += [
        "",
        "Not included",
        "------------",
        "- Your video files: download them from each video's page while your account exists.",
        "- Secrets: your password (only a hash is stored), second-factor secrets, session keys, invitation links.",
        "- Other people's records, and records you made in a staff or reviewer role, which are about other people:",
    ]
    lines += [f"  - {label}: {reason}" for label, reason in LEFT_OUT.items()]
    lines += ["", "This file is kept for 24 hours after it was prepared, then deleted.", ""]
    return "\n".join(lines)
