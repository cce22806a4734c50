"""Enrolment emails. Each task takes an id, loads the row and sends one kind of message; safe to retry."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from portal.batch import each_in_own_transaction
from programs.models import AgreementVersion, Application, Enrolment, Invitation
from programs.tasks.mail import EMAIL_TASK, absolute, send_template


@shared_task(**EMAIL_TASK)
def send_invitation_email(invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("program", "cohort").filter(pk=invitation_id).first()
    if invitation is None or invitation.status != Invitation.Status.PENDING:
        return  # revoked or accepted before the mail went out: nothing to offer
    link = absolute(reverse("programs:invitation", args=[invitation.token]))
    send_template("programs/emails/invitation.txt", {"invitation": invitation, "link": link}, [invitation.email])
    Invitation.objects.filter(pk=invitation.pk).update(sent_count=F("sent_count") + 1, last_sent_at=timezone.now())


@shared_task(**EMAIL_TASK)
def send_application_decision_email(application_id: int) -> None:
    application = Application.objects.select_related("program", "user").get(pk=application_id)
    link = absolute(reverse("programs:application", args=[application.program.slug]))
    context = {"application": application, "link": link}
    send_template("programs/emails/application_decision.txt", context, [application.user.email])


@shared_task(time_limit=60, soft_time_limit=50)
def notify_agreement_published(version_id: int) -> None:
    """Fan out one email task per active or paused artist, so a failure retries one message, not all."""
    version = AgreementVersion.objects.get(pk=version_id)
    artists = Enrolment.objects.filter(
        program_id=version.program_id, status__in=[Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED]
    ).values_list("user_id", flat=True)
    each_in_own_transaction(
        "agreement notices", artists, lambda user_id: send_agreement_notice.delay(version_id, user_id)
    )


@shared_task(**EMAIL_TASK)
def send_agreement_notice(version_id: int, user_id: int) -> None:
    """Tell one artist that a new version waits for them, with a link to the diff."""
    version = AgreementVersion.objects.select_related("program").get(pk=version_id)
    artist = get_user_model().objects.get(pk=user_id)
    link = absolute(reverse("programs:agreement", args=[version.program.slug]))
    context = {"version": version, "link": link, "artist": artist}
    send_template("programs/emails/agreement_published.txt", context, [artist.email])
