"""Applying to a program and staff deciding: accept into a cohort, waitlist, decline; every refusal."""

import pytest
from django.core import mail
from django.urls import reverse

from programs.errors import ApplicationRefused, CohortFull, TransitionRefused
from programs.models import Application, Cohort, Enrolment, Invitation, Program, ScreeningQuestion
from programs.services import applications
from tests.conftest import enrol, make_application, make_program, make_user

pytestmark = pytest.mark.django_db
A = Application.Status


@pytest.fixture
def applicant(db):
    return make_user("applicant@example.com", display_name="Alex Applicant")


@pytest.fixture
def questions(program):
    return [
        ScreeningQuestion.objects.create(program=program, position=1, prompt="Your tools?", kind="text"),
        ScreeningQuestion.objects.create(
            program=program, position=2, prompt="Hours a week?", kind="choice", choices="1-5\n5-10"
        ),
        ScreeningQuestion.objects.create(program=program, position=3, prompt="Best piece?", kind="url"),
    ]


def form_data(**overrides) -> dict:
    data = {
        "portfolio_links": "https://example.com/reel\nhttps://vimeo.example/me",
        "statement": "I make short animated films and want to test character consistency in long takes.",
    }
    return {**data, **overrides}


def submit(client, program, data):
    return client.post(reverse("programs:apply_submit", args=[program.slug]), data)


def test_an_artist_applies_with_links_a_statement_and_the_screening_answers(client, program, applicant, questions):
    client.force_login(applicant)
    page = client.get(reverse("programs:apply", args=[program.slug]))
    assert page.status_code == 200
    assert b"Your tools?" in page.content and b"Hours a week?" in page.content
    tools, hours, best = questions
    data = form_data(**{f"q_{tools.pk}": "Blender", f"q_{hours.pk}": "5-10", f"q_{best.pk}": "https://example.com/x"})

    response = submit(client, program, data)

    assert response.status_code == 302 and response["Location"] == reverse("programs:application", args=[program.slug])
    application = Application.objects.get(user=applicant, program=program)
    assert application.status == A.SUBMITTED
    assert application.portfolio_links == ["https://example.com/reel", "https://vimeo.example/me"]
    assert [a["answer"] for a in application.answers] == ["Blender", "5-10", "https://example.com/x"]
    assert application.answers[1]["prompt"] == "Hours a week?"  # a snapshot of the question as asked
    assert list(application.events.values_list("from_status", "to_status")) == [("", A.SUBMITTED)]
    status_page = client.get(response["Location"])
    assert b"Submitted" in status_page.content


def test_it_refuses_a_choice_that_is_not_offered_and_a_missing_required_answer(client, program, applicant, questions):
    client.force_login(applicant)
    tools, hours, best = questions
    response = submit(client, program, form_data(**{f"q_{hours.pk}": "100", f"q_{best.pk}": "not a url"}))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {f"q_{tools.pk}", f"q_{hours.pk}", f"q_{best.pk}"}
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("links", "message"),
    [
        ("", "This field is required."),
        ("ftp://example.com/file", "is not a web address"),
        ("\n".join(f"https://example.com/{i}" for i in range(6)), "at most 5 links"),
    ],
)
def test_it_refuses_bad_portfolio_links_and_keeps_what_was_typed(client, program, applicant, links, message):
    client.force_login(applicant)
    data = form_data(portfolio_links=links)
    response = submit(client, program, data)
    assert response.status_code == 400
    assert message in str(response.context["form"].errors["portfolio_links"])
    assert data["statement"].encode() in response.content  # nothing typed is lost
    assert not Application.objects.exists()


def test_it_refuses_a_statement_that_is_too_short(client, program, applicant):
    client.force_login(applicant)
    response = submit(client, program, form_data(statement="Hi"))
    assert response.status_code == 400
    assert "statement" in response.context["form"].errors


