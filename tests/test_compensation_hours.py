"""Hours: artists log them, staff approve or query; approved entries are frozen and corrected by new ones."""

import datetime as dt
from decimal import Decimal

import pytest

from programs.models import Enrolment, LedgerLine, TimeEntry
from programs.selectors.compensation import balance, compensation_overview
from programs.services.compensation import (
    CompensationError,
    timeentry_approve,
    timeentry_approve_many,
    timeentry_log,
    timeentry_query,
    timeentry_resubmit,
    timeentry_withdraw,
)
from tests.conftest import make_rate_card

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 9, 10)
TODAY = dt.date(2026, 9, 30)


def log(user, program, minutes=90, worked_on=DAY, **extra):
    return timeentry_log(
        user=user, program=program, worked_on=worked_on, minutes=minutes, category="testing", today=TODAY, **extra
    )


@pytest.fixture
def cards(program):
    make_rate_card(program, effective_from=dt.date(2026, 9, 1), hourly_rate="20.00")
    make_rate_card(program, effective_from=dt.date(2026, 9, 15), hourly_rate="30.00")


def test_an_artist_logs_hours_and_a_history_row_is_written(program, artist, cards):
    entry = log(artist, program, note="Stress-tested long prompts.")
    assert (entry.status, entry.minutes, entry.hours, entry.note) == (
        "pending",
        90,
        Decimal("1.50"),
        "Stress-tested long prompts.",
    )
    assert [(e.from_status, e.to_status, e.actor) for e in entry.events.all()] == [("", "pending", artist)]


def test_approved_hours_are_paid_at_the_rate_in_force_on_the_day_worked(program, artist, staff, cards):
    before = log(artist, program, minutes=90, worked_on=dt.date(2026, 9, 14))
    after = log(artist, program, minutes=90, worked_on=dt.date(2026, 9, 15))
    timeentry_approve(entry=before, actor=staff, today=TODAY)
    timeentry_approve(entry=after, actor=staff, today=TODAY)
    assert before.line.amount == Decimal("30.00")
    assert after.line.amount == Decimal("45.00")
    assert "entry #" in after.line.label and "30.00 EUR/h" in after.line.label
    assert balance(artist, program, "EUR") == Decimal("75.00")


def test_it_refuses_hours_from_someone_not_contributing(program, artist, cards):
    Enrolment.objects.filter(user=artist).update(status=Enrolment.Status.PAUSED)
    with pytest.raises(CompensationError, match="only while you are contributing"):
        log(artist, program)
    assert not TimeEntry.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"minutes": 0}, "between 1 minute and 24 hours"),
        ({"minutes": 24 * 60 + 1}, "between 1 minute and 24 hours"),
        ({"minutes": "lots"}, "whole number of minutes"),
        ({"worked_on": TODAY + dt.timedelta(days=1)}, "in the future"),
        ({"category": "napping"}, "not a category"),
    ],
)
def test_it_refuses_bad_entries_with_a_clear_message(program, artist, cards, fields, message):
    arguments = {"minutes": 60, "worked_on": DAY, "category": "testing", **fields}
    with pytest.raises(CompensationError, match=message):
        timeentry_log(user=artist, program=program, today=TODAY, **arguments)
    assert not TimeEntry.objects.exists()


def test_it_refuses_more_than_24_hours_in_a_day(program, artist, cards):
    log(artist, program, minutes=20 * 60)
    with pytest.raises(CompensationError, match="a day has 24"):
        log(artist, program, minutes=5 * 60)
    assert TimeEntry.objects.count() == 1


def test_staff_query_with_a_reason_and_the_artist_resubmits(program, artist, staff, cards):
    entry = log(artist, program)
    with pytest.raises(CompensationError, match="Say what is unclear"):
        timeentry_query(entry=entry, actor=staff, reason=" ")
    queried = timeentry_query(entry=entry, actor=staff, reason="Which build were you testing?")
    assert queried.status == "queried"
    resubmitted = timeentry_resubmit(
        entry=entry, actor=artist, worked_on=DAY, minutes=60, category="testing", note="Build 0.9.2", today=TODAY
    )
    assert (resubmitted.status, resubmitted.minutes, resubmitted.note) == ("pending", 60, "Build 0.9.2")
    assert [e.to_status for e in entry.events.all()] == ["pending", "queried", "pending"]
    assert entry.events.get(to_status="queried").reason == "Which build were you testing?"


