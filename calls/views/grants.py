"""Grant pages: the public rounds, applying, the applicant's own application, and the staff's decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from calls.access.grants import (
    get_application,
    get_application_for_staff,
    get_milestone_for_staff,
    get_round,
    get_round_for_staff,
    may_apply_refusal,
    visible_rounds,
)
from calls.models import GrantApplication
from calls.selectors.grants import round_tally
from calls.services import grants as services
from core.errors import DomainError, Refusal
from core.outcomes import refuse, run_and_redirect
from programs.access import is_program_staff

APPLY_FIELDS = ("project_title", "project_description", "budget", "budget_breakdown", "schedule")


@require_safe
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = visible_rounds(request.user).order_by("-opens_at", "-pk")
    return render(request, "calls/grants/round_list.html", {"rounds": rounds})


@require_safe
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round = get_round(request.user, pk)
    own = None
    if request.user.is_authenticated:
        own = GrantApplication.objects.filter(round=round, applicant=request.user).first()
    context = {
        "round": round,
        "tally": round_tally(round),
        "reasons": GrantApplication.Reason.choices,
        "own": own,
        "apply_refusal": may_apply_refusal(request.user, round) if request.user.is_authenticated else "",
        "is_staff": is_program_staff(request.user, round.program),
    }
    return render(request, "calls/grants/round_detail.html", context)


@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form. POST: send it; a refusal shows the form again with what was typed and why."""
    round = get_round(request.user, pk)
    own = GrantApplication.objects.filter(round=round, applicant=request.user).first()
    if own is not None:
        return redirect("calls:grant_application", pk=own.pk)
    refusal = may_apply_refusal(request.user, round)
    if refusal:
        raise Refusal(refusal)
    values = {name: request.POST.get(name, "") for name in APPLY_FIELDS}
    if request.method == "POST":
        try:
            application = services.grant_apply(round=round, user=request.user, **values)
        except DomainError as error:
            refuse(request, error)
        else:
            messages.success(request, _("Your application is sent. The decision is due by the date shown."))
            return redirect("calls:grant_application", pk=application.pk)
    return render(request, "calls/grants/apply.html", {"round": round, "values": values})


@login_required
@require_safe
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request.user, pk)
    staff = is_program_staff(request.user, application.round.program)
    context = {
        "application": application,
        "round": application.round,
        "milestones": application.milestones.select_related("ledger_line"),
        "events": application.events.select_related("actor"),
        "is_staff": staff,
        "award_reasons": [(r.value, r.label) for r in GrantApplication.AWARD_REASONS],
        "decline_reasons": [c for c in GrantApplication.Reason.choices if c[0] not in GrantApplication.AWARD_REASONS],
        "milestone_rows": range(1, services.MAX_MILESTONES + 1),
        "is_applicant": application.applicant_id == request.user.pk,
    }
    return render(request, "calls/grants/application.html", context)


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application(request.user, pk)
    return run_and_redirect(
        request,
        lambda: services.grant_withdraw(application=application, actor=request.user),
        success=_("Your application is withdrawn."),
        to=reverse("calls:grant_application", args=[application.pk]),
    )


@login_required
@require_safe
def staff_round(request: HttpRequest, pk: int) -> HttpResponse:
    round = get_round_for_staff(request.user, pk)
    applications = round.applications.select_related("applicant").order_by("status", "decision_due_at", "pk")
    context = {"round": round, "applications": applications, "tally": round_tally(round)}
    return render(request, "calls/grants/staff_round.html", context)


def _milestone_plans(request: HttpRequest) -> list:
    return [
        services.MilestonePlan(
            title=request.POST.get(f"milestone_{n}_title", ""),
            amount=request.POST.get(f"milestone_{n}_amount", ""),
            due_on=_day(request.POST.get(f"milestone_{n}_due", "")),
        )
        for n in range(1, services.MAX_MILESTONES + 1)
    ]


def _day(value: str):
    """A typed date, or None when it is missing or not a date (the service says which milestone needs one)."""
    try:
        return parse_date(value or "")
    except ValueError:
        return None


@login_required
@require_POST
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_staff(request.user, pk)
    reason, note = request.POST.get("reason", ""), request.POST.get("note", "")
    if request.POST.get("outcome") == "award":
        call = lambda: services.grant_award(  # noqa: E731
            application=application, actor=request.user, reason=reason, note=note, milestones=_milestone_plans(request)
        )
        success = _("Awarded. Confirm each milestone when the artist reaches it: it is paid then.")
    else:
        call = lambda: services.grant_decline(application=application, actor=request.user, reason=reason, note=note)  # noqa: E731
        success = _("Declined, with the reason the applicant sees.")
    return run_and_redirect(
        request, call, success=success, to=reverse("calls:grant_application", args=[application.pk])
    )


@login_required
@require_POST
def milestone_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_milestone_for_staff(request.user, pk)
    return run_and_redirect(
        request,
        lambda: services.milestone_confirm(milestone=milestone, actor=request.user),
        success=_("Milestone confirmed: its payment is in the artist's statement."),
        to=reverse("calls:grant_application", args=[milestone.application_id]),
    )