def test_applying_twice_is_refused_with_a_clear_message_and_changes_nothing(client, program, applicant):
    client.force_login(applicant)
    submit(client, program, form_data())
    response = submit(
        client, program, form_data(statement="A second statement, long enough to pass the minimum length check.")
    )
    assert response.status_code == 302
    assert Application.objects.filter(user=applicant).count() == 1
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("already applied" in m for m in messages)
    assert Application.objects.get(user=applicant).statement.startswith("I make short animated films")


def test_the_apply_page_sends_someone_who_applied_to_their_application(client, program, applicant):
    make_application(applicant, program)
    client.force_login(applicant)
    response = client.get(reverse("programs:apply", args=[program.slug]))
    assert response["Location"] == reverse("programs:application", args=[program.slug])


@pytest.mark.parametrize("status", [Program.Status.RUNNING, Program.Status.ENDED])
def test_applying_to_a_closed_program_is_refused(client, applicant, status):
    closed = make_program(slug="closed", status=status)
    client.force_login(applicant)
    assert client.get(reverse("programs:apply", args=["closed"]))["Location"] == reverse(
        "programs:detail", args=["closed"]
    )
    response = submit(client, closed, form_data())
    assert response.status_code == 302
    assert any("not accepting applications" in str(m) for m in response.wsgi_request._messages)
    assert not Application.objects.exists()


def test_a_draft_program_cannot_be_applied_to_and_does_not_leak(client, applicant):
    make_program(slug="secret", status=Program.Status.DRAFT)
    client.force_login(applicant)
    assert client.get(reverse("programs:apply", args=["secret"])).status_code == 404
    assert client.post(reverse("programs:apply_submit", args=["secret"]), form_data()).status_code == 404


def test_an_enrolled_artist_cannot_apply_again(program, artist):
    with pytest.raises(ApplicationRefused, match="already active"):
        applications.application_submit(
            program=program, user=artist, portfolio_links=["https://a.example"], statement="x" * 60, answers=[]
        )


def test_someone_who_left_may_not_apply_a_second_time_but_staff_can_invite_them(program, artist, staff):
    make_application(artist, program, status=A.ACCEPTED)
    Enrolment.objects.filter(user=artist).update(status=Enrolment.Status.LEFT)
    with pytest.raises(ApplicationRefused, match="already applied"):
        applications.application_submit(
            program=program, user=artist, portfolio_links=["https://a.example"], statement="x" * 60, answers=[]
        )


# --- Staff decisions ------------------------------------------------------------------------------
def test_accepting_holds_a_seat_creates_an_invited_enrolment_and_emails_an_invitation(
    program, applicant, staff, django_capture_on_commit_callbacks
):
    application = make_application(applicant, program)
    cohort = program.cohorts.first()
    with django_capture_on_commit_callbacks(execute=True):
        applications.application_accept(application=application, cohort=cohort, actor=staff, reason="Great reel.")

    application.refresh_from_db()
    assert (application.status, application.cohort, application.decided_by) == (A.ACCEPTED, cohort, staff)
    assert application.decision_reason == "Great reel."
    assert list(application.events.values_list("from_status", "to_status", "actor")) == [
        ("", A.SUBMITTED, applicant.pk),
        (A.SUBMITTED, A.ACCEPTED, staff.pk),
    ]
    enrolment = Enrolment.objects.get(user=applicant, program=program)
    assert enrolment.status == Enrolment.Status.INVITED and enrolment.cohort == cohort
    invitation = Invitation.objects.get(application=application)
    assert (invitation.email, invitation.enrolment, invitation.status) == (applicant.email, enrolment, "pending")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [applicant.email]
    assert reverse("programs:invitation", args=[invitation.token]) in mail.outbox[0].body


def test_accepting_beyond_cohort_capacity_is_refused_and_changes_nothing(program, applicant, staff):
    tiny = Cohort.objects.create(program=program, name="Tiny", capacity=1)
    enrol(make_user("seated@example.com"), program, cohort=tiny)
    application = make_application(applicant, program)
    with pytest.raises(CohortFull, match="Tiny is full"):
        applications.application_accept(application=application, cohort=tiny, actor=staff)
    application.refresh_from_db()
    assert application.status == A.SUBMITTED and application.events.count() == 1
    assert not Invitation.objects.exists()
    assert not Enrolment.objects.filter(user=applicant).exists()


