"""The enrolment lifecycle: invited, active, paused, left, removed. One function per transition."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from core import lifecycle
from core.recorded import Said, columns
from programs.errors import TransitionRefused
from programs.models import Cohort, Enrolment, Invitation, Program, TrustedPublisher
from programs.services.invitation_states import invitations_close_pending

S = Enrolment.Status
# States in which an artist holds a seat in their cohort (invited artists hold one through their invitation).
SEAT_HOLDING = {S.ACTIVE, S.PAUSED}


def locked(enrolment: Enrolment) -> Enrolment:
    """Re-read the row under a lock, so concurrent transitions of one enrolment queue up."""
    return Enrolment.objects.select_for_update(of=("self",)).select_related("program", "user").get(pk=enrolment.pk)


def transition(enrolment: Enrolment, to: str, *, actor, reason: Said | str = "") -> Enrolment:
    """Move an enrolment to `to` (Enrolment.MOVES) with its history row."""
    return lifecycle.move(enrolment, to, actor=actor, reason=reason)


def enrolment_invite(*, user, program: Program, cohort: Cohort, actor, reason: Said | str = "") -> Enrolment:
    """Create the user's enrolment as invited, or bring a former artist back to invited. Inside a transaction."""
    enrolment = Enrolment.objects.select_for_update().filter(user=user, program=program).first()
    if enrolment is None:
        enrolment = Enrolment.objects.create(user=user, program=program, cohort=cohort)
        return lifecycle.start(enrolment, actor=actor, reason=reason)
    if enrolment.status != S.INVITED:
        if enrolment.status in SEAT_HOLDING:
            raise TransitionRefused(
                gettext("%(user)s is already %(status)s in %(program)s.")
                % {"user": user, "status": enrolment.get_status_display().lower(), "program": program}
            )
        transition(enrolment, S.INVITED, actor=actor, reason=reason)
    if enrolment.cohort_id != cohort.pk:
        enrolment.cohort = cohort
        enrolment.save(update_fields=["cohort"])
    return enrolment


def _end_place(
    enrolment: Enrolment, to: str, *, actor, reason: Said | str, invitations: str, trust_reason: Said
) -> Enrolment:
    """Leave or removal: the transition, then nothing pending or exempt survives it. Earnings are untouched."""
    transition(enrolment, to, actor=actor, reason=reason)
    invitations_close_pending(Invitation.objects.filter(enrolment=enrolment), invitations, actor=actor, reason=reason)
    TrustedPublisher.objects.in_force().filter(enrolment=enrolment).update(
        revoked_at=timezone.now(), revoked_by=actor, **columns("revoke_reason", trust_reason)
    )
    return enrolment


@transaction.atomic
def enrolment_leave(*, enrolment: Enrolment, actor, reason: str = "") -> Enrolment:
    """The artist leaves (or declines an invitation). Nothing they earned is touched: the ledger keeps it."""
    enrolment = locked(enrolment)
    if actor.pk != enrolment.user_id:
        raise TransitionRefused(gettext("Only the artist can leave a program; staff remove artists with a reason."))
    return _end_place(
        enrolment, S.LEFT, actor=actor, reason=reason.strip() or Said(gettext_noop("Left the program.")),
        invitations=Invitation.Status.DECLINED, trust_reason=Said(gettext_noop("The artist left the program.")),
    )  # fmt: skip


@transaction.atomic
def enrolment_remove(*, enrolment: Enrolment, actor, reason: str) -> Enrolment:
    """Staff remove an artist (or withdraw an invitation). The reason is recorded and shown to the artist."""
    if not reason.strip():
        raise TransitionRefused(gettext("Give the reason for removing this artist; it is recorded and shown to them."))
    return _end_place(
        locked(enrolment), S.REMOVED, actor=actor, reason=reason.strip(),
        invitations=Invitation.Status.REVOKED, trust_reason=Said(gettext_noop("Removed from the program.")),
    )  # fmt: skip


@transaction.atomic
def enrolment_pause(*, enrolment: Enrolment, actor, reason: str) -> Enrolment:
    if not reason.strip():
        raise TransitionRefused(gettext("Give the reason for pausing this artist."))
    return transition(locked(enrolment), S.PAUSED, actor=actor, reason=reason.strip())


@transaction.atomic
def enrolment_resume(*, enrolment: Enrolment, actor, reason: str = "") -> Enrolment:
    enrolment = locked(enrolment)
    if enrolment.status != S.PAUSED:
        # invited -> active is the artist's own step: it needs their acceptance of the agreement.
        raise TransitionRefused(
            gettext("Only a paused artist can be resumed; this one is %(status)s.")
            % {"status": enrolment.get_status_display()}
        )
    return transition(enrolment, S.ACTIVE, actor=actor, reason=reason.strip() or "Resumed.")
