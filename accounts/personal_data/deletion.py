"""Deleting an account: personal data erased or anonymised; money, hours, decisions and contributions kept.

What is still pending is settled as the deletion page says: hours waiting for approval are withdrawn, the account
leaves every payout run under review, credits waiting to be booked are dropped, and what it is owed is given up
(no payout run includes a deleted account, and nothing more is credited or paid to it).

The user row stays, anonymised, because the ledger, hours, credits, decisions and reports point at it: the
program's records and its public transparency report keep their totals. What goes: the email address and names,
the password and second factors, sessions, exports, places in programs (left, with a history row), consent
(withdrawn), the video files and screenshots, drafts, notices, application answers, recorded IP addresses.
"""

from functools import partial

from django.db import transaction
from django.utils.translation import gettext

from accounts.personal_data import account
from accounts.personal_data.exports import discard_files, export_delete_all
from accounts.personal_data.sources import app_sources
from core.errors import DomainError
from portal.models import User

REASON = "The artist deleted their account."


class AccountDeletionRefused(DomainError):
    pass


def email_matches(user: User, typed: str) -> bool:
    return typed.strip().lower() == user.email.lower()


@transaction.atomic
def account_delete(*, user: User) -> User:
    """Erase or anonymise everything personal about `user`, in one transaction, through each app's own erase
    (core.personal_records); the files they return are deleted after it commits."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_deleted:
        raise AccountDeletionRefused(gettext("This account was already deleted."))
    files = [name for source in app_sources() for name in source.erase(user, reason=REASON)]
    export_delete_all(user=user)
    account.erase(user, reason=REASON)  # last: the apps above still found the person by email address and roles
    transaction.on_commit(partial(discard_files, files))
    return user
