"""Every page of the role x URL matrix asks the same number of queries when the program holds twice the data.

The matrix's world is built and one more artist joins it with a record of every kind; each role that may open
the page opens it (once to warm the session and caches, once counted). Then two more such artists join, and
the counts must not change; no page may exceed the size budget. Each artist, through the services: enrols,
accepts the agreement, applies, is invited, sends videos (one published, one rejected and appealed), logs
hours, is paid in a payout run, files a report, a draft and feedback, is awarded a grant and RSVPs to a session.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from calls.services import calls as call_services
from calls.services.events import rsvp as event_rsvp
from programs.models import Application, Enrolment
from programs.services.compensation import award_record, timeentry_log
from programs.services.invitations import invitation_send
from programs.services.payout_runs import payoutrun_confirm, payoutrun_create
from submissions.images import process_screenshot
from submissions.models import ReasonCode
from submissions.services import approvals
from submissions.services.reports import bug_report_triage, feedback_submit
from tests.access_table import EXPECTATIONS, ROLES
from tests.approval_helpers import video_in_review
from tests.conftest import accept_current, enrol, file_report, make_application, make_user
from tests.grants_helpers import apply as grant_apply
from tests.grants_helpers import award as grant_award
from tests.report_images import png_bytes, upload
from tests.test_access_matrix import world  # noqa: F401  (the matrix's fixture)

PAGE_BUDGET = 512 * 1024  # bytes: a page that lists a program's records is paginated well before this
OPENED = sorted(name for name, expect in EXPECTATIONS.items() if 200 in expect.codes)


def add_artists(w, numbers) -> None:
    program, staff, reviewer = w.program, w.users["staff"], w.users["reviewer"]
    cohort, code = program.cohorts.first(), ReasonCode.objects.filter(program=program).first()
    for number in numbers:
        person = make_user(f"twin{number}@example.com", display_name=f"Twin {number}")
        enrol(person, program, cohort=cohort)
        accept_current(Enrolment.objects.get(user=person, program=program))
        make_application(person, program, status=Application.Status.ACCEPTED, cohort=cohort)
        invitation_send(program=program, cohort=cohort, email=f"invitee{number}@example.com", actor=staff)
        video_in_review(person, program)
        published = video_in_review(person, program)
        for _ in range(2):
            approvals.review_decide(video_id=published.pk, reviewer=reviewer, outcome="approve")
        approvals.video_publish(video_id=published.pk, artist=person)
        call_services.entry_submit(call=w.call, artist=person, video_id=published.pk, statement="Twice the entries.")
        appealed = video_in_review(person, program)
        approvals.review_decide(video_id=appealed.pk, reviewer=reviewer, outcome="reject", reason_code=code, note="No.")
        approvals.video_appeal(video_id=appealed.pk, artist=person, statement="It is my own face.")
        award_record(user=person, program=program, title="Prize", amount="50.00", reason="Good.",
                     idempotency_key=f"twin:{number}", actor=staff)  # fmt: skip
        timeentry_log(user=person, program=program, worked_on=timezone.localdate(), minutes=60, category="testing")
        shot = process_screenshot(upload("shot.png", png_bytes()))
        bug_report_triage(report=file_report(person, program, screenshots=[shot]), actor=staff)
        file_report(person, program, submit=False)
        feedback_submit(author=person, program=program, kind="idea", body=f"A loop mode, twice {number}")
        grant_award(grant_apply(w.grant_round, person), staff, "100.00")
        event_rsvp(event=w.event, user=person, now=w.event.starts_at - dt.timedelta(hours=1))
    payoutrun_confirm(run=payoutrun_create(program=program, currency="EUR", actor=staff), actor=staff)


def counted(client, w, role: str, url: str) -> tuple[int, int]:
    client.logout()
    if w.users[role]:
        client.force_login(w.users[role])
    client.get(url)  # warm: the session's first request, per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (role, url, response.status_code)
    size = len(response.content) if not response.streaming else 0
    return len(captured), size


@pytest.mark.django_db
@pytest.mark.parametrize("name", OPENED)
def test_a_page_asks_the_same_queries_with_twice_the_data(client, world, name):  # noqa: F811
    expect = EXPECTATIONS[name]
    url = reverse(name, kwargs=expect.kwargs(world))
    roles = [role for role, code in zip(ROLES, expect.codes, strict=True) if code == 200]
    add_artists(world, [1])  # every kind of record exists once, so no list starts empty
    before = {role: counted(client, world, role, url) for role in roles}
    add_artists(world, [2, 3])
    after = {role: counted(client, world, role, url) for role in roles}
    assert {r: q for r, (q, _) in before.items()} == {r: q for r, (q, _) in after.items()}, url
    assert all(size <= PAGE_BUDGET for _, size in after.values()), (url, after)
