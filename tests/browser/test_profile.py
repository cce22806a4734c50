"""In real Chromium: a signed-in person opens their profile from the navigation, chooses French and Asia/Tokyo and
turns off reminders; the portal then speaks French to them, and their signed-in sessions are one link away."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import serious_violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_profile_sets_language_time_zone_and_mail_choices(live_server, page: Page, artist):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", artist.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.get_by_role("navigation").get_by_role("link", name="Profile").click()
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()
    problems = serious_violations(page)
    assert problems == [], "\n".join(problems)

    page.get_by_label("Pronouns").fill("she/her")
    page.select_option("select[name=prefs-language]", "fr")
    page.select_option("select[name=prefs-time_zone]", "Asia/Tokyo")
    page.get_by_label("Mail me reminders of review deadlines").uncheck()
    page.get_by_role("button", name="Save preferences").click()

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Votre profil")).to_be_visible()
    expect(
        page.get_by_text("Votre langue, votre fuseau horaire et vos choix d\u2019e-mails sont enregistrés.")
    ).to_be_visible()
    artist.refresh_from_db()
    assert (artist.language, artist.time_zone, artist.pronouns, artist.mail_reminders) == (
        "fr",
        "Asia/Tokyo",
        "she/her",
        False,
    )
    page.get_by_role("link", name="Vos sessions ouvertes").click()
    expect(page).to_have_url(re.compile("/accounts/sessions/"))
    assert errors == []


def test_a_visitor_switches_language_in_the_footer(live_server, page: Page):
    page.goto(live_server.url + "/programs/")
    page.locator("footer").get_by_label("Language").select_option("es")
    page.locator("footer").get_by_role("button", name="Change language").click()
    expect(page).to_have_url(re.compile("/programs/$"))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("footer").get_by_role("button", name="Cambiar idioma")).to_be_visible()
