"""Invitations: a seat held in a cohort, offered by email, taken by accepting the current agreement."""

import datetime as dt

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from core import lifecycle
from core.recorded import Said
from programs.errors import CohortFull, InvitationUnusable, TransitionRefused
from programs.mails import invitation_mail_cancel, invitation_mail_send
from programs.models import Application, Cohort, Enrolment, Invitation, Program
from programs.public_credit import user_profile_update
from programs.services import enrolment as enrolments
from programs.services.agreements import check_current, record_acceptance
from programs.services.invitation_states import invitation_close


def seats_taken(cohort: Cohort) -> int:
    """Active and paused artists, plus pending invitations that have not expired (each holds a seat)."""
    members = Enrolment.objects.filter(cohort=cohort, status__in=enrolments.SEAT_HOLDING).count()
    return members + Invitation.objects.open().filter(cohort=cohort).count()


def _hold_seat(cohort: Cohort) -> Cohort:
    """Lock the cohort and make sure a seat is free. Two staff taking the last seat at once queue on the lock."""
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    taken = seats_taken(cohort)
    if taken >= cohort.capacity:
        raise CohortFull(
            gettext(
                "%(cohort)s is full (%(taken)s of %(capacity)s seats taken, counting pending invitations). "
                "Raise its capacity, choose another cohort, or waitlist the applicant."
            )
            % {"cohort": cohort.name, "taken": taken, "capacity": cohort.capacity},
            next_url=reverse("admin:programs_cohort_change", args=[cohort.pk]),
            next_label=_("Change the capacity of %(cohort)s") % {"cohort": cohort.name},
        )
    return cohort


def _verified_user_for(email: str):
    address = EmailAddress.objects.filter(email__iexact=email, verified=True).select_related("user").first()
    return address.user if address else None


def _expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=settings.INVITATION_VALID_DAYS)


def _invited(cohort: Cohort) -> Said:
    return Said(gettext_noop("Invited to %(cohort)s."), cohort=cohort.name)


def create_invitation(
    *, program: Program, cohort: Cohort, email: str, actor, message: str = "", application: Application | None = None
) -> Invitation:
    """Hold a seat and record the invitation; the email goes out after commit. Inside a transaction."""
    email = email.strip().lower()
    if cohort.program_id != program.pk:
        raise TransitionRefused(gettext("That cohort belongs to another program."))
    user = application.user if application else _verified_user_for(email)
    if application is None and user is not None:
        current = Enrolment.objects.filter(user=user, program=program).first()
        if current and current.status in enrolments.SEAT_HOLDING:
            raise TransitionRefused(
                gettext("%(email)s is already %(status)s in %(program)s.")
                % {"email": email, "status": current.get_status_display().lower(), "program": program}
            )
    stale = (
        Invitation.objects.select_for_update()
        .filter(program=program, email=email, status=Invitation.Status.PENDING)
        .first()
    )
    if stale is not None:
        if not stale.is_expired:
            raise TransitionRefused(
                gettext("%(email)s already has a pending invitation (expires %(day)s); resend it instead.")
                % {"email": email, "day": date_format(timezone.localtime(stale.expires_at))}
            )
        invitation_close(
            stale,
            Invitation.Status.REVOKED,
            actor=actor,
            reason=Said(gettext_noop("Expired; replaced by a new invitation.")),
        )
    cohort = _hold_seat(cohort)
    enrolment = None
    if user is not None:
        enrolment = enrolments.enrolment_invite(
            user=user, program=program, cohort=cohort, actor=actor, reason=_invited(cohort)
        )
    invitation = Invitation.objects.create(
        program=program,
        cohort=cohort,
        email=email,
        user=user,
        application=application,
        enrolment=enrolment,
        message=message.strip(),
        expires_at=_expiry(),
        created_by=actor,
    )
    lifecycle.start(invitation, actor=actor, reason=_invited(cohort))
    invitation_mail_send(invitation)
    return invitation


@transaction.atomic
def invitation_send(*, program: Program, cohort: Cohort, email: str, actor, message: str = "") -> Invitation:
    """Staff invite someone directly (they need not have applied, nor have an account yet)."""
    return create_invitation(program=program, cohort=cohort, email=email, actor=actor, message=message)


