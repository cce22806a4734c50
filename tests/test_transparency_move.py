"""The transparency models moved from programs to their own app without touching their tables: a database with
snapshots and releases under the old state keeps every row (and the snapshots stay immutable) once migrated
forward, and the "Program staff" group keeps its view permission."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from programs.services.roles import PROGRAM_STAFF_GROUP
from tests.conftest import make_program, make_user
from transparency.models import TransparencyRelease, TransparencySnapshot

BEFORE = [("programs", "0009_timeentry_form_token"), ("transparency", None)]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def leaves() -> list:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_move_are_there_after_it():
    program, staff = make_program(), make_user("staff@example.com")
    old_apps = migrate(BEFORE).loader.project_state(BEFORE[0]).apps
    OldSnapshot = old_apps.get_model("programs", "TransparencySnapshot")
    OldRelease = old_apps.get_model("programs", "TransparencyRelease")
    OldSnapshot.objects.create(
        program_id=program.pk, published_on=dt.date(2026, 11, 30), data={"v": 1}, published_by_id=staff.pk
    )
    OldRelease.objects.create(program_id=program.pk, computed_at=timezone.now(), artists_changed=None, data={"v": 2})

    migrate(leaves())

    snapshot = TransparencySnapshot.objects.get()
    assert (snapshot.program, snapshot.published_on, snapshot.data, snapshot.published_by) == (
        program,
        dt.date(2026, 11, 30),
        {"v": 1},
        staff,
    )
    assert TransparencyRelease.objects.get().data == {"v": 2}
    assert TransparencySnapshot._meta.db_table == "programs_transparencysnapshot"
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE programs_transparencysnapshot SET published_on = published_on")  # the trigger refuses


@pytest.mark.django_db(transaction=True)
def test_program_staff_keep_the_snapshot_permission_across_the_move():
    migrate(BEFORE)
    group = Group.objects.get(name=PROGRAM_STAFF_GROUP)
    assert group.permissions.filter(content_type__app_label="programs", codename="view_transparencysnapshot").exists()

    migrate(leaves())

    granted = group.permissions.filter(codename="view_transparencysnapshot")
    assert list(granted.values_list("content_type__app_label", flat=True)) == ["transparency"]
