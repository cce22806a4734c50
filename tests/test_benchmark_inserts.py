"""The benchmarks seed PostgreSQL with raw INSERTs for speed; a column made NOT NULL later must not break them
unnoticed (two did, between the issue that wrote them and the next run). Checked against the models, on any
database, so the plain `make test` catches it."""

import re
from pathlib import Path

from django.apps import apps
from django.db import models

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
INSERT = re.compile(r"INSERT INTO (\w+) \(([^)]*)\)")


def required_columns(model) -> set[str]:
    """Columns a raw INSERT must name: NOT NULL, without a database default (Python defaults do not apply)."""
    return {
        field.column
        for field in model._meta.concrete_fields
        if not field.null and not field.primary_key and field.db_default is models.NOT_PROVIDED
    }


def test_every_raw_insert_of_the_benchmarks_names_every_required_column():
    tables = {model._meta.db_table: model for model in apps.get_models()}
    inserts = [
        (path.name, match.group(1), {column.strip() for column in match.group(2).split(",")})
        for path in sorted(BENCHMARKS.glob("*.py"))
        for match in INSERT.finditer(path.read_text())
    ]
    assert len(inserts) >= 10, "the benchmarks' seeding INSERTs were not found"
    missing = [
        f"{name}: {table} lacks {sorted(required_columns(tables[table]) - columns)}"
        for name, table, columns in inserts
        if required_columns(tables[table]) - columns
    ]
    assert missing == []