def test_an_approved_entry_cannot_be_edited_withdrawn_or_approved_again(program, artist, staff, cards):
    entry = log(artist, program)
    timeentry_approve(entry=entry, actor=staff, today=TODAY)
    with pytest.raises(CompensationError, match="approved, so it cannot be changed: log a correction"):
        timeentry_resubmit(entry=entry, actor=artist, worked_on=DAY, minutes=30, category="testing", today=TODAY)
    with pytest.raises(CompensationError, match="log a correction"):
        timeentry_withdraw(entry=entry, actor=artist)
    with pytest.raises(CompensationError, match="log a correction"):
        timeentry_approve(entry=entry, actor=staff, today=TODAY)
    entry.refresh_from_db()
    assert (entry.status, entry.minutes) == ("approved", 90)
    assert LedgerLine.objects.count() == 1


def test_a_correction_supersedes_the_approved_entry_and_reverses_its_pay(program, artist, staff, cards):
    entry = log(artist, program, minutes=300)
    timeentry_approve(entry=entry, actor=staff, today=TODAY)
    assert balance(artist, program, "EUR") == Decimal("100.00")
    correction = log(artist, program, minutes=180, corrects=entry)
    with pytest.raises(CompensationError, match="already waiting"):
        log(artist, program, minutes=120, corrects=entry)
    timeentry_approve(entry=correction, actor=staff, today=TODAY)
    entry.refresh_from_db()
    assert entry.status == "superseded"
    assert LedgerLine.objects.get(reverses=entry.line).reason == f"Corrected by entry #{correction.pk}."
    assert balance(artist, program, "EUR") == Decimal("60.00")


def test_nobody_approves_their_own_hours(program, artist, cards):
    entry = log(artist, program)
    with pytest.raises(CompensationError, match="your own hours"):
        timeentry_approve(entry=entry, actor=artist, today=TODAY)


def test_bulk_approval_approves_what_it_can_and_says_why_not_for_the_rest(program, artist, staff, cards):
    first, second, withdrawn = log(artist, program, 60), log(artist, program, 30), log(artist, program, 15)
    timeentry_withdraw(entry=withdrawn, actor=artist)
    approved, refused = timeentry_approve_many(entries=[first, second, withdrawn], actor=staff, today=TODAY)
    assert [e.pk for e in approved] == [first.pk, second.pk]
    assert [(e.pk, message) for e, message in refused] == [(withdrawn.pk, "This entry was withdrawn.")]
    assert balance(artist, program, "EUR") == Decimal("30.00")


def test_approval_without_a_rate_card_for_that_day_is_refused(program, artist, staff, cards):
    entry = log(artist, program, worked_on=dt.date(2026, 8, 20))
    with pytest.raises(CompensationError, match="no rate card in force on 20 Aug 2026"):
        timeentry_approve(entry=entry, actor=staff, today=TODAY)
    entry.refresh_from_db()
    assert entry.status == "pending"
    assert not LedgerLine.objects.exists()


def test_the_effective_hourly_rate_counts_unapproved_hours(program, artist, staff, cards):
    approved = log(artist, program, minutes=120)
    log(artist, program, minutes=120, worked_on=dt.date(2026, 9, 11))  # pending: unpaid so far
    timeentry_approve(entry=approved, actor=staff, today=TODAY)
    [summary] = compensation_overview(artist)
    assert (summary.hours_logged, summary.hours_approved, summary.entries_waiting) == (
        Decimal("4.00"),
        Decimal("2.00"),
        1,
    )
    assert summary.effective_hourly_rates() == [("EUR", Decimal("10.00"))]
