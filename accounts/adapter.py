"""How allauth runs here: the client's address, failed sign-in limits that a stranger cannot turn against the
owner, and a signup that takes as long for a registered address as for a new one.

Failed passwords and second-factor codes are limited per account *and* client (5 in 5 minutes), so a stranger's
failures never refuse the owner's own client. A higher ceiling per account (100 an hour) stops guessing spread
over many addresses; once it is reached, password sign-in pauses for that account but a one-time code sent to the
owner's address still signs them in, and a password reset lifts it. Settings: ACCOUNT_RATE_LIMITS.
"""

from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context
from allauth.core.internal import ratelimit
from allauth.mfa.base.forms import AuthenticateForm as AllauthMfaAuthenticateForm
from allauth.mfa.base.forms import ReauthenticateForm as AllauthMfaReauthenticateForm
from django import forms
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.queued_mail import QueuedMailAdapter
from core.client_ip import client_ip
from core.time_zones import is_time_zone

APP = "allauth.account"


def failed_signin_consume(request: HttpRequest, *, account: str) -> ratelimit.RateLimitUsage:
    """Count one sign-in attempt on `account` from this client, or refuse it; roll the usage back on success."""
    client_key = f"{account}|{get_adapter().get_client_ip(request)}"
    per_client = ratelimit.consume(request, app=APP, action="login_failed_client", key=client_key)
    if not per_client:
        raise get_adapter().validation_error("too_many_login_attempts")
    per_account = ratelimit.consume(request, app=APP, action="login_failed_account", key=account)
    if not per_account:
        per_client.rollback()
        raise get_adapter().validation_error("too_many_login_attempts_on_account")
    return ratelimit.RateLimitUsage(usage=per_client.usage + per_account.usage)


def failed_signin_clear(request: HttpRequest, *, account: str) -> None:
    client_key = f"{account}|{get_adapter().get_client_ip(request)}"
    ratelimit.clear(request, app=APP, action="login_failed_client", key=client_key)
    ratelimit.clear(request, app=APP, action="login_failed_account", key=account)


class AccountAdapter(QueuedMailAdapter):
    """Its mail leaves through the mail queue (QueuedMailAdapter); the rest is about sign-in limits."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _("Too many failed sign-in attempts from here. Try again in a few minutes."),
        "too_many_login_attempts_on_account": _(
            "This account has had too many failed sign-in attempts from many places, so password sign-in is "
            "paused for an hour. Sign in with a one-time code sent to your email address instead."
        ),
    }

    def get_client_ip(self, request: HttpRequest) -> str:
        """The one client address of core.client_ip, for the rate limits and the list of sessions."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        super().pre_authenticate(request, **credentials)  # allauth's per-client limit, across accounts
        self._account_usage = failed_signin_consume(request, account=_account(credentials))

    def _rollback_login_failed_rl_usage(self) -> None:
        super()._rollback_login_failed_rl_usage()
        usage = getattr(self, "_account_usage", None)
        if usage:
            usage.rollback()

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials) -> None:
        """After a successful password reset (itself rate limited): the owner's limits start afresh."""
        super()._delete_login_attempts_cached_email(request, **credentials)
        failed_signin_clear(request, account=_account(credentials))


def _account(credentials: dict) -> str:
    return "password:" + credentials.get("email", credentials.get("username", "")).lower()


class SignupForm(AllauthSignupForm):
    # The browser's own zone (static/js/time-zone.js fills it in); an unknown or missing one leaves UTC. The new
    # account also keeps the language the visitor signed up in. Both can be changed on the profile.
    time_zone = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput(attrs={"data-time-zone": ""}))

    def clean_time_zone(self) -> str:
        zone = self.cleaned_data.get("time_zone", "")
        return zone if is_time_zone(zone) else ""

    def custom_signup(self, request: HttpRequest, user) -> None:
        super().custom_signup(request, user)
        user.time_zone = self.cleaned_data.get("time_zone") or user.time_zone
        language = translation.get_language()
        if language in dict(settings.LANGUAGES):
            user.language = language
        user.save(update_fields=["time_zone", "language"])

    def try_save(self, request: HttpRequest):
        if self.account_already_exists:
            # A new account's password is hashed; without the same work here, the answer's time would tell
            # which addresses are registered.
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)


class LimitedCodeMixin:
    """Second-factor codes limited per account and client like the password (see the module's docstring)."""

    def clean_code(self) -> str:
        usage = failed_signin_consume(context.request, account=f"mfa:{self.user.pk}")
        code = super().clean_code()
        usage.rollback()
        return code


class MfaAuthenticateForm(LimitedCodeMixin, AllauthMfaAuthenticateForm):
    """The second-factor step of signing in."""


class MfaReauthenticateForm(LimitedCodeMixin, AllauthMfaReauthenticateForm):
    """Confirming with the second factor while signed in (before deleting the account, or opening staff pages)."""
