"""Limits that know the real client behind our proxies, and that a stranger cannot turn against the owner.

Every request goes through the real middleware and allauth's views; clients differ only by what our proxy
(REMOTE_ADDR 10.0.0.2) appended to X-Forwarded-For."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from portal.env import env_client_ip_source
from tests.conftest import PASSWORD, make_user

PROXY = "10.0.0.2"
OWNER_IP, STRANGER_IP = "203.0.113.50", "198.51.100.7"


def behind_proxy(ip: str, *, forged: str = "") -> Client:
    """A browser at `ip`, seen through our one proxy; `forged` is what the browser itself put in the header."""
    chain = f"{forged}, {ip}" if forged else ip
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=chain)


@pytest.fixture(autouse=True)
def _one_proxy(settings):
    settings.CLIENT_IP_HEADER, settings.TRUSTED_PROXY_COUNT = "HTTP_X_FORWARDED_FOR", 1


def sign_in(client: Client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def owner(db):
    return make_user("owner@example.com")


def test_one_clients_failures_do_not_limit_another_client(db):
    """Eleven failures from one client (over many accounts) used to refuse every user behind the proxy."""
    for number in range(12):
        make_user(f"user{number}@example.com")
        sign_in(behind_proxy(STRANGER_IP), f"user{number}@example.com", "wrong-password")
    refused = sign_in(behind_proxy(STRANGER_IP), "user11@example.com", PASSWORD)
    assert "Too many failed sign-in attempts from here" in refused.text
    other = behind_proxy(OWNER_IP)
    sign_in(other, "user11@example.com", PASSWORD)
    assert signed_in(other)


def test_a_forged_leftmost_address_does_not_make_a_new_client(db):
    make_user("target@example.com")
    for number in range(10):
        sign_in(behind_proxy(STRANGER_IP, forged=f"192.0.2.{number}"), "target@example.com", "wrong-password")
    attacker = behind_proxy(STRANGER_IP, forged="192.0.2.200")
    response = sign_in(attacker, "target@example.com", PASSWORD)
    assert "Too many failed sign-in attempts from here" in response.text
    assert not signed_in(attacker)


def test_a_stranger_cannot_lock_the_owner_out_with_wrong_passwords(owner):
    for _ in range(6):
        sign_in(behind_proxy(STRANGER_IP), owner.email, "wrong-password")
    stranger = behind_proxy(STRANGER_IP)
    assert "Too many failed" in sign_in(stranger, owner.email, PASSWORD).text
    assert not signed_in(stranger), "the stranger's client is limited even with the right password"
    mine = behind_proxy(OWNER_IP)
    sign_in(mine, owner.email, PASSWORD)
    assert signed_in(mine)


def test_the_owners_own_failures_still_limit_the_owners_client(owner):
    for _ in range(5):
        sign_in(behind_proxy(OWNER_IP), owner.email, "wrong-password")
    mine = behind_proxy(OWNER_IP)
    assert "Too many failed sign-in attempts from here" in sign_in(mine, owner.email, PASSWORD).text


def test_a_successful_sign_in_does_not_wipe_the_failures_before_it(owner):
    """As allauth does: a success rolls back only its own attempt, so it cannot be interleaved with guesses."""
    for _ in range(4):
        sign_in(behind_proxy(STRANGER_IP), owner.email, "wrong-password")
    sign_in(behind_proxy(STRANGER_IP), owner.email, PASSWORD)
    sign_in(behind_proxy(STRANGER_IP), owner.email, "wrong-password")
    assert "Too many failed" in sign_in(behind_proxy(STRANGER_IP), owner.email, PASSWORD).text


def test_guesses_spread_over_many_clients_pause_passwords_but_a_code_by_email_still_signs_in(owner, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed_account": "12/h/key"}
    for number in range(12):
        sign_in(behind_proxy(f"198.51.100.{number + 10}"), owner.email, "wrong-password")
    mine = behind_proxy(OWNER_IP)
    response = sign_in(mine, owner.email, PASSWORD)
    assert "Sign in with a one-time code sent to your email address" in response.text
    assert not signed_in(mine)

    from tests.test_accounts import emailed_code

    mine.post(reverse("account_request_login_code"), {"email": owner.email})
    mine.post(reverse("account_confirm_login_code"), {"code": emailed_code()})
    assert signed_in(mine)


def totp_code(secret: str, *, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def wrong_code(secret: str) -> str:
    valid = {totp_code(secret, offset=step) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


@pytest.fixture
def owner_with_totp(owner):
    secret = generate_totp_secret()
    TOTP.activate(owner, secret)
    return owner, secret


def test_a_stranger_with_the_password_cannot_lock_the_owners_second_factor(owner_with_totp):
    owner, secret = owner_with_totp
    stranger = behind_proxy(STRANGER_IP)
    assert sign_in(stranger, owner.email, PASSWORD)["Location"] == reverse("mfa_authenticate")
    for _ in range(5):
        stranger.post(reverse("mfa_authenticate"), {"code": wrong_code(secret)})
    response = stranger.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert "Too many failed" in response.text
    assert not signed_in(stranger)

    mine = behind_proxy(OWNER_IP)
    sign_in(mine, owner.email, PASSWORD)
    mine.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert signed_in(mine)


def test_second_factor_guesses_spread_over_many_clients_reach_the_account_ceiling(owner_with_totp, settings):
    owner, secret = owner_with_totp
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed_account": "6/h/key"}
    for number in range(3):
        guesser = behind_proxy(f"198.51.100.{number + 10}")
        sign_in(guesser, owner.email, PASSWORD)
        for _ in range(2):
            guesser.post(reverse("mfa_authenticate"), {"code": wrong_code(secret)})
    last = behind_proxy("198.51.100.99")
    sign_in(last, owner.email, PASSWORD)
    response = last.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert "too many failed sign-in attempts from many places" in response.text
    assert not signed_in(last)


def test_the_ip_recorded_with_sessions_is_the_client_behind_the_proxy(owner):
    from allauth.usersessions.models import UserSession

    sign_in(behind_proxy(OWNER_IP, forged="6.6.6.6"), owner.email, PASSWORD)
    assert UserSession.objects.get(user=owner).ip == OWNER_IP


@pytest.mark.parametrize(
    ("header", "count", "expected"),
    [
        ("", None, ("", 0)),
        ("REMOTE_ADDR", None, ("", 0)),
        ("HTTP_X_FORWARDED_FOR", None, ("HTTP_X_FORWARDED_FOR", 1)),  # the old setting alone keeps working
        ("X-Forwarded-For", "2", ("HTTP_X_FORWARDED_FOR", 2)),
        ("HTTP_X_REAL_IP", None, ("HTTP_X_REAL_IP", 1)),
        ("X-Real-IP", "1", ("HTTP_X_REAL_IP", 1)),
    ],
)
def test_the_client_ip_settings_are_read_together(monkeypatch, header, count, expected):
    monkeypatch.setenv("CLIENT_IP_HEADER", header)
    if count is None:
        monkeypatch.delenv("TRUSTED_PROXY_COUNT", raising=False)
    else:
        monkeypatch.setenv("TRUSTED_PROXY_COUNT", count)
    assert env_client_ip_source() == expected


@pytest.mark.parametrize(
    ("header", "count", "message"),
    [
        ("", "1", "needs CLIENT_IP_HEADER"),
        ("X-Forwarded-For", "0", "at least one proxy"),
        ("X-Real-IP", "2", "must be 1"),
        ("X-Forwarded-For", "two", "not a whole number"),
    ],
)
def test_contradicting_client_ip_settings_fail_loudly(monkeypatch, header, count, message):
    monkeypatch.setenv("CLIENT_IP_HEADER", header)
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", count)
    with pytest.raises(ImproperlyConfigured, match=message):
        env_client_ip_source()


@pytest.mark.parametrize(
    ("count", "chain", "expected"),
    [
        (1, "6.6.6.6, 203.0.113.50", "203.0.113.50"),
        (2, "6.6.6.6, 203.0.113.50, 10.0.0.9", "203.0.113.50"),
        (2, "203.0.113.50", PROXY),  # fewer addresses than proxies: it did not come through them all
        (1, "not-an-ip", PROXY),
    ],
)
def test_the_client_is_counted_from_the_right(rf, settings, count, chain, expected):
    from core.client_ip import client_ip

    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=chain)) == expected


def test_without_a_trusted_header_forwarded_addresses_are_ignored(rf, settings):
    from core.client_ip import client_ip

    settings.CLIENT_IP_HEADER, settings.TRUSTED_PROXY_COUNT = "", 0
    assert client_ip(rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6")) == PROXY


def test_confirming_with_the_second_factor_while_signed_in_is_limited_too(client, owner_with_totp):
    """A stolen session cannot guess codes to pass the confirmation that account deletion and staff pages ask."""
    owner, secret = owner_with_totp
    client.force_login_only(owner)
    for _ in range(5):
        client.post(reverse("mfa_reauthenticate"), {"code": wrong_code(secret)})
    response = client.post(reverse("mfa_reauthenticate"), {"code": totp_code(secret)})
    assert "Too many failed" in response.text
