"""Staff accounts need a second factor: until this session has passed one, a staff account opens only its account
pages (where it sets one up or confirms it), never the admin, the staff pages or anything else.

"Passed" is what allauth records in the session when its second-factor step (TOTP, recovery code or passkey)
succeeds, at login or on re-authentication; a password or an emailed code alone is not enough.
"""

from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from programs.access import programs_staffed_by

# The account pages (login, logout, second-factor setup) and what pages need to load.
OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/robots.txt", "/sitemap.xml")


def is_staff_account(user) -> bool:
    """May reach the admin or any program's staff pages."""
    return user.is_staff or user.is_superuser or programs_staffed_by(user).exists()


def passed_second_factor(request: HttpRequest) -> bool:
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


class StaffSecondFactorMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and not passed_second_factor(request)
            and is_staff_account(user)
        ):
            return _to_second_factor(request)
        return self.get_response(request)


def _to_second_factor(request: HttpRequest) -> HttpResponse:
    if Authenticator.objects.filter(user=request.user).exclude(type=Authenticator.Type.RECOVERY_CODES).exists():
        messages.info(request, _("Staff pages need your second factor: confirm with your authenticator or passkey."))
        target = "mfa_reauthenticate"
    else:
        messages.warning(
            request,
            _(
                "Staff accounts need a second factor. Set up an authenticator app here (or add a passkey under "
                "Two-Factor Authentication), then confirm with it to open the staff pages."
            ),
        )
        target = "mfa_activate_totp"
    return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