def test_pending_invitations_hold_seats_but_expired_ones_give_them_back(program, applicant, staff):
    tiny = Cohort.objects.create(program=program, name="Tiny", capacity=1)
    first = make_application(make_user("first@example.com"), program)
    applications.application_accept(application=first, cohort=tiny, actor=staff)
    second = make_application(applicant, program)
    with pytest.raises(CohortFull):
        applications.application_accept(application=second, cohort=tiny, actor=staff)
    Invitation.objects.filter(application=first).update(expires_at="2000-01-01T00:00Z")
    applications.application_accept(application=second, cohort=tiny, actor=staff)
    assert Application.objects.get(pk=second.pk).status == A.ACCEPTED


def test_a_cohort_of_another_program_is_refused(program, applicant, staff):
    other = make_program(slug="other")
    foreign = Cohort.objects.create(program=other, name="Elsewhere", capacity=5)
    application = make_application(applicant, program)
    with pytest.raises(TransitionRefused, match="another program"):
        applications.application_accept(application=application, cohort=foreign, actor=staff)


def test_waitlisting_then_accepting_is_allowed_and_recorded(
    program, applicant, staff, django_capture_on_commit_callbacks
):
    application = make_application(applicant, program)
    with django_capture_on_commit_callbacks(execute=True):
        applications.application_waitlist(application=application, actor=staff, reason="Full this season.")
    assert "waiting list" in mail.outbox[0].body and "Full this season." in mail.outbox[0].body
    applications.application_accept(application=application, cohort=program.cohorts.first(), actor=staff)
    assert list(application.events.values_list("to_status", flat=True)) == [A.SUBMITTED, A.WAITLISTED, A.ACCEPTED]


def test_declining_needs_a_reason_which_the_applicant_reads(
    client, program, applicant, staff, django_capture_on_commit_callbacks
):
    application = make_application(applicant, program)
    with pytest.raises(TransitionRefused, match="reason"):
        applications.application_decline(application=application, actor=staff, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        applications.application_decline(application=application, actor=staff, reason="We need more hours a week.")
    assert "declined" in mail.outbox[0].subject
    client.force_login(applicant)
    page = client.get(reverse("programs:application", args=[program.slug]))
    assert b"Declined" in page.content and b"We need more hours a week." in page.content


@pytest.mark.parametrize("final", [A.ACCEPTED, A.DECLINED, A.WITHDRAWN])
def test_a_decided_application_cannot_be_decided_again(program, applicant, staff, final):
    application = make_application(applicant, program, status=final)
    with pytest.raises(TransitionRefused, match=f"is {final}"):
        applications.application_waitlist(application=application, actor=staff)
    with pytest.raises(TransitionRefused):
        applications.application_decline(application=application, actor=staff, reason="No.")
    assert Application.objects.get(pk=application.pk).status == final


def test_the_applicant_withdraws_from_their_page(client, program, applicant):
    make_application(applicant, program, status=A.WAITLISTED)
    client.force_login(applicant)
    response = client.post(reverse("programs:application_withdraw", args=[program.slug]))
    assert response.status_code == 302
    assert Application.objects.get(user=applicant).status == A.WITHDRAWN
    again = client.post(reverse("programs:application_withdraw", args=[program.slug]))
    assert any("cannot become withdrawn" in str(m) for m in again.wsgi_request._messages)


def test_only_the_applicant_can_withdraw(program, applicant, staff):
    application = make_application(applicant, program)
    with pytest.raises(TransitionRefused, match="Only the applicant"):
        applications.application_withdraw(application=application, actor=staff)


def test_withdrawing_without_an_application_is_404(client, program, applicant):
    client.force_login(applicant)
    assert client.post(reverse("programs:application_withdraw", args=[program.slug])).status_code == 404
