"""Who may see and do what with grants. Rounds are public once published (in a public program); an application
is private to its applicant and the program's staff: anyone else gets 404, as if it did not exist."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.models import GrantApplication, GrantMilestone, GrantRound
from programs.access import contributing_enrolment, is_program_staff, programs_staffed_by
from programs.models import Program
from programs.refusals import staff_refusal


def visible_rounds(user) -> QuerySet[GrantRound]:
    """Published rounds of public programs, and every round of the programs `user` staffs."""
    public = Q(published=True) & ~Q(program__status=Program.Status.DRAFT)
    if user.is_authenticated:
        public |= Q(program__in=programs_staffed_by(user))
    return GrantRound.objects.filter(public).select_related("program")


def get_round(user, pk: int) -> GrantRound:
    round = visible_rounds(user).filter(pk=pk).first()
    if round is None:
        raise Http404("No such grant round.")
    return round


def get_round_for_staff(user, pk: int) -> GrantRound:
    """A round whose applications the user decides: 404 if they may not see it, 403 if they see but do not staff."""
    round = get_round(user, pk)
    if not is_program_staff(user, round.program):
        raise staff_refusal(round.program, what=_("Only program staff decide on grants."))
    return round


def may_apply_refusal(user, round: GrantRound, *, now: dt.datetime | None = None) -> str:
    """Why `user` may not apply to `round` now, or "" if they may."""
    now = now or timezone.now()
    if not round.published or now < round.opens_at:
        return _("This round does not take applications yet.")
    if now >= round.closes_at:
        return _("This round closed to applications.")
    if contributing_enrolment(user, round.program) is None:
        return _("Grants of %(program)s are for its artists: you need an active place in the program.") % {
            "program": round.program.name
        }
    return ""


def get_application(user, pk: int) -> GrantApplication:
    """An application for its applicant or the program's staff; 404 for anyone else."""
    if not user.is_authenticated:
        raise Http404("Not found.")
    application = (
        GrantApplication.objects.select_related("round__program", "applicant", "decided_by").filter(pk=pk).first()
    )
    if application is None or (
        application.applicant_id != user.pk and not is_program_staff(user, application.round.program)
    ):
        raise Http404("Not found.")
    return application


def get_application_for_staff(user, pk: int) -> GrantApplication:
    application = get_application(user, pk)
    if not is_program_staff(user, application.round.program):
        raise Http404("Not found.")
    return application


def get_milestone_for_staff(user, pk: int) -> GrantMilestone:
    milestone = (
        GrantMilestone.objects.select_related("application__round__program", "application__applicant")
        .filter(pk=pk, application__round__program__in=programs_staffed_by(user))
        .first()
    )
    if milestone is None:
        raise Http404("Not found.")
    return milestone
