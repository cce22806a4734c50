"""Program staff: hours queue (bulk approval), rate cards, awards, payout runs, one artist's money."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from core.csv import csv_response
from core.errors import DomainError
from core.money import format_money, in_minor_units
from core.outcomes import reason_from, refuse, run_and_redirect
from portal.models import User
from programs.access.compensation import (
    get_member_enrolment,
    get_payout_item,
    get_payout_run,
    get_program_for_compensation_staff,
)
from programs.forms.compensation import AwardForm, PayoutRunForm, RateCardForm
from programs.models import Credit, LedgerLine, PayoutRun, RateCard, TimeEntry
from programs.selectors.compensation import (
    currencies_owed,
    payout_run_csv_rows,
    pending_credits,
    positive_balances,
    unpayable_reason,
)
from programs.services import compensation as services
from programs.services import payout_runs
from programs.views.compensation import checked_statement, program_context

HOURS_PAGE_SIZE = 50


def _home(program) -> HttpResponse:
    return redirect("programs:compensation_staff", slug=program.slug)


@login_required
@require_safe
def staff_home(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_compensation_staff(request.user, slug)
    owed = {code: positive_balances(program, code) for code in currencies_owed(program)}
    people = User.objects.in_bulk({uid for rows in owed.values() for uid, _ in rows})
    context = {
        "program": program,
        "owed": {
            code: [(people[uid], amount, unpayable_reason(people[uid])) for uid, amount in rows]
            for code, rows in owed.items()
        },
        "pending_credits": pending_credits(program),
        "waiting": TimeEntry.objects.filter(program=program, status=TimeEntry.Status.PENDING).count(),
        "cards": RateCard.objects.filter(program=program).order_by("-version"),
        "runs": PayoutRun.objects.filter(program=program).annotate(people=Count("items")),
        "awards": Credit.objects.filter(program=program, kind=Credit.Kind.AWARD).select_related("user")[:20],
        "run_form": PayoutRunForm(currencies=currencies_owed(program)),
        "today": timezone.localdate(),
    }
    return render(request, "programs/compensation/staff_home.html", context)


@login_required
@require_safe
def hours_queue(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_compensation_staff(request.user, slug)
    status = request.GET.get("status", TimeEntry.Status.PENDING)
    if status not in TimeEntry.Status.values:
        status = TimeEntry.Status.PENDING
    entries = TimeEntry.objects.filter(program=program, status=status).select_related("user", "corrects")
    counts = dict(
        TimeEntry.objects.filter(program=program)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    statuses = [(value, label, counts.get(value, 0)) for value, label in TimeEntry.Status.choices]
    page = Paginator(entries.order_by("worked_on", "pk"), HOURS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "program": program,
        "entries": page.object_list,
        "page": page,
        "query": urlencode({"status": status}),
        "status": status,
        "statuses": statuses,
    }
    return render(request, "programs/compensation/hours_queue.html", context)


@login_required
@require_POST
def hours_approve(request: HttpRequest, slug: str) -> HttpResponse:
    """Approve the ticked entries (bulk); each is approved or refused on its own."""
    program = get_program_for_compensation_staff(request.user, slug)
    ids = [int(pk) for pk in request.POST.getlist("entry") if pk.isdigit()]
    entries = TimeEntry.objects.filter(program=program, pk__in=ids).select_related("user", "program").order_by("pk")
    if not ids:
        refuse(request, _("Tick the entries to approve first."))
        return redirect("programs:hours_queue", slug=program.slug)
    approved, refused = services.timeentry_approve_many(entries=entries, actor=request.user)
    if approved:
        count = len(approved)
        messages.success(
            request, ngettext("Approved %(count)s entry.", "Approved %(count)s entries.", count) % {"count": count}
        )
    for entry, reason in refused:
        refuse(
            request,
            _("Entry #%(entry)s (%(artist)s): %(reason)s")
            % {"entry": entry.pk, "artist": entry.user, "reason": reason},
        )
    return redirect("programs:hours_queue", slug=program.slug)


@login_required
@require_POST
def hours_query(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    program = get_program_for_compensation_staff(request.user, slug)
    entry = get_object_or_404(TimeEntry, program=program, pk=pk)
    return run_and_redirect(
        request,
        lambda: services.timeentry_query(entry=entry, actor=request.user, reason=reason_from(request)),
        success=_("Entry #%(number)s queried; %(artist)s will see your question.")
        % {"number": entry.pk, "artist": entry.user},
        to=reverse("programs:hours_queue", args=[program.slug]),
    )


@login_required
@require_safe
def ratecard_new(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_compensation_staff(request.user, slug)
    latest = RateCard.objects.filter(program=program).order_by("-version").first()
    initial = {}
    if latest:
        initial = {name: in_minor_units(getattr(latest, name), latest.currency) for name in RateCard.AMOUNT_FIELDS}
        initial |= {"currency": latest.currency, "stipend_period": latest.stipend_period}
    form = RateCardForm(initial=initial, program=program)
    return render(
        request, "programs/compensation/ratecard_form.html", {"program": program, "form": form, "latest": latest}
    )


@login_required
@require_POST
def ratecard_create(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_compensation_staff(request.user, slug)
    form = RateCardForm(request.POST, program=program)
    if form.is_valid():
        try:
            card = services.ratecard_publish(program=program, actor=request.user, **form.service_kwargs())
            messages.success(
                request,
                _("Rate card v%(version)s published; it applies from %(day)s.")
                % {"version": card.version, "day": formats.date_format(card.effective_from, "DATE_FORMAT")},
            )
            return _home(program)
        except DomainError as error:
            form.add_error(None, error.message)
    context = {"program": program, "form": form, "latest": RateCard.objects.filter(program=program).first()}
    return render(request, "programs/compensation/ratecard_form.html", context, status=400)


def _award_form(program, data=None) -> AwardForm:
    artists = User.objects.filter(enrolments__program=program).order_by("display_name", "email")
    return AwardForm(data, artists=artists, program=program)


@login_required
@require_safe
def award_new(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_compensation_staff(request.user, slug)
    return render(request, "programs/compensation/award_form.html", {"program": program, "form": _award_form(program)})


@login_required
@require_POST
def award_create(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_compensation_staff(request.user, slug)
    form = _award_form(program, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            award = services.award_record(
                user=data["artist"],
                program=program,
                title=data["title"],
                amount=data["amount"],
                reason=data["reason"],
                idempotency_key=data["submission_token"],
                actor=request.user,
                currency=data["currency"],
                awarded_on=data["awarded_on"],
            )
            amount = format_money(award.amount, award.currency)
            messages.success(
                request, _("Award recorded: %(amount)s to %(artist)s.") % {"amount": amount, "artist": award.user}
            )
            return _home(program)
        except DomainError as error:
            form.add_error(None, error.message)
    return render(request, "programs/compensation/award_form.html", {"program": program, "form": form}, status=400)


@login_required
@require_POST
def payoutrun_new(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_for_compensation_staff(request.user, slug)
    form = PayoutRunForm(request.POST, currencies=currencies_owed(program))
    try:
        if not form.is_valid():
            raise DomainError(_("Choose a currency and a payout method."))
        run = payout_runs.payoutrun_create(program=program, actor=request.user, **form.cleaned_data)
    except DomainError as error:
        refuse(request, error)  # a run still under review in that currency: its error links to it
        return _home(program)
    messages.success(request, _("Payout run %(run)s drafted: review it, then confirm.") % {"run": run.reference})
    return redirect("programs:payoutrun_detail", slug=program.slug, pk=run.pk)


@login_required
@require_safe
def payoutrun_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    program = get_program_for_compensation_staff(request.user, slug)
    run = get_payout_run(program, pk)
    items = run.items.select_related("user")
    context = {"program": program, "run": run, "items": items, "events": run.events.select_related("actor")}
    return render(request, "programs/compensation/payout_run.html", context)


def _run_action(request: HttpRequest, slug: str, pk: int, action, success: str) -> HttpResponse:
    program = get_program_for_compensation_staff(request.user, slug)
    run = get_payout_run(program, pk)
    return run_and_redirect(
        request,
        lambda: action(run),
        success=success.format(run=run),
        to=reverse("programs:payoutrun_detail", args=[program.slug, run.pk]),
    )


@login_required
@require_POST
def payoutrun_confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    confirm = lambda run: payout_runs.payoutrun_confirm(run=run, actor=request.user)  # noqa: E731
    return _run_action(
        request, slug, pk, confirm, _("Run {run.reference} confirmed: payouts recorded. Export the CSV.")
    )


@login_required
@require_POST
def payoutrun_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    cancel = lambda run: payout_runs.payoutrun_cancel(run=run, actor=request.user, reason=reason)  # noqa: E731
    return _run_action(request, slug, pk, cancel, _("Run {run.reference} cancelled; nothing was paid."))


@login_required
@require_POST
def payoutrun_item_toggle(request: HttpRequest, slug: str, pk: int, item_pk: int) -> HttpResponse:
    include = request.POST.get("include") == "1"

    def toggle(run):
        payout_runs.payoutrun_item_include(item=get_payout_item(run, item_pk), include=include, actor=request.user)

    return _run_action(request, slug, pk, toggle, _("Run {run.reference} updated."))


@login_required
@require_POST
def payoutrun_item_fail(request: HttpRequest, slug: str, pk: int, item_pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")

    def fail(run):
        payout_runs.payoutrun_item_fail(item=get_payout_item(run, item_pk), reason=reason, actor=request.user)

    return _run_action(request, slug, pk, fail, _("Payout marked as failed and reversed: the money is owed again."))


@login_required
@require_safe
def payoutrun_csv(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    program = get_program_for_compensation_staff(request.user, slug)
    run = get_payout_run(program, pk)
    if run.status != PayoutRun.Status.CONFIRMED:
        refuse(request, _("Only a confirmed run is exported: confirm it first, so the ledger matches the file."))
        return redirect("programs:payoutrun_detail", slug=program.slug, pk=run.pk)
    return csv_response(payout_run_csv_rows(run), filename=f"payout-run-{run.reference}.csv")


@login_required
@require_safe
def artist_compensation(request: HttpRequest, slug: str, user_pk: int) -> HttpResponse:
    program = get_program_for_compensation_staff(request.user, slug)
    enrolment = get_member_enrolment(program, user_pk)
    context = program_context(enrolment, today=timezone.localdate())
    context["lines"] = LedgerLine.objects.filter(user=enrolment.user, program=program).order_by("-booked_on", "-pk")[
        :50
    ]
    context["staff_view"] = True
    context["pending_credits"] = pending_credits(program, user=enrolment.user)
    return render(request, "programs/compensation/program.html", context)


@login_required
@require_safe
def artist_statement(request: HttpRequest, slug: str, user_pk: int, year: int, month: int) -> HttpResponse:
    program = get_program_for_compensation_staff(request.user, slug)
    enrolment = get_member_enrolment(program, user_pk)
    entry_url = reverse("programs:artist_compensation", args=[slug, user_pk]) + "#entry-{pk}"
    statement = checked_statement(enrolment, year, month, entry_url=entry_url)
    return render(request, "programs/compensation/statement.html", {"statement": statement, "staff_view": True})
