"""The staff application review page: filters, scope to the programs a person staffs, decisions."""

import pytest
from django.urls import reverse

from programs.models import Application, Invitation, ProgramRole
from tests.conftest import make_application, make_program, make_user

pytestmark = pytest.mark.django_db
A = Application.Status


@pytest.fixture
def applications(program):
    other = make_program(slug="other")
    return {
        "sub": make_application(make_user("sub@example.com", display_name="Sue Submitted"), program),
        "wait": make_application(
            make_user("wait@example.com", display_name="Walt Waiting"), program, status=A.WAITLISTED
        ),
        "elsewhere": make_application(make_user("else@example.com", display_name="Elsa Elsewhere"), other),
    }


def listed(client, query: str = "") -> set[str]:
    response = client.get(reverse("programs:staff_applications") + query)
    assert response.status_code == 200
    return {application.user.email for application in response.context["page"]}


def test_staff_see_only_the_applications_of_their_programs(client, staff, applications):
    client.force_login(staff)
    assert listed(client) == {"sub@example.com", "wait@example.com"}


def test_a_superuser_sees_every_program(client, superuser, applications):
    client.force_login(superuser)
    assert listed(client) == {"sub@example.com", "wait@example.com", "else@example.com"}


def test_filters_by_status_program_and_text(client, program, staff, applications):
    client.force_login(staff)
    assert listed(client, "?status=waitlisted") == {"wait@example.com"}
    assert listed(client, f"?program={program.pk}&q=sue") == {"sub@example.com"}
    assert listed(client, "?q=character") == set()


def test_a_program_the_user_does_not_staff_cannot_be_chosen_as_a_filter(client, staff, applications):
    client.force_login(staff)
    other = applications["elsewhere"].program
    response = client.get(reverse("programs:staff_applications") + f"?program={other.pk}")
    assert "program" in response.context["filters"].errors
    assert "else@example.com" not in {a.user.email for a in response.context["page"]}


def test_staff_of_another_program_get_404_for_an_application_here(client, applications):
    outsider = make_user("outsider@example.com", is_staff=True)
    ProgramRole.objects.create(user=outsider, program=applications["elsewhere"].program, role=ProgramRole.Role.STAFF)
    client.force_login(outsider)
    application = applications["sub"]
    assert client.get(reverse("programs:staff_application", args=[application.pk])).status_code == 404
    decide = reverse("programs:staff_application_decide", args=[application.pk])
    assert client.post(decide, {"decision": "declined", "reason": "No."}).status_code == 404
    assert Application.objects.get(pk=application.pk).status == A.SUBMITTED


def test_staff_accept_into_a_cohort_from_the_page(
    client, program, staff, applications, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    application = applications["sub"]
    page = client.get(reverse("programs:staff_application", args=[application.pk]))
    assert page.status_code == 200 and b"Sue Submitted" in page.content and b"Cohort seats" in page.content
    decide = reverse("programs:staff_application_decide", args=[application.pk])

    missing_cohort = client.post(decide, {"decision": "accepted"})
    assert missing_cohort.status_code == 400 and "cohort" in missing_cohort.context["form"].errors

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(decide, {"decision": "accepted", "cohort": program.cohorts.first().pk})
    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).status == A.ACCEPTED
    assert Invitation.objects.filter(application=application, status="pending").exists()


def test_declining_from_the_page_needs_a_reason(client, staff, applications):
    client.force_login(staff)
    decide = reverse("programs:staff_application_decide", args=[applications["wait"].pk])
    response = client.post(decide, {"decision": "declined", "reason": ""})
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    client.post(decide, {"decision": "declined", "reason": "The season is full."})
    application = Application.objects.get(pk=applications["wait"].pk)
    assert (application.status, application.decision_reason) == (A.DECLINED, "The season is full.")


def test_the_page_reports_a_full_cohort_without_deciding(client, program, staff, applications):
    cohort = program.cohorts.first()
    cohort.capacity = 0
    cohort.save()
    client.force_login(staff)
    decide = reverse("programs:staff_application_decide", args=[applications["sub"].pk])
    response = client.post(decide, {"decision": "accepted", "cohort": cohort.pk})
    assert any("is full" in str(m) for m in response.wsgi_request._messages)
    assert Application.objects.get(pk=applications["sub"].pk).status == A.SUBMITTED


def test_a_draft_programs_staff_pages_do_not_leak_to_outsiders(client, artist):
    make_program(slug="hidden", status="draft")
    client.force_login(artist)
    assert client.get(reverse("programs:staff_invitations", args=["hidden"])).status_code == 404
    assert client.get(reverse("programs:staff_roster", args=["hidden"])).status_code == 404
