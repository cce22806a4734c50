"""Deleting an account: personal data erased or anonymised; money, hours, decisions and contributions kept.

What is still pending is settled as the deletion page says: hours waiting for approval are withdrawn, the account
leaves every payout run under review, credits waiting to be booked are dropped, and what it is owed is given up
(no payout run includes a deleted account, and nothing more is credited or paid to it).

The user row stays, anonymised, because the ledger, hours, credits, decisions and reports point at it: the
program's records and its public transparency report keep their totals. What goes: the email address and names,
the password and second factors, sessions, exports, places in programs (left, with a history row), consent
(withdrawn), the video files and screenshots, drafts, notices, application answers, recorded IP addresses.
"""

import secrets
from functools import partial

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.errors import DomainError
from portal.models import User
from portal.personal_data.exports import discard_files, export_delete_all
from programs.models import (
    AgreementAcceptance,
    Application,
    ConsentRecord,
    Enrolment,
    Invitation,
    ProgramRole,
    TimeEntry,
)
from programs.selectors.enrolment import LEAVABLE
from programs.services.compensation import timeentry_withdraw
from programs.services.consent import consent_set, current_consent
from programs.services.credit_bookings import pending_credits_drop
from programs.services.enrolment import enrolment_leave
from programs.services.invitation_states import invitations_close_pending
from programs.services.payout_runs import payoutrun_items_withdraw
from submissions.models import BugReport, ReportNotice, ReviewClaim, Screenshot, Video, VideoThumbnail
from submissions.services.approvals import video_unpublish
from submissions.services.reports import bug_report_discard_draft
from submissions.services.videos import video_withdraw

REASON = "The artist deleted their account."
DELETED_DOMAIN = "deleted.invalid"  # .invalid never resolves (RFC 2606): no mail can reach a placeholder


class AccountDeletionRefused(DomainError):
    pass


def email_matches(user: User, typed: str) -> bool:
    return typed.strip().lower() == user.email.lower()


@transaction.atomic
def account_delete(*, user: User) -> User:
    """Erase or anonymise everything personal about `user`, in one transaction; files go after it commits."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_deleted:
        raise AccountDeletionRefused("This account was already deleted.")
    _leave_programs(user)
    _settle_pending_money(user)
    _withdraw_consent(user)
    files = _retire_videos(user) + _remove_report_material(user)
    export_delete_all(user=user)
    _erase_traces(user)
    _close_sign_in(user)
    _anonymise(user)
    transaction.on_commit(partial(discard_files, files))
    return user


def _leave_programs(user: User) -> None:
    for enrolment in Enrolment.objects.filter(user=user, status__in=LEAVABLE):
        enrolment_leave(enrolment=enrolment, actor=user, reason=REASON)


def _settle_pending_money(user: User) -> None:
    """Nothing stays payable to an account nobody can be paid at: see the page's "What happens to what is pending"."""
    waiting = TimeEntry.objects.filter(user=user, status__in=[TimeEntry.Status.PENDING, TimeEntry.Status.QUERIED])
    for entry in waiting.order_by("pk"):
        timeentry_withdraw(entry=entry, actor=user, reason=REASON)
    payoutrun_items_withdraw(user=user, reason=REASON)
    pending_credits_drop(user=user, reason=REASON)


def _withdraw_consent(user: User) -> None:
    """A new record with every use off, where anything was on: the history shows when consent ended."""
    for enrolment in Enrolment.objects.filter(user=user).select_related("program"):
        if any(current_consent(user, enrolment.program).choices().values()):
            consent_set(user=user, program=enrolment.program, training=False, marketing=False, showcase=False)


def _retire_videos(user: User) -> list[str]:
    """Published videos are unpublished (the credited person is gone) and the rest withdrawn, each with a
    history row; then every file goes. Rows, provenance, decisions and appeals stay."""
    for video in Video.objects.filter(artist=user).only("pk", "status", "artist_id"):
        if video.status == Video.Status.PUBLISHED:
            video_unpublish(video_id=video.pk, actor=user, reason=REASON)
        elif video.status in Video.WITHDRAWABLE:
            video_withdraw(video=video, actor=user, reason=REASON)
    videos = Video.objects.filter(artist=user)
    names = [name for pair in videos.values_list("file", "poster") for name in pair if name]
    thumbnails = VideoThumbnail.objects.filter(video__artist=user)
    names += [name for name in thumbnails.values_list("image", flat=True) if name]
    thumbnails.delete()
    videos.update(file="", poster="", original_filename="")
    return names


def _remove_report_material(user: User) -> list[str]:
    """Drafts are discarded; screenshots and notices deleted. Submitted reports and feedback stay as contributions."""
    for draft in BugReport.objects.filter(reporter=user, status=BugReport.Status.DRAFT):
        bug_report_discard_draft(report=draft, actor=user)
    screenshots = Screenshot.objects.filter(report__reporter=user)
    names = [name for pair in screenshots.values_list("file", "thumbnail") for name in pair if name]
    screenshots.delete()
    ReportNotice.objects.filter(user=user).delete()
    return names


def _erase_traces(user: User) -> None:
    """What identifies the person inside records that stay, and the roles that let them act."""
    Application.objects.filter(user=user).update(statement="", portfolio_links=[], answers=[])
    AgreementAcceptance.objects.filter(enrolment__user=user).update(ip_address=None, user_agent="")
    ConsentRecord.objects.filter(user=user).update(ip_address=None)
    invitations = Invitation.objects.filter(Q(user=user) | Q(email__iexact=user.email))
    invitations_close_pending(invitations, Invitation.Status.DECLINED, actor=user, reason=REASON)
    invitations.update(email=f"invitee-{user.pk}@{DELETED_DOMAIN}", message="")
    ProgramRole.objects.filter(user=user).delete()
    ReviewClaim.objects.filter(reviewer=user).delete()
    user.reviewer_groups.clear()


def _close_sign_in(user: User) -> None:
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    for session in UserSession.objects.filter(user=user):
        session.end()


def _anonymise(user: User) -> None:
    user.email = f"deleted-{user.pk}-{secrets.token_hex(4)}@{DELETED_DOMAIN}"
    user.display_name = user.credit_name = ""
    user.set_unusable_password()  # also ends every other session: their auth hash no longer matches
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.deleted_at = timezone.now()
    user.save(
        update_fields=[
            "email", "display_name", "credit_name", "password", "is_active", "is_staff", "is_superuser",
            "last_login", "deleted_at",
        ]
    )  # fmt: skip
    user.groups.clear()
    user.user_permissions.clear()
