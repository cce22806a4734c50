"""An artist logs hours, staff approve them in bulk, the artist sees what is owed: in real Chromium."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.test_signup_and_mfa import collect_console_errors
from tests.conftest import PASSWORD, STAFF_TOTP_SECRET, make_rate_card, totp_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, base: str, email: str, *, totp_secret: str = "") -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    if totp_secret:  # staff accounts: the second factor
        page.fill("input[name=code]", totp_now(totp_secret))
        page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()


def test_hours_logged_approved_and_owed(live_server, page: Page, program, artist, staff):
    make_rate_card(program, hourly_rate="40.00")
    errors = collect_console_errors(page)
    log_in(page, live_server.url, artist.email)
    page.get_by_role("link", name="My compensation").first.click()
    page.get_by_role("link", name=program.name).first.click()
    page.fill("input[name=worked_on]", timezone.localdate().isoformat())
    page.fill("input[name=hours]", "2.5")
    page.select_option("select[name=category]", "waiting_on_review")
    page.fill("textarea[name=note]", "Waited for the review of my cut.")
    page.get_by_role("button", name="Log hours").click()
    expect(page.get_by_text("Staff will review it")).to_be_visible()
    expect(page.get_by_text("Waiting for approval")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server.url, staff.email, totp_secret=STAFF_TOTP_SECRET)
    page.goto(f"{live_server.url}/programs/{program.slug}/compensation/")
    page.get_by_role("link", name=re.compile("Hours waiting for approval")).click()
    page.get_by_label(re.compile("Approve entry")).first.check()
    page.get_by_role("button", name="Approve the ticked entries").click()
    expect(page.get_by_text("Approved 1 entry.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server.url, artist.email)
    page.goto(f"{live_server.url}/me/compensation/")
    expect(page.get_by_test_id("owed")).to_have_text("€100.00")
    expect(page.get_by_text("€40.00 per hour")).to_be_visible()
    page.get_by_role("link", name=re.compile("Hours, credits and monthly statements")).click()
    page.get_by_role("link", name=timezone.localdate().strftime("%B %Y")).click()
    expect(page.get_by_role("link", name=re.compile("2 h 30 min waiting on review"))).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert not errors
