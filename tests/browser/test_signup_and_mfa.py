"""A person signs up, verifies by emailed code, sets up TOTP and logs in with it, in real Chromium."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CODE = re.compile(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", re.MULTILINE)


def totp(secret: str, *, window: int = 0) -> str:
    """The code an authenticator app shows now (window=0) or in the next 30 s window (window=1)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + window))


def collect_console_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def test_signup_verify_totp_logout_and_login_with_second_factor(live_server, page: Page):
    errors = collect_console_errors(page)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign up").click()
    page.fill("input[name=email]", "newartist@example.com")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.get_by_role("button", name="Sign Up").click()

    expect(page.locator("input[name=code]")).to_be_visible()
    page.fill("input[name=code]", CODE.search(mail.outbox[-1].body).group(1))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()

    page.goto(live_server.url + "/accounts/2fa/totp/activate/")
    page.fill("input[name=password]", PASSWORD)  # allauth asks to re-authenticate before adding a factor
    page.get_by_role("button", name="Confirm").click()
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name=code]", totp(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_text(re.compile("Authenticator app activated", re.I))).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    page.get_by_role("link", name="Log in").click()
    page.fill("input[name=login]", "newartist@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page).to_have_url(re.compile("/accounts/2fa/authenticate/"))
    # A code is accepted once; the next window's code is within the settings' one-window tolerance.
    page.fill("input[name=code]", totp(secret, window=1))
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    assert page.url.endswith("/me/")
    assert errors == [], "\n".join(errors)
