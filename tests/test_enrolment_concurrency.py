"""Races that must have exactly one winner. They need PostgreSQL's row locks and real threads."""

import threading

import pytest
from django.db import connection, connections

from core.errors import DomainError
from programs.errors import CohortFull, TransitionRefused
from programs.models import Application, Cohort, Invitation, ProgramRole
from programs.services.applications import application_accept
from tests.conftest import make_application, make_program, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (SQLite serialises every write, so there is no race)")


def race(*calls) -> list:
    """Run each call in its own thread and database connection, released together; return results or errors."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            connection.ensure_connection()  # connect first, so the calls themselves start together
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


def two_staff(program):
    people = []
    for email in ("one@example.com", "two@example.com"):
        person = make_user(email, is_staff=True)
        ProgramRole.objects.create(user=person, program=program, role=ProgramRole.Role.STAFF)
        people.append(person)
    return people


def test_two_staff_accepting_the_last_seat_at_once_exactly_one_succeeds():
    program = make_program()
    cohort = Cohort.objects.create(program=program, name="Last seat", capacity=1)
    first, second = (make_application(make_user(f"applicant{i}@example.com"), program) for i in (1, 2))
    one, two = two_staff(program)

    results = race(
        lambda: application_accept(application=first, cohort=cohort, actor=one),
        lambda: application_accept(application=second, cohort=cohort, actor=two),
    )

    winners = [r for r in results if isinstance(r, Application)]
    losers = [r for r in results if isinstance(r, CohortFull)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "Last seat is full (1 of 1 seats taken" in losers[0].message
    assert Invitation.objects.filter(cohort=cohort).count() == 1
    assert Application.objects.filter(status=Application.Status.ACCEPTED).count() == 1
    assert Application.objects.filter(status=Application.Status.SUBMITTED).count() == 1


def test_two_staff_deciding_the_same_application_at_once_record_one_decision():
    program = make_program()
    cohort = Cohort.objects.create(program=program, name="Roomy", capacity=10)
    application = make_application(make_user("applicant@example.com"), program)
    one, two = two_staff(program)

    results = race(
        lambda: application_accept(application=application, cohort=cohort, actor=one),
        lambda: application_accept(application=application, cohort=cohort, actor=two),
    )

    assert sorted(type(r).__name__ for r in results) == ["Application", "TransitionRefused"], results
    assert isinstance(next(r for r in results if not isinstance(r, Application)), TransitionRefused)
    assert application.events.count() == 2  # submitted, then one acceptance
    assert Invitation.objects.filter(application=application).count() == 1
