"""In real Chromium: an artist applies, staff accept them into a cohort, the artist accepts the invitation
with the agreement and lands on a dashboard that shows their place."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from programs.models import AgreementAcceptance, Cohort, Enrolment, ProgramRole
from programs.services.consent import consent_set
from programs.services.invitations import invitation_send
from tests.browser.axe import serious_violations
from tests.conftest import (
    AGREEMENT_V1,
    PASSWORD,
    STAFF_TOTP_SECRET,
    accept_current,
    enrol,
    make_program,
    make_user,
    publish_agreement,
    totp_now,
    with_totp,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LINK = re.compile(r"(http://\S+/programs/invitations/\S+/)")


def collect_console_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def log_in(page: Page, base: str, email: str, *, totp_secret: str = "") -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    if totp_secret:  # staff accounts: the second factor
        page.fill("input[name=code]", totp_now(totp_secret))
        page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_apply_staff_accepts_artist_accepts_the_agreement_and_sees_the_dashboard(live_server, page: Page, settings):
    settings.SITE_URL = live_server.url
    program = make_program(slug="lumen")
    Cohort.objects.create(program=program, name="Spring cohort", capacity=5)
    lead = with_totp(make_user("lead@example.com", display_name="Lena Lead", is_staff=True))
    ProgramRole.objects.create(user=lead, program=program, role=ProgramRole.Role.STAFF)
    version = publish_agreement(program, actor=lead)
    make_user("ada@example.com", display_name="Ada Artist")
    errors = collect_console_errors(page)
    base = live_server.url

    # The artist applies.
    log_in(page, base, "ada@example.com")
    page.goto(base + "/programs/lumen/")
    expect(page.get_by_text("You share no generated video before it is approved.")).to_be_visible()
    page.get_by_role("link", name="Apply to Lumen").click()
    page.get_by_label("Portfolio links").fill("https://example.com/reel")
    page.get_by_label("Why do you want to join?").fill(
        "I animate short documentaries and want to test how the model keeps characters consistent."
    )
    problems = serious_violations(page)
    assert problems == [], "\n".join(problems)
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_text("Your application to Lumen was sent.")).to_be_visible()
    expect(page.locator(".badge", has_text="Submitted")).to_be_visible()
    log_out(page)

    # Program staff accept the application into the cohort from the review page.
    log_in(page, base, "lead@example.com", totp_secret=STAFF_TOTP_SECRET)
    page.get_by_role("link", name="Applications", exact=True).click()
    page.get_by_role("link", name="Ada Artist").click()
    problems = serious_violations(page)
    assert problems == [], "\n".join(problems)
    page.get_by_label("Accept into a cohort (sends an invitation)").check()
    page.get_by_label("Cohort:", exact=True).select_option(label="Spring cohort")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("accepted; the invitation is on its way")).to_be_visible()
    log_out(page)

    # The artist follows the emailed link, reads and accepts the agreement.
    link = LINK.search(mail.outbox[-1].body).group(1)
    log_in(page, base, "ada@example.com")
    expect(page.get_by_role("heading", name="Invitations waiting for you")).to_be_visible()
    page.goto(link)
    expect(page.get_by_role("heading", name="You are invited to Lumen")).to_be_visible()
    problems = serious_violations(page)
    assert problems == [], "\n".join(problems)
    page.get_by_label("I have read this version of the participation agreement and I accept it.").check()
    expect(page.get_by_label("Public credit")).to_have_value("Ada Artist")  # her display name, to confirm or change
    page.get_by_label("Public credit").fill("Ada A.")
    page.get_by_role("button", name=re.compile("Accept the invitation")).click()

    expect(page.get_by_text("Welcome to Lumen! You are now an active artist.")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Lumen.*Spring cohort"))
    expect(row.locator(".badge", has_text="Active")).to_be_visible()
    expect(page.get_by_role("link", name="Download version 1")).to_be_visible()
    problems = serious_violations(page)
    assert problems == [], "\n".join(problems)
    assert Enrolment.objects.get(user__email="ada@example.com").status == Enrolment.Status.ACTIVE
    assert AgreementAcceptance.objects.get().content_hash == version.content_hash
    assert errors == [], "\n".join(errors)


def test_the_other_enrolment_pages_have_no_serious_accessibility_violations(live_server, page: Page):
    """The pages the flow above does not reach: a new version's diff, consent, leaving, and the staff pages."""
    program = make_program(slug="lumen")
    cohort = Cohort.objects.create(program=program, name="Spring cohort", capacity=5)
    lead = with_totp(make_user("lead@example.com", display_name="Lena Lead", is_staff=True))
    ProgramRole.objects.create(user=lead, program=program, role=ProgramRole.Role.STAFF)
    publish_agreement(program, actor=lead)
    artist = make_user("ada@example.com", display_name="Ada Artist")
    enrolment = enrol(artist, program, cohort=cohort)
    accept_current(enrolment)
    consent_set(user=artist, program=program, training=True, marketing=False, showcase=True)
    publish_agreement(program, AGREEMENT_V1.replace("every hour", "every hour, every two weeks,"), actor=lead)
    invitation_send(program=program, cohort=cohort, email="invitee@example.com", actor=lead)
    errors = collect_console_errors(page)
    base = live_server.url

    log_in(page, base, "ada@example.com")
    for path in ("/programs/lumen/agreement/", "/programs/lumen/consent/", "/programs/lumen/leave/"):
        page.goto(base + path)
        assert serious_violations(page) == [], path
    expect(page.get_by_role("button", name="Leave the program")).to_be_visible()
    log_out(page)

    log_in(page, base, "lead@example.com", totp_secret=STAFF_TOTP_SECRET)
    for path in (
        "/programs/lumen/staff/invitations/",
        "/programs/lumen/staff/artists/",
        f"/programs/staff/enrolments/{enrolment.pk}/",
    ):
        page.goto(base + path)
        assert serious_violations(page) == [], path
    assert errors == [], "\n".join(errors)
