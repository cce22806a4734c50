"""The public program page and the artist's dashboard."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.models import Enrolment, ProgramRole
from programs.selectors.enrolment import dashboard_for
from programs.services.consent import consent_set
from programs.services.invitations import invitation_send
from programs.services.trust import trusted_publisher_grant
from tests.conftest import (
    AGREEMENT_V1,
    accept_current,
    enrol,
    make_application,
    make_program,
    make_user,
    publish_agreement,
)

pytestmark = pytest.mark.django_db


def test_the_program_page_shows_the_pitch_tasks_and_the_full_current_agreement(client, program, staff):
    program.tester_tasks = "Report bugs <b>with prompts</b>."
    program.save()
    version = publish_agreement(program, AGREEMENT_V1 + "\n\n4. <script>alert(1)</script>", actor=staff)
    page = client.get(reverse("programs:detail", args=[program.slug]))
    content = page.content.decode()
    assert "Report bugs &lt;b&gt;with prompts&lt;/b&gt;." in content
    assert "You are paid for every hour at the published rate card." in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content and "<script>alert" not in content
    assert version.content_hash in content
    assert "Log in to apply" in content and "?next=/programs/lumen/apply/" in content


def test_the_program_page_renders_compensation_and_review_sections_only_when_they_exist(client, program):
    content = client.get(reverse("programs:detail", args=[program.slug])).content.decode()
    assert "Compensation terms" not in content and "Review rules" not in content
    assert "has not been published yet" in content


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("applicant", "Apply to Lumen"),
        ("applied", "your application is"),
        ("artist", "You are <strong>active</strong>"),
    ],
)
def test_the_program_page_offers_the_next_step_for_each_visitor(client, program, artist, who, expected):
    person = {"artist": artist}.get(who) or make_user(f"{who}@example.com")
    if who == "applied":
        make_application(person, program)
    client.force_login(person)
    assert expected in client.get(reverse("programs:detail", args=[program.slug])).content.decode()


def test_a_closed_program_says_that_artists_join_by_invitation(client):
    make_program(slug="running", status="running")
    page = client.get(reverse("programs:detail", args=["running"]))
    assert b"not accepting applications" in page.content


def test_the_dashboard_shows_programs_roles_agreements_consent_and_invitations(client, program, staff, artist):
    publish_agreement(program, actor=staff)
    enrolment = Enrolment.objects.get(user=artist)
    acceptance = accept_current(enrolment)
    consent_set(user=artist, program=program, training=False, marketing=True, showcase=True)
    trusted_publisher_grant(enrolment=enrolment, actor=staff, reason="Careful.")
    second = make_program(slug="second", name="Second Light")
    second.cohorts.create(name="Only cohort", capacity=3)
    ProgramRole.objects.create(user=artist, program=second, role=ProgramRole.Role.REVIEWER)
    third = make_program(slug="third", name="Third Wave")
    third.cohorts.create(name="Wave one", capacity=3)
    invitation = invitation_send(program=third, cohort=third.cohorts.get(), email=artist.email, actor=staff)
    make_application(artist, second, status="declined", decision_reason="Full.")

    client.force_login(artist)
    page = client.get(reverse("dashboard"))

    content = page.content.decode()
    assert "Lumen" in content and "Active" in content and "Trusted publisher" in content
    assert "Reviewer in Second Light" in content
    assert f"{reverse('submissions:review_queue')}?program={second.pk}" in content
    assert reverse("programs:acceptance_download", args=[acceptance.pk]) in content
    assert "Training: off · Marketing: on · Showcase: on" in content
    assert "Third Wave" in content and reverse("programs:invitation", args=[invitation.token]) in content
    assert "Declined" in content and "Full." in content
    assert reverse("programs:leave", args=[program.slug]) in content


def test_program_staff_find_every_staff_page_of_their_program_on_the_dashboard(client, program, staff):
    client.force_login(staff)
    content = client.get(reverse("dashboard")).content.decode()
    for name in ("staff_invitations", "staff_roster", "compensation_staff"):
        assert reverse(f"programs:{name}", args=[program.slug]) in content, name
    assert reverse("transparency:report", args=[program.slug]) + "#snapshots-heading" in content
    assert f"{reverse('programs:staff_applications')}?program={program.pk}" in content


def test_the_dashboard_selector_uses_a_fixed_number_of_queries_however_many_programs(program, staff, artist):
    """The enrolment part of /me/ (other sections of the page belong to other concerns)."""

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            board = dashboard_for(artist)
            assert all(summary.accepted_current for summary in board.enrolments)
        return len(captured)

    publish_agreement(program, actor=staff)
    accept_current(Enrolment.objects.get(user=artist))
    before = queries()
    for index in range(4):
        extra = make_program(slug=f"extra-{index}")
        publish_agreement(extra, actor=staff)
        accept_current(enrol(artist, extra))
        consent_set(user=artist, program=extra, training=True, marketing=False, showcase=False)
    assert queries() == before
