"""The Django admin for reports: scoped to the staff member's programs, the same filters and sorting as the
triage page, and bulk decisions that go through the services (with a note to the reporter)."""

import pytest
from django.urls import reverse

from programs.models import Credit, ProgramRole
from programs.services.roles import program_role_grant
from submissions.models import BugReport, Feedback, ReportSettings
from submissions.services import reports as services
from tests.conftest import enrol, file_report, make_program, make_rate_card, make_user, report_in

S = BugReport.Status
pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:submissions_bugreport_changelist")


def listed(response) -> set[str]:
    return {r.title for r in response.context["cl"].result_list}


@pytest.fixture
def reports(artist, other_artist, staff, program):
    elsewhere = make_program(slug="elsewhere")
    enrol(other_artist, elsewhere)
    return {
        "new": file_report(artist, program, title="New one"),
        "confirmed": report_in(S.CONFIRMED, other_artist, program, staff, title="Confirmed one"),
        "draft": file_report(artist, program, submit=False, title="A draft"),
        "foreign": file_report(other_artist, elsewhere, title="Another program's"),
    }


def test_staff_see_submitted_reports_of_their_programs_only(client, staff, reports):
    client.force_login(staff)
    assert listed(client.get(CHANGELIST)) == {"New one", "Confirmed one"}
    foreign = reports["foreign"]
    assert client.get(reverse("admin:submissions_bugreport_change", args=[foreign.pk])).status_code in {302, 403}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status__exact": "confirmed"}, {"Confirmed one"}),
        ({"credited": "no"}, {"New one", "Confirmed one"}),
        ({"age": "7"}, {"New one", "Confirmed one"}),
        ({"age": "old"}, set()),
        ({"artist_severity__exact": "medium"}, {"New one", "Confirmed one"}),
        ({"model_version": "lumen-0.9.2"}, {"New one", "Confirmed one"}),
        ({"q": "Confirmed"}, {"Confirmed one"}),
    ],
)
def test_the_admin_filters_like_the_triage_page(client, staff, reports, query, expected):
    client.force_login(staff)
    assert listed(client.get(CHANGELIST, query)) == expected


@pytest.mark.parametrize("column", ["-6", "8", "-9"])  # severity, me too, submitted
def test_the_admin_sorts_by_severity_me_too_and_age(client, staff, reports, column):
    client.force_login(staff)
    response = client.get(CHANGELIST, {"o": column})
    assert response.status_code == 200 and len(response.context["cl"].result_list) == 2


def test_a_report_is_read_only_in_the_admin(client, staff, reports):
    client.force_login(staff)
    page = client.get(reverse("admin:submissions_bugreport_change", args=[reports["new"].pk])).content.decode()
    assert 'name="_save"' not in page
    assert '<div class="readonly">New one</div>' in page


def test_a_bulk_decision_asks_for_the_note_then_applies_through_the_services(client, staff, reports):
    client.force_login(staff)
    pks = [reports["new"].pk, reports["confirmed"].pk]
    page = client.post(CHANGELIST, {"action": "move_to_triaged", "_selected_action": pks})
    assert page.status_code == 200 and "Note to the reporter" in page.content.decode()
    response = client.post(
        CHANGELIST, {"action": "move_to_triaged", "_selected_action": pks, "apply": "1", "reason": ""}, follow=True
    )
    text = response.content.decode()
    assert f"#{reports['new'].pk}" in text and "cannot become triaged" in text
    assert BugReport.objects.get(pk=reports["new"].pk).status == S.TRIAGED
    assert BugReport.objects.get(pk=reports["confirmed"].pk).status == S.CONFIRMED


def test_a_bulk_close_without_a_note_changes_nothing(client, staff, reports):
    client.force_login(staff)
    services.bug_report_triage(report=reports["new"], actor=staff)
    client.post(
        CHANGELIST,
        {"action": "move_to_not_a_bug", "_selected_action": [reports["new"].pk], "apply": "1", "reason": ""},
    )
    assert BugReport.objects.get(pk=reports["new"].pk).status == S.TRIAGED


def test_a_bulk_duplicate_needs_an_original_from_the_staff_programs(client, staff, reports):
    client.force_login(staff)
    report = services.bug_report_triage(report=reports["new"], actor=staff)
    data = {"action": "move_to_duplicate", "_selected_action": [report.pk], "apply": "1", "reason": "Same"}
    response = client.post(CHANGELIST, {**data, "original": reports["foreign"].pk}, follow=True)
    assert "Give the number of the earlier report" in response.content.decode()
    # The "confirmed" report was filed later than "new", so "new" cannot be its duplicate: the rule holds here too.
    response = client.post(CHANGELIST, {**data, "original": reports["confirmed"].pk}, follow=True)
    assert "was submitted after" in response.content.decode()


def test_accept_for_credit_from_the_admin(client, staff, program, reports):
    make_rate_card(program)
    services.bug_report_set_severity(report=reports["confirmed"], actor=staff, severity="low")
    client.force_login(staff)
    pks = [reports["confirmed"].pk, reports["new"].pk]
    response = client.post(CHANGELIST, {"action": "accept_for_credit", "_selected_action": pks}, follow=True)
    text = response.content.decode()
    assert f"#{reports['confirmed'].pk} accepted for credit." in text
    assert f"#{reports['new'].pk} not accepted" in text
    assert Credit.objects.count() == 1


def test_feedback_decisions_from_the_admin(client, artist, staff, program):
    feedback = services.feedback_submit(author=artist, program=program, kind="idea", body="Loop mode")
    client.force_login(staff)
    client.post(
        reverse("admin:submissions_feedback_changelist"),
        {"action": "feedback_to_planned", "_selected_action": [feedback.pk], "apply": "1", "reason": "In 0.9.4"},
    )
    feedback.refresh_from_db()
    assert feedback.status == Feedback.Status.PLANNED


def test_staff_switch_on_the_shared_list_for_their_own_programs_only(client, staff, program):
    elsewhere = make_program(slug="elsewhere")
    client.force_login(staff)
    add = reverse("admin:submissions_reportsettings_add")
    page = client.get(add).content.decode()
    assert program.name in page and "Elsewhere" not in page
    client.post(add, {"program": elsewhere.pk, "shared_reports_enabled": "on", "credit_duplicates": "on"})
    assert not ReportSettings.objects.filter(program=elsewhere).exists()
    client.post(add, {"program": program.pk, "shared_reports_enabled": "on", "credit_duplicates": "on"})
    assert ReportSettings.for_program(program).shared_reports_enabled


def test_staff_of_another_program_see_nothing_of_this_one(client, reports):
    other = make_user("other-staff@example.com")
    program_role_grant(user=other, program=make_program(slug="third"), role=ProgramRole.Role.STAFF)
    client.force_login(other)
    assert listed(client.get(CHANGELIST)) == set()
