"""The Opportunities section of the transparency report (issue 17): grants and sessions, small cells suppressed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from calls.services import events as event_services
from calls.services import grants as grant_services
from tests.conftest import enrol, make_rate_card, make_user
from tests.grants_helpers import apply, award, make_round, past_event_with_rsvp
from transparency.figures import ALL
from transparency.privacy import FEWER_THAN
from transparency.report import build, compute

pytestmark = pytest.mark.django_db


def artists(program, n):
    people = [make_user(f"a{i}@example.com") for i in range(n)]
    for person in people:
        enrol(person, program)
    return people


def value(result, name):
    cell = result.cells[(ALL, name, "")]
    return cell.value, cell.status


def test_grants_and_sessions_are_counted_with_five_artists_or_more(program, staff):
    make_rate_card(program)
    people = artists(program, 6)
    round = make_round(program, budget=Decimal("9000.00"))
    applications = [apply(round, person) for person in people]
    for application in applications[:5]:
        award(application, staff, "100.00")
    late = applications[5]
    grant_services.grant_decline(
        application=late, actor=staff, reason="incomplete", now=late.decision_due_at + dt.timedelta(hours=1)
    )
    event, _rsvp = past_event_with_rsvp(program, people[0], hours=2, capacity=10)
    for person in people[1:]:
        event_services.rsvp(event=event, user=person, now=event.starts_at - dt.timedelta(hours=1))
    for place in event.rsvps.all():
        event_services.attendance_record(rsvp=place, actor=staff, attended=True)
    result = compute(program)
    assert value(result, "grant_applications") == (6, "")
    assert value(result, "grant_awards") == (5, "")
    assert value(result, "grant_deadlines_missed")[0] == 1
    assert value(result, "grant_deadlines_missed")[1] == FEWER_THAN  # one artist: not published
    assert value(result, "sessions_held") == (1, "")
    assert value(result, "session_attendances") == (6, "")
    assert value(result, "session_hours_paid") == (Decimal("12.00"), "")
    assert build(program)["whole_program"]["opportunities"]["session_hours_paid"] == "12.00"


def test_fewer_than_five_applicants_are_not_published(program, artist, staff):
    award(apply(make_round(program), artist), staff, "100.00")
    result = compute(program)
    assert value(result, "grant_applications") == (1, FEWER_THAN)
    assert value(result, "grant_decision_hours_median")[1] == FEWER_THAN


def test_the_report_page_has_the_opportunities_section(client, program):
    page = client.get(reverse("transparency:report", args=[program.slug])).content.decode()
    assert 'id="section-opportunities"' in page and "data-grants-note" in page and "data-events-note" in page
