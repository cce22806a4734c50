"""The account's own part of the export and erasure (see core.personal_records): the user row, email addresses,
second factors and sessions. Erased last: the other apps still find the person by email first."""

import secrets

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.utils import timezone

from core.personal_records import DELETED_DOMAIN, bound, kind, via
from portal.models import User

KINDS = (
    kind("profile", User, "Your account: email, names, how you are credited, pronouns and links, language, time "
         "zone and mail choices, when you joined.",
         "email display_name credit_name credit_anonymous public_credit pronouns portfolio_url social_url language "
         "time_zone mail_decisions mail_reminders mail_digests date_joined last_login staff_admin_access",
         lambda user: [user], staff_admin_access=via("is_staff")),
    kind("email_addresses", EmailAddress, "The email addresses on your account and whether each is verified.",
         "email verified primary", lambda user: EmailAddress.objects.filter(user=user).order_by("pk")),
    kind("second_factors", Authenticator, "Your second factors (authenticator app, recovery codes, passkeys): "
         "their kind and dates only, never their secrets.", "type created_at last_used_at",
         lambda user: Authenticator.objects.filter(user=user).order_by("pk")),
    kind("sessions", UserSession, "Where you are signed in: address, browser, first and last seen.",
         "ip_address user_agent created_at last_seen_at",
         lambda user: UserSession.objects.filter(user=user).order_by("created_at"),
         ip_address=via("ip")),
)  # fmt: skip

LEFT_OUT = {
    "accounts.DataExport": "The exports themselves: the list is on the export page.",
    "admin.LogEntry": "The staff admin's audit log of changes staff made; about the records changed, not you.",
}
FILES = ()


def records(user):
    return bound(KINDS, user)


def erase(user, *, reason: str) -> list[str]:
    """Sign-in closed (addresses, second factors, sessions) and the user row anonymised (the data exports are
    deleted by accounts.personal_data.deletion, which owns them)."""
    _close_sign_in(user)
    _anonymise(user)
    return []


def _close_sign_in(user: User) -> None:
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    for session in UserSession.objects.filter(user=user):
        session.end()


def _anonymise(user: User) -> None:
    user.email = f"deleted-{user.pk}-{secrets.token_hex(4)}@{DELETED_DOMAIN}"
    user.display_name = user.credit_name = user.pronouns = user.portfolio_url = user.social_url = ""
    user.time_zone = "UTC"
    user.set_unusable_password()  # also ends every other session: their auth hash no longer matches
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.deleted_at = timezone.now()
    user.save(
        update_fields=[
            "email", "display_name", "credit_name", "pronouns", "portfolio_url", "social_url", "time_zone",
            "password", "is_active", "is_staff", "is_superuser", "last_login", "deleted_at",
        ]
    )  # fmt: skip
    user.groups.clear()
    user.user_permissions.clear()
