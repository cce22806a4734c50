"""Program staff pages: applications, invitations, the roster of artists. Scoped to the programs they staff."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.outcomes import reason_from, run_and_redirect
from programs.access import (
    Action,
    get_application_for_staff,
    get_enrolment_for_staff,
    get_invitation_for_staff,
    get_program_for_staff,
    programs_staffed_by,
)
from programs.forms.enrolment import ApplicationFilterForm, DecisionForm, InvitationForm, ReasonForm
from programs.models import AgreementAcceptance, Application, Enrolment, Invitation, TrustedPublisher
from programs.refusals import staff_refusal
from programs.services import applications, enrolment, invitations, trust

A = Application.Status


@login_required
@require_safe
def application_list(request: HttpRequest) -> HttpResponse:
    programs = programs_staffed_by(request.user)
    if not programs.exists():
        raise staff_refusal(what=_("Only program staff review applications."))
    filters = ApplicationFilterForm(request.GET or None, programs=programs)
    queryset = Application.objects.filter(program__in=programs).select_related("program", "user", "cohort")
    page = Paginator(filters.filter(queryset), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filters": filters, "page": page, "query": query.urlencode()}
    return render(request, "programs/staff/applications.html", context)


def _application_page(request, application: Application, form=None, status: int = 200) -> HttpResponse:
    program = application.program
    cohorts = [(cohort, invitations.seats_taken(cohort)) for cohort in program.cohorts.all()]
    context = {
        "application": application,
        "program": program,
        "events": application.events.select_related("actor"),
        "form": form or DecisionForm(program=program),
        "cohorts": cohorts,
        "decidable": bool(Application.MOVES.get(application.status)),
    }
    return render(request, "programs/staff/application.html", context, status=status)


@login_required
@require_safe
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _application_page(request, get_application_for_staff(request.user, pk))


@login_required
@require_POST
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_application_for_staff(request.user, pk)
    form = DecisionForm(request.POST, program=application.program)
    if not form.is_valid():
        return _application_page(request, application, form=form, status=400)
    decision, reason, cohort = form.cleaned_data["decision"], form.cleaned_data["reason"], form.cleaned_data["cohort"]
    actor = request.user
    calls = {
        A.ACCEPTED: lambda: applications.application_accept(
            application=application, cohort=cohort, actor=actor, reason=reason
        ),
        A.WAITLISTED: lambda: applications.application_waitlist(application=application, actor=actor, reason=reason),
        A.DECLINED: lambda: applications.application_decline(application=application, actor=actor, reason=reason),
    }
    done = {A.ACCEPTED: "accepted; the invitation is on its way", A.WAITLISTED: "waitlisted", A.DECLINED: "declined"}
    return run_and_redirect(
        request,
        calls[decision],
        success=f"{application.user} {done[decision]}.",
        to=reverse("programs:staff_application", args=[pk]),
    )


def _invitations_page(request, program, form=None, status: int = 200) -> HttpResponse:
    context = {
        "program": program,
        "invitations": Invitation.objects.filter(program=program).select_related("cohort", "user")[:200],
        "cohorts": [(cohort, invitations.seats_taken(cohort)) for cohort in program.cohorts.all()],
        "form": form or InvitationForm(program=program),
    }
    return render(request, "programs/staff/invitations.html", context, status=status)


@login_required
@require_safe
def invitation_list(request: HttpRequest, slug: str) -> HttpResponse:
    return _invitations_page(request, get_program_for_staff(request.user, slug, Action.MANAGE_INVITATIONS))


@login_required
@require_POST
def invitation_send(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_staff(request.user, slug, Action.MANAGE_INVITATIONS)
    form = InvitationForm(request.POST, program=program)
    if not form.is_valid():
        return _invitations_page(request, program, form=form, status=400)
    return run_and_redirect(
        request,
        lambda: invitations.invitation_send(program=program, actor=request.user, **form.cleaned_data),
        success=gettext("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
        to=reverse("programs:staff_invitations", args=[slug]),
    )


@login_required
@require_POST
def invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_invitation_for_staff(request.user, pk)
    return run_and_redirect(
        request,
        lambda: invitations.invitation_resend(invitation=invitation, actor=request.user),
        success=gettext("A new link was sent to %(email)s; the old one no longer works.") % {"email": invitation.email},
        to=reverse("programs:staff_invitations", args=[invitation.program.slug]),
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_invitation_for_staff(request.user, pk)
    return run_and_redirect(
        request,
        lambda: invitations.invitation_revoke(invitation=invitation, actor=request.user, reason=reason_from(request)),
        success=gettext("The invitation of %(email)s was revoked.") % {"email": invitation.email},
        to=reverse("programs:staff_invitations", args=[invitation.program.slug]),
    )


@login_required
@require_safe
def roster(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_staff(request.user, slug, Action.MANAGE_ENROLMENTS)
    status = request.GET.get("status", "")
    enrolments = (
        Enrolment.objects.filter(program=program)
        .select_related("user", "cohort")
        .prefetch_related(
            Prefetch("acceptances", queryset=AgreementAcceptance.objects.select_related("version")),
            Prefetch("trust_grants", queryset=TrustedPublisher.objects.in_force(), to_attr="trust_in_force"),
        )
        .order_by("status", "user__display_name", "user__email")
    )
    if status in Enrolment.Status.values:
        enrolments = enrolments.filter(status=status)
    context = {"program": program, "enrolments": enrolments, "status": status, "statuses": Enrolment.Status.choices}
    return render(request, "programs/staff/roster.html", context)


@login_required
@require_safe
def enrolment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_enrolment_for_staff(request.user, pk)
    context = {
        "enrolment": subject,
        "program": subject.program,
        "events": subject.events.select_related("actor"),
        "acceptances": subject.acceptances.select_related("version"),
        "grants": subject.trust_grants.select_related("granted_by", "revoked_by"),
        "grant_in_force": subject.trust_grants.filter(revoked_at__isnull=True).first(),
        "reason_form": ReasonForm(),
    }
    return render(request, "programs/staff/enrolment.html", context)


def _enrolment_action(service, success: str):
    """A staff POST on one artist's enrolment: one service call taking (enrolment, actor, reason)."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        subject = get_enrolment_for_staff(request.user, pk)
        return run_and_redirect(
            request,
            lambda: service(enrolment=subject, actor=request.user, reason=reason_from(request)),
            success=success.format(artist=subject.user),
            to=reverse("programs:staff_enrolment", args=[pk]),
        )

    return view


enrolment_remove = _enrolment_action(enrolment.enrolment_remove, "{artist} was removed from the program.")
enrolment_pause = _enrolment_action(enrolment.enrolment_pause, "{artist} is paused.")
enrolment_resume = _enrolment_action(enrolment.enrolment_resume, "{artist} is active again.")
trust_grant = _enrolment_action(
    trust.trusted_publisher_grant, "{artist} is now a trusted publisher: their videos skip review."
)
trust_revoke = _enrolment_action(trust.trusted_publisher_revoke, "{artist} is no longer a trusted publisher.")
