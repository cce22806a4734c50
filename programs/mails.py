"""The enrolment mails: each builds its context and leaves through core.mail (templates under mail/)."""

import hashlib

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from core.mail import absolute_url, mail_send, mails_cancel
from programs.models import AgreementVersion, Application, Enrolment, Invitation


def invitation_mail_send(invitation: Invitation) -> None:
    """The invitation, with its current link; counted as sent when queued (the outbox never loses it)."""
    link = absolute_url(reverse("programs:invitation", args=[invitation.token]))
    context = {"invitation": invitation, "link": link}
    key = _invitation_key(invitation)
    mail_send(to=invitation.user or invitation.email, template="invitation", context=context, key=key)
    Invitation.objects.filter(pk=invitation.pk).update(sent_count=F("sent_count") + 1, last_sent_at=timezone.now())


def invitation_mail_cancel(invitation: Invitation) -> None:
    """A revoked invitation's mail that has not left yet never does: there is nothing to offer any more."""
    mails_cancel(keys=[_invitation_key(invitation)])


def _invitation_key(invitation: Invitation) -> str:
    """A resend has a new token, hence a new mail; the key names the token by its hash (the outbox keeps keys)."""
    return f"invitation:{invitation.pk}:{hashlib.sha256(invitation.token.encode()).hexdigest()[:16]}"


def application_decision_mail_send(application: Application) -> None:
    """A waiting list or a decline: no legal or money effect, so the artist may turn these off (profile)."""
    link = absolute_url(reverse("programs:application", args=[application.program.slug]))
    context = {"application": application, "link": link}
    mail_send(to=application.user, template="application_decision", context=context, optional="decisions")


def agreement_published_mails_send(version: AgreementVersion) -> None:
    """Tell each active or paused artist that a new version waits for them, once each, with a link to the diff."""
    link = absolute_url(reverse("programs:agreement", args=[version.program.slug]))
    enrolments = Enrolment.objects.filter(
        program_id=version.program_id, status__in=[Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED]
    ).select_related("user")
    for enrolment in enrolments.order_by("pk"):
        artist = enrolment.user
        context = {"version": version, "link": link, "artist": artist}
        key = f"agreement-published:{version.pk}:{artist.pk}"
        mail_send(to=artist, template="agreement_published", context=context, key=key)
