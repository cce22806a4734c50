"""Confirming who someone is before an irreversible step, through allauth's own reauthentication pages.

allauth's `reauthentication_required` accepts any recent reauthentication, so a password would do for an account
protected by a second factor. Here the strongest factor is asked for: a person with an authenticator app, recovery
codes or a passkey confirms with it; a person without one confirms with their password.
"""

import time

from allauth.account import app_settings as account_settings

# allauth 65 keeps the session's record of sign-ins here (pinned in requirements.txt); it has no public reader.
from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

# allauth's reauthentication page for each second factor, preferred first (recovery codes are the fallback).
FACTOR_PAGES = (
    (Authenticator.Type.TOTP, "mfa_reauthenticate"),
    (Authenticator.Type.WEBAUTHN, "mfa_reauthenticate_webauthn"),
    (Authenticator.Type.RECOVERY_CODES, "mfa_reauthenticate"),
)


def required_method(user) -> str:
    """'mfa' when the account has a second factor, else 'password'."""
    return "mfa" if is_mfa_enabled(user) else "password"


def recently_reauthenticated(request: HttpRequest) -> bool:
    """The person confirmed who they are, with their strongest factor, within ACCOUNT_REAUTHENTICATION_TIMEOUT."""
    method = required_method(request.user)
    confirmed = [
        record
        for record in get_authentication_records(request, request.user)
        if record.get("reauthenticated") and record.get("method") == method
    ]
    return bool(confirmed) and time.time() - confirmed[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT


def reauthentication_url(request: HttpRequest, next_url: str) -> str | None:
    """allauth's page that asks for the strongest factor, returning to `next_url`; None when there is none
    (an account without a password or a second factor must set a password first)."""
    user = request.user
    page = next((page for kind, page in FACTOR_PAGES if is_mfa_enabled(user, types=[kind])), None)
    if page is None and user.has_usable_password():
        page = "account_reauthenticate"
    if page is None:
        return None
    return f"{reverse(page)}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"
