"""Sign-up, verification by code, login by code, rate limits and the admin's route through allauth."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from portal.models import User
from tests.conftest import PASSWORD, make_user

CODE = re.compile(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4}|\d{6})\s*$", re.MULTILINE)


def emailed_code() -> str:
    match = CODE.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


@pytest.mark.django_db
def test_signup_needs_the_emailed_code_before_the_dashboard(client):
    response = client.post(
        reverse("account_signup"), {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("dashboard")).status_code == 302  # not yet logged in
    assert EmailAddress.objects.get(email="new@example.com").verified is False

    response = client.post(reverse("account_email_verification_sent"), {"code": emailed_code()})
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new@example.com").verified is True
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.django_db
def test_a_wrong_verification_code_is_refused(client):
    client.post(reverse("account_signup"), {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD})
    response = client.post(reverse("account_email_verification_sent"), {"code": "AAAA-AAAA"})
    assert response.status_code == 200
    assert "Incorrect code" in response.text
    assert EmailAddress.objects.get(email="new@example.com").verified is False


@pytest.mark.django_db
def test_the_user_model_uses_email_as_login_and_has_a_public_credit():
    user = User.objects.create_user(email="Ada@Example.com", password=PASSWORD, display_name="Ada")
    assert user.email == "ada@example.com"
    assert user.public_credit == "Ada"
    user.credit_name = "A. Lovelace"
    assert user.public_credit == "A. Lovelace"


@pytest.mark.django_db
def test_login_by_code_works_without_the_password(client):
    make_user("coder@example.com")
    response = client.post(reverse("account_request_login_code"), {"email": "coder@example.com"})
    assert response.status_code == 302
    response = client.post(reverse("account_confirm_login_code"), {"code": emailed_code()})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.django_db
def test_failed_logins_are_rate_limited(client):
    make_user("target@example.com")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "target@example.com", "password": "wrong-password"})
    response = client.post(reverse("account_login"), {"login": "target@example.com", "password": PASSWORD})
    assert response.status_code == 200  # allauth answers with the form, not a 429
    assert "Too many failed sign-in attempts" in response.text
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_admin_login_page_is_allauths(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'self' 'nonce-" in csp  # htmx is loaded with the request's nonce
