"""Races of issue 17 with exactly one winner: a milestone confirmed by two staff at once is paid once, the last
place at an event goes to one artist, and attendance recorded twice at once is paid once. PostgreSQL only."""

import threading

import pytest
from django.db import connection, connections

from calls.models import GrantMilestone, Rsvp
from calls.services import events as event_services
from calls.services import grants as grant_services
from core.errors import DomainError
from programs.models import LedgerLine, ProgramRole, TimeEntry
from tests.conftest import enrol, make_program, make_rate_card, make_user
from tests.grants_helpers import apply, award, make_event, make_round, past_event_with_rsvp

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (SQLite serialises every write, so there is no race)")


def race(*calls) -> list:
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            connection.ensure_connection()
            barrier.wait(timeout=10)
            results[index] = call()
        except DomainError as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def world():
    program = make_program()
    artists = [make_user(f"artist{i}@example.com") for i in (1, 2)]
    for artist in artists:
        enrol(artist, program)
    people = []
    for email in ("one@example.com", "two@example.com"):
        person = make_user(email, is_staff=True)
        ProgramRole.objects.create(user=person, program=program, role=ProgramRole.Role.STAFF)
        people.append(person)
    make_rate_card(program)
    return program, artists, people


def test_two_staff_confirming_a_milestone_at_once_pay_one_line(world):
    program, (artist, _), (one, two) = world
    milestone = award(apply(make_round(program), artist), one, "800.00").milestones.get()
    results = race(
        lambda: grant_services.milestone_confirm(milestone=GrantMilestone.objects.get(pk=milestone.pk), actor=one),
        lambda: grant_services.milestone_confirm(milestone=GrantMilestone.objects.get(pk=milestone.pk), actor=two),
    )
    assert sum(isinstance(r, GrantMilestone) for r in results) == 1
    assert sum(isinstance(r, grant_services.GrantMoveRefused) for r in results) == 1
    assert LedgerLine.objects.filter(source=LedgerLine.Source.GRANT).count() == 1


def test_two_artists_taking_the_last_place_at_once_one_gets_it(world):
    program, (first, second), _ = world
    event = make_event(program, capacity=1)
    results = race(
        lambda: event_services.rsvp(event=event, user=first),
        lambda: event_services.rsvp(event=event, user=second),
    )
    assert sum(isinstance(r, Rsvp) for r in results) == 1
    refused = [r for r in results if isinstance(r, event_services.EventError)]
    assert len(refused) == 1 and "full" in refused[0].message
    assert Rsvp.objects.filter(event=event, status=Rsvp.Status.GOING).count() == 1


def test_attendance_recorded_twice_at_once_is_paid_once(world):
    program, (artist, _), (one, two) = world
    _event, rsvp = past_event_with_rsvp(program, artist)
    results = race(
        lambda: event_services.attendance_record(rsvp=Rsvp.objects.get(pk=rsvp.pk), actor=one, attended=True),
        lambda: event_services.attendance_record(rsvp=Rsvp.objects.get(pk=rsvp.pk), actor=two, attended=True),
    )
    assert sum(isinstance(r, Rsvp) for r in results) == 1
    assert TimeEntry.objects.count() == 1
    assert LedgerLine.objects.filter(source=LedgerLine.Source.HOURS).count() == 1
