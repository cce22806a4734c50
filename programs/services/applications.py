"""Applications: submitted by an artist, decided by program staff (accept into a cohort, waitlist, decline)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from core import lifecycle
from core.recorded import Said, columns
from programs.errors import ApplicationRefused, TransitionRefused
from programs.mails import application_decision_mail_send
from programs.models import Application, Cohort, Enrolment, Program
from programs.services.invitations import create_invitation

A = Application.Status

# Enrolment states in which applying again makes no sense: the person is already in, or on the way in.
ALREADY_IN = {Enrolment.Status.INVITED, Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED}


def application_submit(
    *, program: Program, user, portfolio_links: list[str], statement: str, answers: list[dict]
) -> Application:
    if not program.accepts_applications:
        raise ApplicationRefused(
            gettext("%(program)s is not accepting applications (%(status)s).")
            % {"program": program.name, "status": program.get_status_display()}
        )
    enrolment = Enrolment.objects.filter(user=user, program=program).first()
    if enrolment is not None and enrolment.status in ALREADY_IN:
        raise ApplicationRefused(
            gettext("You are already %(status)s in %(program)s.")
            % {"status": enrolment.get_status_display().lower(), "program": program.name}
        )
    if Application.objects.filter(program=program, user=user).exists():
        raise ApplicationRefused(
            gettext("You have already applied to %(program)s; each person applies once.") % {"program": program.name}
        )
    try:
        with transaction.atomic():
            application = Application.objects.create(
                program=program, user=user, portfolio_links=portfolio_links, statement=statement, answers=answers
            )
            lifecycle.start(application, actor=user)
    except IntegrityError:  # a double click that raced the check above
        raise ApplicationRefused(
            gettext("You have already applied to %(program)s; each person applies once.") % {"program": program.name}
        ) from None
    return application


def _decide(
    application: Application, to: str, *, actor, reason: Said | str, cohort: Cohort | None = None
) -> Application:
    """Record a decision on a locked application and its history row. Inside a transaction."""
    decision = {
        **columns("decision_reason", reason),
        "cohort": cohort,
        "decided_by": actor,
        "decided_at": timezone.now(),
    }
    return lifecycle.move(application, to, actor=actor, reason=reason, changes=decision)


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update(of=("self",)).select_related("program", "user").get(pk=application.pk)


@transaction.atomic
def application_accept(*, application: Application, cohort: Cohort, actor, reason: str = "") -> Application:
    """Accept into a cohort: holds a seat (refused when the cohort is full) and emails an invitation."""
    application = _locked(application)
    if cohort.program_id != application.program_id:
        raise TransitionRefused(gettext("That cohort belongs to another program."))
    application = _decide(application, A.ACCEPTED, actor=actor, reason=reason.strip(), cohort=cohort)
    create_invitation(
        program=application.program,
        cohort=cohort,
        email=application.user.email,
        actor=actor,
        application=application,
    )
    return application


@transaction.atomic
def application_waitlist(*, application: Application, actor, reason: str = "") -> Application:
    application = _decide(_locked(application), A.WAITLISTED, actor=actor, reason=reason.strip())
    application_decision_mail_send(application)
    return application


@transaction.atomic
def application_decline(*, application: Application, actor, reason: str) -> Application:
    if not reason.strip():
        raise TransitionRefused(gettext("Give the reason for declining; the applicant will read it."))
    application = _decide(_locked(application), A.DECLINED, actor=actor, reason=reason.strip())
    application_decision_mail_send(application)
    return application


@transaction.atomic
def application_withdraw(*, application: Application, actor) -> Application:
    application = _locked(application)
    if actor.pk != application.user_id:
        raise TransitionRefused(gettext("Only the applicant can withdraw an application."))
    return _decide(application, A.WITHDRAWN, actor=actor, reason=Said(gettext_noop("Withdrawn by the applicant.")))
