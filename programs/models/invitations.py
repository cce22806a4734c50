"""Invitations into a cohort: an emailed, single-use, expiring link."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import HistoryEvent
from core.recorded import said_column, shown
from programs.models.applications import Application
from programs.models.core import Cohort, Enrolment, Program


def new_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def open(self) -> "InvitationQuerySet":
        """Pending and not yet expired: these hold a seat in their cohort."""
        return self.filter(status=Invitation.Status.PENDING, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An offer of a seat. The token alone grants nothing: accepting needs the invited, verified email."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Revoked")

    # A pending invitation is closed once: accepted, declined (or given up with the account) or revoked.
    MOVES = {"": {Status.PENDING}, Status.PENDING: {Status.ACCEPTED, Status.DECLINED, Status.REVOKED}}

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitations")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField(help_text=_("Only a person signed in with this verified address can accept."))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        help_text=_("The invitee, when they already had an account."),
    )
    application = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    message = models.TextField(blank=True, help_text=_("A personal note included in the email."))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    expires_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_count = models.PositiveSmallIntegerField(default=0)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, help_text=_("When it was accepted, declined or revoked."))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    close_reason = models.TextField(blank=True)
    close_reason_said = said_column()

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "email"], condition=Q(status="pending"), name="one_pending_invitation_per_email"
            ),
        ]
        indexes = [models.Index(fields=["cohort", "status", "expires_at"])]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.program}"

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at <= timezone.now()

    @property
    def state(self) -> str:
        """The status as people think of it: a pending invitation past its date is expired."""
        return "expired" if self.is_expired else self.status

    def get_state_display(self) -> str:
        return _("Expired") if self.is_expired else self.get_status_display()

    @property
    def close_reason_text(self) -> str:
        """Why it was closed, in the reader's language (a system sentence) or as typed."""
        return shown(self.close_reason, self.close_reason_said)

    def history_row(self, **fields) -> "InvitationEvent":
        return InvitationEvent(invitation=self, **fields)


class InvitationEvent(HistoryEvent):
    """History of an invitation: sent, then accepted, declined or revoked."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="events")

    class Meta(HistoryEvent.Meta):
        verbose_name = _("invitation event")
        verbose_name_plural = _("invitation events")
        constraints = [models.CheckConstraint(condition=~Q(to_status=""), name="invitation_event_has_target")]
