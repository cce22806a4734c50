"""Staff pages for reports and feedback: the triage queue with filters and bulk decisions, and each decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from core.errors import DomainError
from core.outcomes import refuse, run_and_redirect
from programs.access import programs_staffed_by
from programs.refusals import staff_refusal
from submissions import selectors_reports as selectors
from submissions.access.reports import (
    feedback_visible_to,
    get_feedback_for_staff,
    get_report_for_staff,
    reports_visible_to,
)
from submissions.forms.reports import (
    AcceptForm,
    BulkMoveForm,
    FeedbackFilterForm,
    FeedbackTransitionForm,
    SeverityForm,
    StaffTransitionForm,
    TriageFilterForm,
)
from submissions.models import BugReport
from submissions.services import reports as services
from submissions.services.reports import ReportError

PAGE_SIZE = 50


def _staff_programs_or_403(user):
    programs = programs_staffed_by(user)
    if not programs.exists():
        raise staff_refusal(what=_("Only program staff triage reports and feedback."))
    return programs


def _triage_reports(user):
    return reports_visible_to(user).filter(program__in=programs_staffed_by(user))


def _original_for(user, number: int | None) -> BugReport | None:
    """The report a duplicate points to, if this staff member may see it; a wrong number is a form error."""
    if not number:
        return None
    original = _triage_reports(user).filter(pk=number).first()
    if original is None:
        raise ReportError(_("There is no report #%(number)s in your programs.") % {"number": number})
    return original


def _messages_from(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            refuse(request, error)


@login_required
@require_safe
def report_triage(request: HttpRequest) -> HttpResponse:
    programs = _staff_programs_or_403(request.user)
    reports = _triage_reports(request.user)
    form = TriageFilterForm(
        request.GET or None,
        programs=programs,
        statuses=[c for c in BugReport.Status.choices if c[0] != BugReport.Status.DRAFT],
        model_versions=selectors.model_versions(reports),
    )
    filters = selectors.TriageFilters(**form.cleaned_data) if form.is_valid() else selectors.TriageFilters()
    page = Paginator(selectors.triage_queue(reports, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "counts": selectors.open_counts(reports),
        "bulk_form": StaffTransitionForm(auto_id="bulk_%s"),
    }
    return render(request, "submissions/reports/triage.html", context)


@login_required
@require_POST
def report_bulk(request: HttpRequest) -> HttpResponse:
    _staff_programs_or_403(request.user)
    form = BulkMoveForm(request.POST, reports=_triage_reports(request.user))
    back = redirect(f"{reverse('submissions:report_triage')}?{request.POST.get('return_query', '')}")
    if not form.is_valid():
        _messages_from(request, form)
        return back
    data = form.cleaned_data
    try:
        original = _original_for(request.user, data["original"])
    except DomainError as error:
        refuse(request, error)
        return back
    result = services.bug_reports_bulk_move(
        reports=data["reports"],
        actor=request.user,
        to_status=data["to_status"],
        reason=data["reason"],
        original=original,
    )
    label = dict(BugReport.Status.choices)[data["to_status"]].lower()
    if result.done:
        numbers = ", ".join(f"#{pk}" for pk in result.done)
        messages.success(
            request,
            ngettext(
                "%(count)d moved to %(state)s: %(numbers)s.",
                "%(count)d moved to %(state)s: %(numbers)s.",
                len(result.done),
            )
            % {"count": len(result.done), "state": label, "numbers": numbers},
        )
    for pk, reason in result.refused:
        refuse(request, _("#%(number)s not changed: %(reason)s") % {"number": pk, "reason": reason})
    return back


@login_required
@require_POST
def report_transition(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_staff(request.user, pk)
    form = StaffTransitionForm(request.POST)
    if not form.is_valid():
        _messages_from(request, form)
        return redirect("submissions:report_detail", pk=report.pk)
    data = form.cleaned_data
    return run_and_redirect(
        request,
        lambda: services.bug_report_move(
            report=report,
            actor=request.user,
            to_status=data["to_status"],
            reason=data["reason"],
            original=_original_for(request.user, data["original"]),
        ),
        success=lambda moved: _("Report #%(number)s is now %(status)s.")
        % {"number": moved.pk, "status": moved.get_status_display().lower()},
        to=_report_url(report),
    )


@login_required
@require_POST
def report_severity(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_staff(request.user, pk)
    form = SeverityForm(request.POST)
    if not form.is_valid():
        _messages_from(request, form)
        return redirect("submissions:report_detail", pk=report.pk)
    data = form.cleaned_data
    return run_and_redirect(
        request,
        lambda: services.bug_report_set_severity(
            report=report, actor=request.user, severity=data["severity"], reason=data["reason"]
        ),
        success=_("Final severity saved."),
        to=_report_url(report),
    )


@login_required
@require_POST
def report_accept(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_staff(request.user, pk)
    form = AcceptForm(request.POST)
    form.is_valid()  # every field is optional; an unknown severity is refused by the service
    return run_and_redirect(
        request,
        lambda: services.bug_report_accept(
            report=report, actor=request.user, final_severity=form.cleaned_data.get("final_severity", "")
        ),
        success=_("Report #%(number)s accepted for credit.") % {"number": report.pk},
        to=_report_url(report),
    )


# --- Feedback ----------------------------------------------------------------------------------


@login_required
@require_safe
def feedback_triage(request: HttpRequest) -> HttpResponse:
    programs = _staff_programs_or_403(request.user)
    form = FeedbackFilterForm(request.GET or None, programs=programs)
    filters = form.cleaned_data if form.is_valid() else {}
    queue = selectors.feedback_queue(feedback_visible_to(request.user).filter(program__in=programs), **filters)
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "submissions/reports/feedback_triage.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@login_required
@require_POST
def feedback_transition(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = get_feedback_for_staff(request.user, pk)
    form = FeedbackTransitionForm(request.POST)
    if not form.is_valid():
        _messages_from(request, form)
        return redirect("submissions:feedback_detail", pk=feedback.pk)
    data = form.cleaned_data
    return run_and_redirect(
        request,
        lambda: services.feedback_move(
            feedback=feedback, actor=request.user, to_status=data["to_status"], reason=data["reason"]
        ),
        success=lambda moved: _("Feedback #%(number)s is now %(status)s.")
        % {"number": moved.pk, "status": moved.get_status_display().lower()},
        to=_feedback_url(feedback),
    )


@login_required
@require_POST
def feedback_accept(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = get_feedback_for_staff(request.user, pk)
    return run_and_redirect(
        request,
        lambda: services.feedback_accept(feedback=feedback, actor=request.user),
        success=_("Feedback #%(number)s accepted for credit.") % {"number": feedback.pk},
        to=_feedback_url(feedback),
    )


def _report_url(report) -> str:
    return reverse("submissions:report_detail", args=[report.pk])


def _feedback_url(feedback) -> str:
    return reverse("submissions:feedback_detail", args=[feedback.pk])
