"""Database triggers that keep history tables append-only, for the migrations that create them.

As for the ledger (programs/migrations/0003_append_only_triggers.py), an UPDATE is refused on every database: of
every column but `created_at`, whose time the demo and the test fixtures set back to tell a story over months (who,
what, from, to and why never change). On
PostgreSQL a DELETE is refused too, unless the row's subject goes in the same transaction: a record deleted whole
(a discarded draft, a video removed by an administrator) takes its history with it, but history is never deleted
on its own. That check runs at commit (a deferred constraint trigger), when the subject is known to be gone.
SQLite checks UPDATE only, because Django's test flush empties tables with DELETE there.
"""

from django.db.migrations import RunPython

DATED = "created_at"


def _columns(schema_editor, table: str) -> str:
    """Every column but the time, for `BEFORE UPDATE OF`."""
    with schema_editor.connection.cursor() as cursor:
        description = schema_editor.connection.introspection.get_table_description(cursor, table)
    return ", ".join(column.name for column in description if column.name != DATED)


def _postgresql(table: str, column: str, subject: str, columns: str) -> list[str]:
    """One statement each: psycopg sends a statement with parameters, which may not hold several."""
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_no_update() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{table} is append-only: UPDATE refused'; END;
            $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE OF {columns} ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_no_update()""",
        # Table names come from the migrations, never from input.
        f"""CREATE OR REPLACE FUNCTION {table}_no_delete() RETURNS trigger AS $$
            BEGIN
                IF EXISTS (SELECT 1 FROM {subject} WHERE id = OLD.{column}) THEN
                    RAISE EXCEPTION '{table} is append-only: DELETE refused';
                END IF;
                RETURN NULL;
            END;
            $$ LANGUAGE plpgsql""",  # noqa: S608
        f"""CREATE CONSTRAINT TRIGGER {table}_no_delete AFTER DELETE ON {table}
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {table}_no_delete()""",
    ]


def _create(tables: dict[str, tuple[str, str]]):
    def create(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for table, (column, subject) in tables.items():
            if vendor == "postgresql":
                for statement in _postgresql(table, column, subject, _columns(schema_editor, table)):
                    schema_editor.execute(statement)
            elif vendor == "sqlite":
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_no_update BEFORE UPDATE OF {_columns(schema_editor, table)} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END;"
                )

    return create


def _drop(tables: dict[str, tuple[str, str]]):
    def drop(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for table in tables:
            if vendor == "postgresql":
                for kind in ("no_update", "no_delete"):
                    schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_{kind} ON {table};")
                    schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_{kind}();")
            elif vendor == "sqlite":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")

    return drop


def refuse_changes(tables: dict[str, tuple[str, str]]) -> RunPython:
    """`tables` maps each history table to (its subject's column, the subject's table)."""
    return RunPython(_create(tables), _drop(tables))
