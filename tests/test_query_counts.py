"""Pages that list a program's records ask the same number of queries for N rows as for 2N.

Each test builds N rows through the services, counts the queries of the page, doubles the rows and counts again.
"""

import datetime as dt
import itertools
import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.models import Cohort, Invitation, ProgramRole
from programs.services import applications, invitations
from programs.services.compensation import timeentry_approve, timeentry_log
from programs.services.roles import program_role_grant
from submissions.services import approvals
from submissions.services import comments as comment_services
from tests.approval_helpers import setup_review, video_in_review
from tests.conftest import make_user, publish_agreement

pytestmark = pytest.mark.django_db
_serial = itertools.count(1)


def queries_of(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), response.content.decode()


def assert_constant(client, url: str, add_rows, n: int) -> tuple[str, str]:
    """Add `n` rows, count; add `n` more, count again: the counts must be equal. Returns both pages."""
    add_rows(n)
    client.get(url)  # warm the per-process caches (content types, permissions, site) out of the count
    small, small_page = queries_of(client, url)
    add_rows(n)
    large, large_page = queries_of(client, url)
    if os.environ.get("SHOW_QUERY_COUNTS"):
        print(f"\nQUERIES {url}: {small} with {n} rows, {large} with {2 * n}")
    assert small == large, f"{url}: {small} queries with {n} rows, {large} with {2 * n}"
    return small_page, large_page


# --- Reviewer appeals -------------------------------------------------------------------------------------------


def test_the_appeals_page_is_constant_in_the_number_of_appeals(client, program, artist, reviewer):
    second = make_user("second@example.com", display_name="Second Reviewer")
    rules = setup_review(program, safety=[reviewer, second], lead=[reviewer, second], distinct_people=False)

    def add_appeals(n: int) -> None:
        for index in range(n):  # half rejected by the reader, who may then not decide the appeal
            video = video_in_review(artist, program)
            decider = reviewer if index % 2 else second
            approvals.review_decide(
                video_id=video.pk, reviewer=decider, outcome="reject", reason_code=rules["code"], note="No."
            )
            approvals.video_appeal(video_id=video.pk, artist=artist, statement="It is my own face.")

    client.force_login(reviewer)
    _, page = assert_constant(client, reverse("submissions:review_appeals"), add_appeals, 2)
    assert page.count("may decide") == 2 and page.count("You took part in the first decision") == 2


# --- Staff hours list -------------------------------------------------------------------------------------------


def test_the_hours_list_is_paginated_and_constant(client, program, artist, staff, rate_card):
    def add_approved_hours(n: int) -> None:
        for _ in range(n):
            worked_on = timezone.localdate() - dt.timedelta(days=next(_serial) % 20)
            entry = timeentry_log(user=artist, program=program, worked_on=worked_on, minutes=30, category="testing")
            timeentry_approve(entry=entry, actor=staff)

    client.force_login(staff)
    url = reverse("programs:hours_queue", args=[program.slug]) + "?status=approved"
    _, page = assert_constant(client, url, add_approved_hours, 30)
    assert page.count('id="entry-') == 50 and "Page 1 of 2" in page
    second_page = client.get(url + "&page=2").content.decode()
    assert second_page.count('id="entry-') == 10 and "status=approved&amp;page=1" in second_page


# --- The admin: history lists and delete confirmations -------------------------------------------------------------


@pytest.fixture
def roomy_cohort(program) -> Cohort:
    return Cohort.objects.create(program=program, name="Roomy cohort", capacity=1000)


@pytest.fixture
def joining(program, staff, roomy_cohort):
    """Adds artists who apply, are accepted and accept the agreement: application, enrolment and
    acceptance rows with their history, each written by the services."""
    agreement = publish_agreement(program, actor=staff)

    def add_artists(n: int) -> None:
        for _ in range(n):
            number = next(_serial)
            person = make_user(f"joiner{number}@example.com", display_name=f"Joiner {number}")
            application = applications.application_submit(
                program=program, user=person, portfolio_links=[], statement="I make films.", answers=[]
            )
            applications.application_accept(application=application, cohort=roomy_cohort, actor=staff)
            invitations.invitation_accept(
                invitation=Invitation.objects.get(application=application),
                user=person,
                version_id=agreement.pk,
                submitted_hash=agreement.content_hash,
                ip_address="127.0.0.1",
            )

    return add_artists


@pytest.mark.parametrize(
    "changelist",
    [
        "programs_applicationevent",
        "programs_enrolmentevent",
        "programs_agreementacceptance",
        "programs_application",
        "programs_enrolment",
        "programs_invitation",
    ],
)
@pytest.mark.parametrize("who", ["staff", "superuser"])
def test_admin_lists_of_a_programs_records_are_constant(client, request, joining, changelist, who):
    client.force_login(request.getfixturevalue(who))
    assert_constant(client, reverse(f"admin:{changelist}_changelist"), joining, 3)


@pytest.mark.parametrize("who", ["staff", "superuser"])
def test_the_enrolment_page_with_its_history_is_constant(client, request, program, staff, joining, who):
    from programs.services import enrolment as enrolments

    joining(1)
    artist_enrolment = program.enrolments.get(user__display_name__startswith="Joiner")

    def add_history(n: int) -> None:
        for _ in range(n):
            enrolments.enrolment_pause(enrolment=artist_enrolment, actor=staff, reason="A break.")
            enrolments.enrolment_resume(enrolment=artist_enrolment, actor=staff)

    client.force_login(request.getfixturevalue(who))
    assert_constant(client, reverse("admin:programs_enrolment_change", args=[artist_enrolment.pk]), add_history, 2)


