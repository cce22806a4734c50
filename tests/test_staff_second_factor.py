"""Staff accounts need a second factor before the admin, the staff pages or anything else opens."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from programs.models import ProgramRole
from programs.services.roles import program_role_grant
from tests.access_table import EXPECTATIONS
from tests.conftest import PASSWORD, STAFF_TOTP_SECRET, make_user, totp_now, with_totp
from tests.test_access_matrix import world  # noqa: F401  (the matrix's objects, for every URL)

STAFF_PAGES = ["/admin/", "/programs/staff/applications/", "/me/"]


def staff_kinds(program) -> dict:
    program_staff = make_user("ps@example.com")
    program_role_grant(user=program_staff, program=program, role=ProgramRole.Role.STAFF)
    return {
        "superuser": make_user("su@example.com", is_staff=True, is_superuser=True),
        "is_staff": make_user("is@example.com", is_staff=True),
        "program staff": program_staff,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["superuser", "is_staff", "program staff"])
def test_a_staff_account_without_a_second_factor_is_sent_to_set_one_up(client, program, kind):
    user = staff_kinds(program)[kind]
    client.force_login_only(user)
    for page in STAFF_PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("mfa_activate_totp") + "?next="), page
    page = client.get("/admin/", follow=True)  # to the setup, through allauth's password confirmation
    assert page.redirect_chain[0][0].startswith(reverse("mfa_activate_totp"))
    assert "Staff accounts need a second factor" in page.text


@pytest.mark.django_db
def test_with_a_device_but_a_password_only_session_staff_confirm_the_second_factor(client, staff):
    client.force_login_only(staff)
    response = client.get("/admin/")
    assert response["Location"] == reverse("mfa_reauthenticate") + "?next=%2Fadmin%2F"
    response = client.post(response["Location"], {"code": totp_now()})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_signing_in_with_password_and_totp_opens_the_admin(client, superuser):
    response = client.post(reverse("account_login"), {"login": superuser.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    client.post(reverse("mfa_authenticate"), {"code": totp_now(STAFF_TOTP_SECRET)})
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_login_code_alone_does_not_open_the_staff_pages(client, program):
    from tests.test_accounts import emailed_code

    user = staff_kinds(program)["program staff"]
    client.post(reverse("account_request_login_code"), {"email": user.email})
    client.post(reverse("account_confirm_login_code"), {"code": emailed_code()})
    assert "_auth_user_id" in client.session
    assert client.get("/programs/staff/applications/")["Location"].startswith(reverse("mfa_activate_totp"))


@pytest.mark.django_db
def test_enrolling_totp_then_confirming_opens_the_staff_pages(client, program):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    user = staff_kinds(program)["program staff"]
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})  # allauth asks before any MFA change
    setup = client.get(reverse("mfa_activate_totp"))
    secret = setup.context["form"].secret
    import time

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    client.post(reverse("mfa_activate_totp"), {"code": code})
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    confirm = client.get("/programs/staff/applications/")
    assert confirm["Location"].startswith(reverse("mfa_reauthenticate"))
    next_code = format_hotp_value(hotp_value(secret, int(time.time()) // 30 + 1))  # a code is used only once
    client.post(confirm["Location"], {"code": next_code})
    assert client.get("/programs/staff/applications/").status_code == 200


@pytest.mark.django_db
def test_artists_and_reviewers_need_no_second_factor(client, artist, reviewer):
    for person in (artist, reviewer):
        client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
        assert client.get(reverse("dashboard")).status_code == 200
        client.logout()


@pytest.mark.django_db
def test_no_page_a_staff_account_may_get_opens_without_the_second_factor(client, world):  # noqa: F811
    """Every URL of the access table that staff may GET: a password-only session is sent to the second factor."""
    client.force_login_only(world.users["staff"])
    for name, expect in EXPECTATIONS.items():
        url = reverse(name, kwargs=expect.kwargs(world))
        response = client.get(url)
        if url in ("/healthz", "/robots.txt", "/sitemap.xml"):
            assert response.status_code == 200
        else:
            assert response.status_code == 302 and "/accounts/2fa/" in response["Location"], url


def test_with_totp_gives_the_persona_a_working_device(db):
    user = with_totp(make_user("x@example.com"))
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).count() == 1


@pytest.mark.django_db
def test_the_demo_staff_sign_in_with_the_printed_authenticator_secret(client, demo):
    import io

    from django.core.management import call_command

    from demo.users import DEMO_PASSWORD, DEMO_TOTP_SECRET, PROGRAM_STAFF_NAME, STAFF_NAME, email_for

    printed = io.StringIO()
    call_command("seed_demo", force=True, stdout=printed)
    assert DEMO_TOTP_SECRET in printed.getvalue()
    for name in (STAFF_NAME, PROGRAM_STAFF_NAME):
        client.logout()
        response = client.post(reverse("account_login"), {"login": email_for(name), "password": DEMO_PASSWORD})
        assert response["Location"] == reverse("mfa_authenticate")
        client.post(reverse("mfa_authenticate"), {"code": totp_now(DEMO_TOTP_SECRET)})
        assert client.get("/admin/").status_code == 200, name
