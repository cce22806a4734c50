"""Invitations a person can take up now."""

from allauth.account.models import EmailAddress
from django.db.models import Q

from programs.models import Invitation


def open_invitations_for(user):
    """Pending, unexpired invitations addressed to this user or one of their verified addresses."""
    emails = [e.lower() for e in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)]
    addressed = Q(user=user) | Q(user__isnull=True, email__in=emails)
    return Invitation.objects.open().filter(addressed).select_related("program", "cohort")
