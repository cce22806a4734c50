"""Trusted publishers: staff exempt an active artist from pre-publication review, with a recorded reason."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from programs.errors import TransitionRefused
from programs.models import Enrolment, TrustedPublisher
from programs.services.enrolment import locked


@transaction.atomic
def trusted_publisher_grant(*, enrolment: Enrolment, actor, reason: str) -> TrustedPublisher:
    if not reason.strip():
        raise TransitionRefused(
            gettext("Give the reason for trusting this artist; it is recorded and counted publicly.")
        )
    enrolment = locked(enrolment)
    if enrolment.status != Enrolment.Status.ACTIVE:
        raise TransitionRefused(
            gettext("Only active artists can be trusted; %(user)s is %(status)s.")
            % {"user": enrolment.user, "status": enrolment.status}
        )
    if TrustedPublisher.objects.in_force().filter(enrolment=enrolment).exists():
        raise TransitionRefused(
            gettext("%(user)s is already a trusted publisher in %(program)s.")
            % {"user": enrolment.user, "program": enrolment.program}
        )
    return TrustedPublisher.objects.create(enrolment=enrolment, granted_by=actor, reason=reason.strip())


@transaction.atomic
def trusted_publisher_revoke(*, enrolment: Enrolment, actor, reason: str) -> TrustedPublisher:
    """End the exemption in force for this artist in this program."""
    if not reason.strip():
        raise TransitionRefused(gettext("Give the reason for ending this exemption."))
    grant = TrustedPublisher.objects.select_for_update().in_force().filter(enrolment=enrolment).first()
    if grant is None:
        raise TransitionRefused(
            gettext("%(user)s is not a trusted publisher in %(program)s.")
            % {"user": enrolment.user, "program": enrolment.program}
        )
    grant.revoked_at, grant.revoked_by, grant.revoke_reason = timezone.now(), actor, reason.strip()
    grant.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return grant
