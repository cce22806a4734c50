"""Program staff run their program from the Django admin: one base class scopes every row to the programs they
staff, and the "Program staff" group's model permissions decide which records and actions exist."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from programs.admin.base import ProgramScopedAdmin
from programs.models import ProgramRole, RateCard, TimeEntry
from programs.services.compensation import timeentry_log
from programs.services.roles import PROGRAM_STAFF_GROUP, program_role_grant, program_role_revoke
from studio.models import GenerationModel
from submissions.models import ApiKey, BugReport, ReasonCode, Video
from submissions.services.api_keys import api_key_create
from tests.access_table import ADMIN_REFUSED
from tests.conftest import enrol, file_report, make_program, make_rate_card, make_user, migration_with_state
from tests.video_helpers import clip, make_video

pytestmark = pytest.mark.django_db

SCOPED = {
    model: model_admin
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, ProgramScopedAdmin)
}
MIGRATION = ("submissions", "0005_program_staff_permissions")
MOVED_ON = {"view_transparencysnapshot"}  # to transparency.0001 (tests/test_transparency_move.py)


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def change(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def program_rows(program, artist, *, hue: int) -> SimpleNamespace:
    """One row of each representative model in `program`, made through the services where there is one."""
    return SimpleNamespace(
        rate_card=make_rate_card(program),
        entry=timeentry_log(
            user=artist,
            program=program,
            worked_on=timezone.localdate() - dt.timedelta(days=1),
            minutes=90,
            category="testing",
        ),
        video=make_video(artist, program, data=clip(hue=hue)),
        report=file_report(artist, program, title=f"Glitch in {program.name}"),
        reason_code=ReasonCode.objects.create(program=program, code="1.1", title="Consent", explanation="Why."),
        key=api_key_create(program=program, name=f"{program.name} farm", actor=artist)[0],
    )


@pytest.fixture
def world(program, artist):
    other = make_program(slug="other")
    other_artist = make_user("elsewhere@example.com", display_name="Elle Elsewhere")
    enrol(other_artist, other)
    return SimpleNamespace(
        a=program, b=other, mine=program_rows(program, artist, hue=0), theirs=program_rows(other, other_artist, hue=200)
    )


def test_every_program_and_submissions_admin_uses_the_one_base_class():
    apps = {"programs", "submissions", "transparency", "studio", "calls"}
    # The studio's generation models are shared by every program (superusers add them; staff only view them).
    registered = {m for m in admin.site._registry if m._meta.app_label in apps} - {GenerationModel}
    assert registered == set(SCOPED)
    assert {RateCard, TimeEntry, Video, BugReport, ReasonCode, ApiKey} <= set(SCOPED)


def test_the_admin_index_lists_both_apps_for_program_staff(client, staff):
    assert not staff.is_superuser and staff.is_staff
    client.force_login(staff)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    apps = {app["app_label"]: {m["object_name"] for m in app["models"]} for app in response.context["app_list"]}
    assert {"RateCard", "LedgerLine", "TimeEntry", "PayoutRun"} <= apps["programs"]
    assert {"TransparencySnapshot"} <= apps["transparency"]
    assert {"Video", "ReviewPolicy", "ReasonCode", "ApiKey", "BugReport", "Feedback"} <= apps["submissions"]


@pytest.mark.parametrize("model", list(SCOPED), ids=lambda m: m._meta.label_lower)
def test_program_staff_open_every_scoped_change_list_and_see_only_their_program(client, staff, world, model):
    client.force_login(staff)
    response = client.get(changelist(model))
    assert response.status_code == 200
    listed = response.context["cl"].queryset
    assert not listed.exclude(**{SCOPED[model].program_path: world.a.pk}).exists()


@pytest.mark.parametrize("name", ["rate_card", "entry", "video", "report", "reason_code"])
def test_rows_of_another_program_are_neither_listed_nor_opened(client, staff, world, name):
    mine, theirs = getattr(world.mine, name), getattr(world.theirs, name)
    client.force_login(staff)
    listed = client.get(changelist(type(mine))).context["cl"].queryset
    assert mine in listed and theirs not in listed
    assert client.get(change(mine)).status_code == 200
    response = client.get(change(theirs))
    assert response.status_code == 302 and response.url == reverse("admin:index")  # the admin's "does not exist"
    assert client.post(change(theirs), {}).status_code == 302


def test_the_ledger_stays_append_only_for_program_staff(staff):
    assert staff.has_perm("programs.view_ledgerline") and staff.has_perm("programs.add_ledgerline")
    assert not staff.has_perm("programs.change_ledgerline") and not staff.has_perm("programs.delete_ledgerline")
    assert staff.has_perm("programs.change_timeentry") and staff.has_perm("submissions.change_apikey")
    assert not staff.has_perm("submissions.delete_reasoncode") and not staff.has_perm("submissions.change_video")


def test_program_staff_approve_hours_with_the_admin_action_in_their_program_only(client, staff, world):
    client.force_login(staff)
    assert b"approve_entries" in client.get(changelist(TimeEntry)).content
    selected = [world.mine.entry.pk, world.theirs.entry.pk]
    response = client.post(changelist(TimeEntry), {"action": "approve_entries", "_selected_action": selected})
    assert response.status_code == 302
    assert TimeEntry.objects.get(pk=world.mine.entry.pk).status == TimeEntry.Status.APPROVED
    assert TimeEntry.objects.get(pk=world.theirs.entry.pk).status == TimeEntry.Status.PENDING
    assert world.mine.entry.events.last().actor == staff


def test_program_staff_revoke_api_keys_with_the_admin_action_in_their_program_only(client, staff, world):
    client.force_login(staff)
    selected = [world.mine.key.pk, world.theirs.key.pk]
    response = client.post(changelist(ApiKey), {"action": "revoke", "_selected_action": selected}, follow=True)
    assert "Revoked 1 key." in response.content.decode()
    assert ApiKey.objects.get(pk=world.mine.key.pk).revoked_by == staff
    assert ApiKey.objects.get(pk=world.theirs.key.pk).revoked_at is None


def test_a_reviewer_who_is_not_staff_gets_no_admin(client, reviewer, world):
    assert not reviewer.is_staff
    client.force_login(reviewer)
    assert client.get(reverse("admin:index"), follow=True).status_code in ADMIN_REFUSED
    for model in (RateCard, Video, ReasonCode):
        assert client.get(changelist(model), follow=True).status_code in ADMIN_REFUSED


def test_revoking_the_staff_role_takes_the_admin_away(client, staff, world):
    client.force_login(staff)
    assert client.get(changelist(Video)).status_code == 200
    program_role_revoke(role=ProgramRole.objects.get(user=staff))
    staff.refresh_from_db()
    assert not staff.is_staff and not staff.groups.exists()
    assert client.get(reverse("admin:index"), follow=True).status_code in ADMIN_REFUSED
    for model in SCOPED:
        assert client.get(changelist(model), follow=True).status_code in ADMIN_REFUSED, model


def test_revoking_keeps_the_admin_for_someone_with_other_rights(program, superuser):
    program_role_grant(user=superuser, program=program, role=ProgramRole.Role.STAFF)
    program_role_revoke(role=ProgramRole.objects.get(user=superuser))
    superuser.refresh_from_db()
    assert superuser.is_staff and not superuser.groups.exists()


def test_the_permissions_migration_reverses_cleanly():
    module, state_apps = migration_with_state(*MIGRATION)
    group = Group.objects.get(name=PROGRAM_STAFF_GROUP)
    granted = set(group.permissions.values_list("codename", flat=True))
    added = {
        f"{action}_{model}"
        for models in module.PERMISSIONS.values()
        for model, actions in models.items()
        for action in actions
    } - MOVED_ON  # their models, and the grants with them, belong to a later app's migration now
    assert added <= granted and "change_ledgerline" not in granted

    module.take_back(state_apps, None)
    left = set(group.permissions.values_list("codename", flat=True))
    assert left == granted - added and {"view_enrolment", "change_application"} <= left  # programs.0005 stays

    module.grant(state_apps, None)
    assert set(group.permissions.values_list("codename", flat=True)) == granted
