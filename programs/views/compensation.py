"""An artist's own money: /me/compensation/ (hours, credits, earned, paid, owed) and monthly statements."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.csv import csv_response
from core.errors import DomainError
from core.outcomes import refuse, run_and_redirect
from programs.access import contributing_enrolment, get_own_enrolment, get_public_program
from programs.access.compensation import get_own_time_entry
from programs.forms.compensation import NewTimeEntryForm, TimeEntryForm
from programs.models import Credit, Enrolment, TimeEntry, TimeEntryEvent
from programs.refusals import contribution_refusal
from programs.selectors.compensation import (
    compensation_overview,
    rate_card_in_force,
    statement_for,
    statement_months,
)
from programs.services import compensation as services
from programs.statement_export import statement_csv_rows, statement_pdf


@login_required
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "programs/compensation/overview.html", {"summaries": compensation_overview(request.user)})


def _entries(user, program):
    events = TimeEntryEvent.objects.filter(to_status=TimeEntry.Status.QUERIED).order_by("-created_at")
    return (
        TimeEntry.objects.filter(user=user, program=program)
        .select_related("corrects")
        .prefetch_related(Prefetch("events", queryset=events, to_attr="queries"))
    )


def program_context(enrolment: Enrolment, *, today, form=None) -> dict:
    """What the artist's page and the staff view of one artist share."""
    user, program = enrolment.user, enrolment.program
    summary = next(s for s in compensation_overview(user) if s.program.pk == program.pk)
    return {
        "enrolment": enrolment,
        "program": program,
        "summary": summary,
        "entries": _entries(user, program),
        "credits": Credit.objects.filter(user=user, program=program).select_related("rate_card"),
        "months": statement_months(user, program, today=today),
        "card": rate_card_in_force(program, today),
        "form": form,
        "categories": TimeEntry.Category.choices,
    }


@login_required
@require_safe
def program_page(request: HttpRequest, slug: str) -> HttpResponse:
    enrolment = get_own_enrolment(request.user, get_public_program(slug))
    can_log = contributing_enrolment(request.user, enrolment.program) is not None
    context = program_context(
        enrolment, today=timezone.localdate(), form=NewTimeEntryForm(enrolment=enrolment) if can_log else None
    )
    context["refusal"] = None if can_log else contribution_refusal(request.user, enrolment.program)
    return render(request, "programs/compensation/program.html", context)


def _back(slug: str, anchor: str = "") -> HttpResponse:
    return redirect(reverse("compensation:program", args=[slug]) + anchor)


def _form_errors(form) -> str:
    return " ".join(f"{form.fields[name].label or name}: {' '.join(errors)}" for name, errors in form.errors.items())


@login_required
@require_POST
def log_hours(request: HttpRequest, slug: str) -> HttpResponse:
    enrolment = get_own_enrolment(request.user, get_public_program(slug))
    form = NewTimeEntryForm(request.POST, enrolment=enrolment)
    if not form.is_valid():
        context = program_context(enrolment, today=timezone.localdate(), form=form)
        return render(request, "programs/compensation/program.html", context, status=400)
    try:
        entry = services.timeentry_log(user=request.user, program=enrolment.program, **form.entry_fields())
    except DomainError as error:
        blocked = contributing_enrolment(request.user, enrolment.program) is None
        refuse(request, contribution_refusal(request.user, enrolment.program) if blocked else error)
        return _back(slug)
    messages.success(
        request,
        gettext("Logged %(hours_label)s on %(worked_on)s. Staff will review it.")
        % {"hours_label": entry.hours_label, "worked_on": date_format(entry.worked_on)},
    )
    return _back(slug, f"#entry-{entry.pk}")


@login_required
@require_POST
def update_hours(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Edit a pending or queried entry (a queried one goes back to staff)."""
    enrolment = get_own_enrolment(request.user, get_public_program(slug))
    entry = get_own_time_entry(request.user, enrolment.program, pk)
    form = TimeEntryForm(request.POST, enrolment=enrolment)
    try:
        if not form.is_valid():
            raise DomainError(_form_errors(form))
        services.timeentry_resubmit(entry=entry, actor=request.user, **form.entry_fields())
        messages.success(request, gettext("Entry #%(entry)s updated and sent for review.") % {"entry": entry.pk})
    except DomainError as error:
        refuse(
            request,
            gettext("Entry #%(entry)s was not changed. %(error)s") % {"entry": entry.pk, "error": error.message},
        )
    return _back(slug, f"#entry-{entry.pk}")


@login_required
@require_POST
def correct_hours(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Correct an approved entry with a new one; the old one stays on record until staff approve this."""
    enrolment = get_own_enrolment(request.user, get_public_program(slug))
    entry = get_own_time_entry(request.user, enrolment.program, pk)
    form = TimeEntryForm(request.POST, enrolment=enrolment)
    try:
        if not form.is_valid():
            raise DomainError(_form_errors(form))
        correction = services.timeentry_log(
            user=request.user, program=enrolment.program, corrects=entry, **form.entry_fields()
        )
        messages.success(
            request,
            gettext("Correction #%(number)s sent for review; it replaces #%(original)s once approved.")
            % {"number": correction.pk, "original": entry.pk},
        )
    except DomainError as error:
        refuse(request, gettext("No correction was recorded. %(error)s") % {"error": error.message})
    return _back(slug, f"#entry-{entry.pk}")


@login_required
@require_POST
def withdraw_hours(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    enrolment = get_own_enrolment(request.user, get_public_program(slug))
    entry = get_own_time_entry(request.user, enrolment.program, pk)
    return run_and_redirect(
        request,
        lambda: services.timeentry_withdraw(entry=entry, actor=request.user),
        success=_("Entry #%(number)s withdrawn.") % {"number": entry.pk},
        to=_back(slug, f"#entry-{entry.pk}").url,
    )


# --- Statements ------------------------------------------------------------------------------------


def checked_statement(enrolment: Enrolment, year: int, month: int, *, entry_url: str):
    if not (2000 <= year <= 2200 and 1 <= month <= 12):
        raise Http404("No such month.")
    return statement_for(enrolment.user, enrolment.program, year, month, entry_url=entry_url)


def own_statement(request: HttpRequest, slug: str, year: int, month: int):
    enrolment = get_own_enrolment(request.user, get_public_program(slug))
    entry_url = reverse("compensation:program", args=[slug]) + "#entry-{pk}"
    return checked_statement(enrolment, year, month, entry_url=entry_url)


def statement_files(statement, kind: str) -> HttpResponse:
    """The CSV or PDF download of a statement."""
    name = f"statement-{statement.program.slug}-{statement.first_day:%Y-%m}"
    if kind == "pdf":
        response = HttpResponse(statement_pdf(statement), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    return csv_response(statement_csv_rows(statement), filename=f"{name}.csv")


@login_required
@require_safe
def statement(request: HttpRequest, slug: str, year: int, month: int) -> HttpResponse:
    context = {"statement": own_statement(request, slug, year, month), "downloads": True}
    return render(request, "programs/compensation/statement.html", context)


@login_required
@require_safe
def statement_csv(request: HttpRequest, slug: str, year: int, month: int) -> HttpResponse:
    return statement_files(own_statement(request, slug, year, month), "csv")


@login_required
@require_safe
def statement_pdf_download(request: HttpRequest, slug: str, year: int, month: int) -> HttpResponse:
    return statement_files(own_statement(request, slug, year, month), "pdf")
