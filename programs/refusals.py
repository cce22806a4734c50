"""Why someone may not do something, in words they can act on.

programs.access answers *whether*; this module answers *why not* and *what unblocks it*, as a
core.errors.Refusal (a 403 whose page names the reason and links the next step). Views raise these
instead of a bare PermissionDenied, and list pages show the same reason in place of a missing button.
"""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from core.errors import Refusal
from programs.access import current_agreement
from programs.models import AgreementAcceptance, Application, Enrolment, Program

_WAITING = (Application.Status.SUBMITTED, Application.Status.WAITLISTED)


def _day(moment) -> str:
    return date_format(localtime(moment), "j F Y")


def contribution_refusal(user, program: Program | None = None) -> Refusal:
    """Why `user` may not contribute (videos, reports, feedback, hours) to `program`, or to any program.

    Call it only once programs.access.contributing_enrolment(s) said no. The most actionable reason wins:
    an agreement to accept, then a paused place, an invitation to accept, an application under review,
    a place that ended, and last, no place at all.
    """
    enrolments = Enrolment.objects.filter(user=user).select_related("program").order_by("program__name")
    if program is not None:
        enrolments = enrolments.filter(program=program)
    enrolments = list(enrolments)
    for explain in (_agreement_missing, _paused, _invited):
        for enrolment in enrolments:
            refusal = explain(enrolment)
            if refusal is not None:
                return refusal
    application = _waiting_application(user, program)
    if application is not None:
        return Refusal(
            _("Your application to %(program)s is waiting for a decision (sent %(day)s).")
            % {"program": application.program.name, "day": _day(application.created_at)},
            next_url=reverse("programs:application", args=[application.program.slug]),
            next_label=_("Follow your application"),
        )
    ended = next((e for e in enrolments if e.status in (Enrolment.Status.LEFT, Enrolment.Status.REMOVED)), None)
    if ended is not None:
        return Refusal(
            _("Your place in %(program)s ended on %(day)s (%(status)s).")
            % {
                "program": ended.program.name,
                "day": _day(ended.status_changed_at),
                "status": ended.get_status_display(),
            },
            next_url=reverse("programs:detail", args=[ended.program.slug]),
            next_label=_("See %(program)s and whether it takes applications") % {"program": ended.program.name},
        )
    return Refusal(
        _("Only active artists of a program can do this, and you have no place in a program yet."),
        next_url=reverse("programs:list") if program is None else reverse("programs:detail", args=[program.slug]),
        next_label=_("See the programs and apply"),
    )


def _agreement_missing(enrolment: Enrolment) -> Refusal | None:
    if enrolment.status not in (Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED):
        return None
    version = current_agreement(enrolment.program)
    if version is None or AgreementAcceptance.objects.filter(enrolment=enrolment, version=version).exists():
        return None
    return Refusal(
        _(
            "You are an artist of %(program)s, but you have not accepted version %(version)s of its agreement "
            "(published %(day)s). You can contribute again as soon as you accept it."
        )
        % {"program": enrolment.program.name, "version": version.version, "day": _day(version.published_at)},
        next_url=reverse("programs:agreement", args=[enrolment.program.slug]),
        next_label=_("Read and accept agreement version %(version)s") % {"version": version.version},
    )


def _paused(enrolment: Enrolment) -> Refusal | None:
    if enrolment.status != Enrolment.Status.PAUSED:
        return None
    event = enrolment.events.filter(to_status=Enrolment.Status.PAUSED).order_by("-created_at", "-pk").first()
    reason = f" {event.reason_text}" if event and event.reason else ""
    return Refusal(
        _("The staff of %(program)s paused your place on %(day)s.%(reason)s Ask them when it resumes.")
        % {"program": enrolment.program.name, "day": _day(enrolment.status_changed_at), "reason": reason},
        next_url=reverse("dashboard"),
        next_label=_("See your place in %(program)s") % {"program": enrolment.program.name},
    )


def _invited(enrolment: Enrolment) -> Refusal | None:
    if enrolment.status != Enrolment.Status.INVITED:
        return None
    return Refusal(
        _("You are invited to %(program)s: accept the invitation to start.") % {"program": enrolment.program.name},
        next_url=reverse("dashboard"),
        next_label=_("Your invitations"),
    )


def _waiting_application(user, program: Program | None) -> Application | None:
    applications = Application.objects.filter(user=user, status__in=_WAITING).select_related("program")
    if program is not None:
        applications = applications.filter(program=program)
    return applications.order_by("-created_at").first()


def staff_refusal(program: Program | None = None, *, what: str = "") -> Refusal:
    """For pages and actions that belong to a program's staff."""
    reason = what or _("This page is for program staff.")
    if program is None:
        return Refusal(
            _("%(reason)s Program staff are named by the portal's administrators.") % {"reason": reason},
            next_url=reverse("dashboard"),
            next_label=_("Back to your dashboard"),
        )
    return Refusal(
        _("%(reason)s You are not on the staff of %(program)s.") % {"reason": reason, "program": program.name},
        next_url=reverse("programs:detail", args=[program.slug]),
        next_label=_("See %(program)s") % {"program": program.name},
    )


def reviewer_refusal() -> Refusal:
    return Refusal(
        _("The review queue is for the reviewers a program names; you are not a reviewer of any program."),
        next_url=reverse("dashboard"),
        next_label=_("Back to your dashboard"),
    )
