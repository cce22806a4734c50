"""Closing invitations: accepted, declined or revoked, each with its history row (Invitation.MOVES).

Its own module because enrolment, invitations and account deletion all close invitations, and the invitations
service builds on the enrolment service.
"""

from django.db.models import QuerySet
from django.utils import timezone

from core import lifecycle
from core.recorded import Said, columns
from programs.models import Invitation


def invitation_close(invitation: Invitation, to: str, *, actor, reason: Said | str = "", **changes) -> Invitation:
    """Close a pending invitation (the lifecycle refuses any other)."""
    closed = {"closed_at": timezone.now(), "closed_by": actor, **columns("close_reason", reason), **changes}
    return lifecycle.move(invitation, to, actor=actor, reason=reason, changes=closed)


def invitations_close_pending(invitations: QuerySet, to: str, *, actor, reason: Said | str) -> int:
    """Close every pending invitation of `invitations`, one history row each."""
    pending = list(invitations.filter(status=Invitation.Status.PENDING).order_by("pk"))
    for invitation in pending:
        invitation_close(invitation, to, actor=actor, reason=reason)
    return len(pending)