def test_the_program_delete_confirmation_counts_instead_of_listing(client, program, superuser, joining):
    client.force_login(superuser)
    url = reverse("admin:programs_program_delete", args=[program.pk])
    _, page = assert_constant(client, url, joining, 3)
    assert "Applications: 6" in page and "Enrolments: 6" in page and "Application events: 12" in page
    assert "Joiner" not in page  # no row is listed one by one


def test_a_program_with_money_or_videos_cannot_be_deleted_and_says_why(client, program, artist, superuser, rate_card):
    video_in_review(artist, program)
    client.force_login(superuser)
    page = client.get(reverse("admin:programs_program_delete", args=[program.pk])).content.decode()
    assert "Rate cards: 1" in page and "Videos: 1" in page
    assert 'type="submit"' not in page.split('id="content"')[1]  # Django offers no button when protected rows exist
    response = client.post(reverse("admin:programs_program_delete", args=[program.pk]), {"post": "yes"})
    assert response.status_code == 200 and type(program).objects.filter(pk=program.pk).exists()


def test_program_staff_may_not_delete_programs_or_cohorts_so_nothing_is_walked(client, program, staff, joining):
    joining(3)
    client.force_login(staff)
    for url in (
        reverse("admin:programs_program_delete", args=[program.pk]),
        reverse("admin:programs_cohort_delete", args=[program.cohorts.first().pk]),
    ):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 403
        assert len(captured) < 20


def test_the_cohort_delete_confirmation_is_constant_and_names_what_protects_it(
    client, superuser, roomy_cohort, joining
):
    client.force_login(superuser)
    url = reverse("admin:programs_cohort_delete", args=[roomy_cohort.pk])
    _, page = assert_constant(client, url, joining, 3)
    assert "Enrolments: 6" in page and "Invitations: 6" in page and "Applications: 6" in page


def test_program_roles_list_is_constant(client, program, superuser):
    def add_reviewers(n: int) -> None:
        for _ in range(n):
            number = next(_serial)
            person = make_user(f"rev{number}@example.com", display_name=f"Reviewer {number}")
            program_role_grant(user=person, program=program, role=ProgramRole.Role.REVIEWER)

    client.force_login(superuser)
    assert_constant(client, reverse("admin:programs_programrole_changelist"), add_reviewers, 3)


# --- Open calls: the public results and the staff page of a call ------------------------------------------------


def _call_with_results(program, staff, jurors, n: int):
    from calls.services import calls as call_services
    from tests.calls_helpers import approved_video, open_call, to_judging
    from tests.conftest import enrol

    call = open_call(program, staff, jurors=jurors, prizes=(("Selected", "100.00", 2),))
    for _ in range(n):
        person = make_user(f"entrant{next(_serial)}@example.com", display_name="Entrant")
        enrol(person, program, cohort=program.cohorts.first())
        video = approved_video(person, program)
        call_services.entry_submit(call=call, artist=person, video_id=video.pk, statement="Mine.")
    to_judging(call, staff)
    for juror in call.jurors.all():
        for value, entry in enumerate(call.entries.all(), start=1):
            scores = {c.pk: (1 + value % 10, "") for c in call.criteria.all()}
            call_services.scores_record(juror=juror, entry=entry, scores=scores)
    return call_services.call_publish_results(call=call, actor=staff)


@pytest.mark.parametrize("page", ["calls:results", "calls:staff_call"])
def test_a_calls_results_and_staff_page_are_constant_in_the_number_of_entries(client, program, staff, reviewer, page):
    client.force_login(staff)
    counts = []
    for n in (2, 4):
        call = _call_with_results(program, staff, [reviewer, staff], n)
        url = reverse(page, args=[call.pk])
        client.get(url)
        counts.append(queries_of(client, url)[0])
    assert counts[0] == counts[1], counts


# --- Frame comments (issue 18) ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["review", "video", "compare"])
def test_the_pages_of_a_video_are_constant_in_the_number_of_frame_comments(client, program, artist, reviewer, page):
    from tests.comment_helpers import comment_on

    setup_review(program, safety=[reviewer], lead=[reviewer], distinct_people=False)
    old = video_in_review(artist, program)
    approvals.review_decide(
        video_id=old.pk, reviewer=reviewer, outcome="request_changes",
        reason_code=old.program.reason_codes.get(), note="See the frames.",
    )  # fmt: skip
    video = video_in_review(artist, program)
    approvals.review_link_new_version(new_video=video, old_video=old, artist=artist)
    commented = old if page == "compare" else video

    def add_comments(n: int) -> None:
        for index in range(n):  # threads with a reply, a resolved one and an internal one among them
            thread = comment_on(commented, reviewer, at=f"0.{index % 4}", internal=index % 3 == 2)
            comment_services.comment_reply(parent_id=thread.pk, author=reviewer, body="Agreed.")
            if index % 2:
                comment_services.comment_set_resolved(comment_id=thread.pk, actor=reviewer, resolved=True)

    client.force_login(reviewer)
    name = {"review": "submissions:review_video", "video": "submissions:video_detail"}.get(page)
    url = reverse(name or "submissions:video_compare", args=[video.pk])
    assert_constant(client, url, add_comments, 3)
