"""Grants and sessions end to end in real Chromium (issue 17): apply -> decide -> milestone paid, seen in the
artist's statement; RSVP -> attendance -> hours in the statement."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from calls.models import Event
from tests.browser.test_compensation_flow import log_in
from tests.browser.test_signup_and_mfa import collect_console_errors
from tests.conftest import STAFF_TOTP_SECRET, make_rate_card
from tests.grants_helpers import make_event, make_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def statement_url(base: str, program) -> str:
    today = timezone.localdate()
    return f"{base}/me/compensation/{program.slug}/statements/{today.year}/{today.month}/"


def test_apply_decide_and_a_milestone_paid_into_the_statement(live_server, page: Page, program, artist, staff):
    make_rate_card(program)
    round = make_round(program)
    errors = collect_console_errors(page)
    log_in(page, live_server.url, artist.email)
    page.goto(f"{live_server.url}/grants/")
    page.get_by_role("link", name=round.title).click()
    page.get_by_role("link", name="Apply for this grant").click()
    page.fill("#project_title", "Tidewater")
    page.fill("#project_description", "A short film about the sea.")
    page.fill("#budget", "-50")
    page.fill("#budget_breakdown", "Crew 1000, sound 500.")
    page.fill("#schedule", "March to April.")
    page.get_by_role("button", name="Send the application").click()
    expect(page.get_by_text("The budget must be more than zero.")).to_be_visible()
    page.fill("#budget", "1500")
    page.get_by_role("button", name="Send the application").click()
    expect(page.get_by_text("Your application is sent.")).to_be_visible()
    expect(page.get_by_text("Waiting for a decision", exact=True)).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server.url, staff.email, totp_secret=STAFF_TOTP_SECRET)
    page.goto(f"{live_server.url}/grants/{round.pk}/")
    page.get_by_role("link", name="Decide on applications (staff)").click()
    page.get_by_role("link", name="Tidewater").click()
    page.select_option("#award-reason", "meets_criteria")
    page.fill("#m1-title", "Script")
    page.fill("#m1-amount", "600")
    page.fill("#m1-due", (timezone.localdate() + dt.timedelta(days=30)).isoformat())
    page.fill("#m2-title", "Final film")
    page.fill("#m2-amount", "900")
    page.fill("#m2-due", (timezone.localdate() + dt.timedelta(days=60)).isoformat())
    page.locator("#award-form").get_by_role("button", name="Award").click()
    expect(page.get_by_text("Awarded. Confirm each milestone")).to_be_visible()
    page.locator("#milestone-1").get_by_role("button", name="Confirm reached and pay").click()
    expect(page.get_by_text("Milestone confirmed")).to_be_visible()
    expect(page.locator("#milestone-1")).to_contain_text("Confirmed and paid")
    expect(page.locator("#milestone-2")).to_contain_text("Not yet reached")
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server.url, artist.email)
    page.goto(statement_url(live_server.url, program))
    expect(page.get_by_text(re.compile("Grant “Tidewater”, milestone 1: Script"))).to_be_visible()
    assert not errors


def test_rsvp_attendance_and_hours_in_the_statement(live_server, page: Page, program, artist, staff):
    make_rate_card(program, hourly_rate="40.00")
    event = make_event(program, hours=2, capacity=5)
    errors = collect_console_errors(page)
    log_in(page, live_server.url, artist.email)
    page.goto(f"{live_server.url}/events/")
    page.get_by_role("link", name=event.title).click()
    expect(page.get_by_text("Attendance is paid")).to_be_visible()
    page.get_by_role("button", name="I will attend").click()
    expect(page.get_by_text("You have a place.")).to_be_visible()
    expect(page.get_by_text("1 of 5 taken")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to your calendar (.ics)").click()
    assert download.value.suggested_filename == f"event-{event.pk}.ics"
    page.get_by_role("button", name="Log out").click()

    shift = dt.timedelta(days=10)  # the event takes place
    Event.objects.filter(pk=event.pk).update(starts_at=event.starts_at - shift, ends_at=event.ends_at - shift)
    log_in(page, live_server.url, staff.email, totp_secret=STAFF_TOTP_SECRET)
    page.goto(f"{live_server.url}/events/{event.pk}/")
    page.get_by_role("link", name="RSVPs and attendance (staff)").click()
    page.get_by_role("button", name="Attended", exact=True).click()
    expect(page.get_by_text("the hours are approved")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(artist.display_name))).to_contain_text("Attended")
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server.url, artist.email)
    page.goto(f"{live_server.url}/events/{event.pk}/")
    expect(page.get_by_text("2 h paid, in your statement")).to_be_visible()
    page.goto(statement_url(live_server.url, program))
    expect(page.get_by_text(re.compile("2 h meetings"))).to_be_visible()
    assert not errors