def _locked(invitation: Invitation) -> Invitation:
    return Invitation.objects.select_for_update(of=("self",)).select_related("program", "cohort").get(pk=invitation.pk)


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor) -> Invitation:
    """Send a fresh link (the old one stops working) and restart the expiry clock."""
    invitation = _locked(invitation)
    if invitation.status != Invitation.Status.PENDING:
        raise TransitionRefused(
            gettext("This invitation is %(status)s; it cannot be resent.")
            % {"status": invitation.get_status_display().lower()}
        )
    if invitation.is_expired:
        _hold_seat(invitation.cohort)  # an expired invitation had given its seat back
    invitation.token = Invitation._meta.get_field("token").default()
    invitation.expires_at = _expiry()
    invitation.save(update_fields=["token", "expires_at"])
    invitation_mail_send(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor, reason: str) -> Invitation:
    """Withdraw a pending invitation; the invited enrolment, if any, is removed with the same reason."""
    if not reason.strip():
        raise TransitionRefused(gettext("Give the reason for revoking this invitation."))
    invitation = _locked(invitation)
    if invitation.status != Invitation.Status.PENDING:
        raise TransitionRefused(
            gettext("This invitation is %(status)s; it cannot be revoked.")
            % {"status": invitation.get_status_display().lower()}
        )
    invitation_close(invitation, Invitation.Status.REVOKED, actor=actor, reason=reason.strip())
    invitation_mail_cancel(invitation)
    if invitation.enrolment_id and invitation.enrolment.status == Enrolment.Status.INVITED:
        enrolments.enrolment_remove(enrolment=invitation.enrolment, actor=actor, reason=reason)
    return invitation


def check_usable(invitation: Invitation, user) -> None:
    """Refuse, with a message for the person, an invitation they cannot accept now. Changes nothing.

    For a visitor who is not signed in, only the invitation itself is checked (they may sign in next).
    """
    if invitation.status == Invitation.Status.ACCEPTED:
        raise InvitationUnusable(
            gettext("This invitation has already been used. Each link works once."), status_code=410
        )
    if invitation.status in (Invitation.Status.REVOKED, Invitation.Status.DECLINED):
        raise InvitationUnusable(
            gettext("This invitation was %(status)s and can no longer be used.")
            % {"status": invitation.get_status_display().lower()},
            status_code=410,
        )
    if invitation.is_expired:
        raise InvitationUnusable(
            gettext("This invitation expired on %(day)s. Ask the %(program)s team to send you a new one.")
            % {"day": date_format(timezone.localtime(invitation.expires_at)), "program": invitation.program.name},
            status_code=410,
        )
    if not user.is_authenticated:
        return
    if invitation.user_id is not None:
        mine = invitation.user_id == user.pk
    else:
        mine = EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists()
    if not mine:
        raise InvitationUnusable(
            gettext(
                "This invitation was sent to a different email address. Sign in with the account for that address "
                "(or add and verify it under Account) to accept it."
            ),
            status_code=403,
        )


@transaction.atomic
def invitation_accept(
    *,
    invitation: Invitation,
    user,
    version_id: int,
    submitted_hash: str,
    ip_address: str | None,
    user_agent: str = "",
    credit: dict | None = None,
) -> Enrolment:
    """The invitee accepts the current agreement version and becomes an active artist. Single use.

    `credit` (credit_name, credit_anonymous) is how they chose to be credited publicly, asked on the same page."""
    invitation = _locked(invitation)
    check_usable(invitation, user)
    version = check_current(invitation.program, version_id=version_id, submitted_hash=submitted_hash)
    enrolment = enrolments.enrolment_invite(
        user=user,
        program=invitation.program,
        cohort=invitation.cohort,
        actor=invitation.created_by,
        reason=_invited(invitation.cohort),
    )
    enrolment = enrolments.transition(
        enrolments.locked(enrolment),
        Enrolment.Status.ACTIVE,
        actor=user,
        reason=Said(
            gettext_noop("Accepted the invitation and version %(version)s of the agreement."), version=version.version
        ),
    )
    record_acceptance(enrolment, version, ip_address=ip_address, user_agent=user_agent)
    if credit is not None:
        user_profile_update(user=user, **credit)
    invitation_close(invitation, Invitation.Status.ACCEPTED, actor=user, user=user, enrolment=enrolment)
    return enrolment
