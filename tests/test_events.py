"""Sessions and events (issue 17): RSVP within capacity, cancel, attendance recorded once and paid as approved
hours at the rate card, the calendar file, and who sees what."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from calls.models import Event, Rsvp
from calls.services import events as services
from programs.models import LedgerLine, TimeEntry
from programs.selectors.compensation import statement_for
from tests.conftest import enrol, make_rate_card, make_user
from tests.grants_helpers import make_event, past_event_with_rsvp

pytestmark = pytest.mark.django_db
S = Rsvp.Status


def test_an_artist_rsvps_cancels_and_comes_back(program, artist):
    event = make_event(program)
    rsvp = services.rsvp(event=event, user=artist)
    assert services.rsvp(event=event, user=artist) == rsvp  # a double click keeps one place
    assert services.rsvp_cancel(event=event, user=artist).status == S.CANCELLED
    assert services.rsvp(event=event, user=artist).status == S.GOING
    assert [e.to_status for e in rsvp.events.all()] == [S.GOING, S.CANCELLED, S.GOING]


def test_an_rsvp_beyond_capacity_is_refused_with_a_clear_message(program, artist, other_artist):
    event = make_event(program, capacity=1)
    services.rsvp(event=event, user=artist)
    with pytest.raises(services.EventError, match=r"This event is full: all 1 places are taken\."):
        services.rsvp(event=event, user=other_artist)
    assert Rsvp.objects.filter(event=event).count() == 1


def test_the_page_says_the_event_is_full(client, program, artist, other_artist):
    event = make_event(program, capacity=1)
    services.rsvp(event=event, user=artist)
    client.force_login(other_artist)
    response = client.post(reverse("calls:event_rsvp", args=[event.pk]), follow=True)
    assert "This event is full" in response.content.decode()


def test_a_cohort_event_is_for_that_cohort_only(program, artist):
    from programs.models import Cohort

    other = Cohort.objects.create(program=program, name="Second cohort", capacity=5)
    event = make_event(program, audience=Event.Audience.COHORT, cohort=other)
    with pytest.raises(services.EventError, match="Second cohort"):
        services.rsvp(event=event, user=artist)


def test_rsvps_close_when_the_event_starts(program, artist):
    event = make_event(program)
    with pytest.raises(services.EventError, match="started"):
        services.rsvp(event=event, user=artist, now=event.starts_at)


def test_attendance_at_a_paid_event_becomes_approved_hours_in_the_statement_once(program, artist, staff):
    make_rate_card(program)  # 25.00 EUR an hour
    _event, rsvp = past_event_with_rsvp(program, artist, hours=2)
    services.attendance_record(rsvp=rsvp, actor=staff, attended=True)
    with pytest.raises(services.EventMoveRefused, match="already recorded"):
        services.attendance_record(rsvp=Rsvp.objects.get(pk=rsvp.pk), actor=staff, attended=True)
    entry = TimeEntry.objects.get()
    assert (entry.status, entry.minutes, entry.category, entry.user) == ("approved", 120, "meetings", artist)
    line = LedgerLine.objects.get(source=LedgerLine.Source.HOURS)
    assert line.amount == Decimal("50.00") and line.time_entry == entry
    rsvp.refresh_from_db()
    assert rsvp.status == S.ATTENDED and rsvp.time_entry == entry
    today = timezone.localdate()
    statement = statement_for(artist, program, today.year, today.month)
    assert statement.currencies[0].earned == Decimal("50.00")


def test_a_double_click_on_attended_records_the_hours_once(client, program, artist, staff):
    make_rate_card(program)
    event, rsvp = past_event_with_rsvp(program, artist)
    client.force_login(staff)
    url = reverse("calls:event_attendance_record", args=[event.pk, rsvp.pk])
    for _ in range(2):
        assert client.post(url, {"attended": "yes"}).status_code == 302
    assert TimeEntry.objects.count() == 1 and LedgerLine.objects.count() == 1


def test_an_unpaid_event_records_attendance_without_hours(program, artist, staff):
    _event, rsvp = past_event_with_rsvp(program, artist, paid=False)
    services.attendance_record(rsvp=rsvp, actor=staff, attended=True)
    assert not TimeEntry.objects.exists() and not LedgerLine.objects.exists()


def test_attendance_waits_for_the_end_and_is_for_staff(program, artist, other_artist, staff):
    make_rate_card(program)
    event = make_event(program)
    rsvp = services.rsvp(event=event, user=artist)
    with pytest.raises(services.EventError, match="after the event"):
        services.attendance_record(rsvp=rsvp, actor=staff, attended=True)
    with pytest.raises(services.EventError, match="Only program staff"):
        services.attendance_record(rsvp=rsvp, actor=other_artist, attended=True, now=event.ends_at)


def test_attendance_without_a_rate_card_is_refused_and_nothing_is_recorded(program, artist, staff):
    _event, rsvp = past_event_with_rsvp(program, artist)
    with pytest.raises(services.EventError, match="could not be paid"):
        services.attendance_record(rsvp=rsvp, actor=staff, attended=True)
    rsvp.refresh_from_db()
    assert rsvp.status == S.GOING and not TimeEntry.objects.exists()


def test_the_calendar_file_is_an_icalendar_event(client, program, artist):
    event = make_event(program, title="Motion, light; and sound", place="Room 1, Floor 2")
    client.force_login(artist)
    response = client.get(reverse("calls:event_calendar", args=[event.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert "SUMMARY:Motion\\, light\\; and sound\r\n" in body
    assert "LOCATION:Room 1\\, Floor 2\r\n" in body
    assert f"DTSTART:{event.starts_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}\r\n" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_events_are_seen_by_the_programs_artists_and_staff_only(client, program, artist):
    event = make_event(program)
    outsider = make_user("outsider@example.com")
    client.force_login(outsider)
    assert client.get(reverse("calls:event_detail", args=[event.pk])).status_code == 404
    enrol(outsider, program)
    assert client.get(reverse("calls:event_detail", args=[event.pk])).status_code == 200
    assert "Prompting for motion" in client.get(reverse("calls:events")).content.decode()


def test_erasing_an_account_frees_its_coming_places_and_withdraws_waiting_applications(program, artist):
    from calls import personal_data
    from calls.models import GrantApplication
    from tests.grants_helpers import apply, make_round

    event = make_event(program)
    services.rsvp(event=event, user=artist)
    application = apply(make_round(program), artist)
    assert personal_data.erase(artist, reason="deleted") == []
    assert Rsvp.objects.get(event=event, user=artist).status == S.CANCELLED
    assert GrantApplication.objects.get(pk=application.pk).status == GrantApplication.Status.WITHDRAWN
