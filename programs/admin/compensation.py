"""Compensation in the admin: everything is read-only; changes go through the services, as admin actions.

No admin page or action ever edits or deletes a ledger line, a credit or a rate card: corrections are
reversals (a new line, so reversing needs the permission to add ledger lines, not to change them), and new
rate-card versions are published on the staff page. Rows are scoped to the user's programs by the base classes.
"""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.csv import csv_response
from core.errors import DomainError
from core.outcomes import refuse
from programs.admin.base import ActionsOnlyAdmin, ReadOnlyAdmin, ReadOnlyInline
from programs.models import Credit, LedgerLine, PayoutRun, PayoutRunItem, RateCard, TimeEntry, TimeEntryEvent
from programs.selectors.compensation import payout_run_csv_rows
from programs.services import compensation as services
from programs.services import payout_runs


def _ask_reason(request, queryset, *, action: str, title: str):
    """An intermediate page asking why; returns the reason once given, else the page to render."""
    reason = (request.POST.get("reason") or "").strip()
    if request.POST.get("confirmed") and reason:
        return reason, None
    context = {
        **admin.site.each_context(request),
        "title": title,
        "objects": queryset,
        "action": action,
        "opts": queryset.model._meta,
        "missing": bool(request.POST.get("confirmed")),
    }
    return None, TemplateResponse(request, "admin/programs/ask_reason.html", context)


@admin.register(RateCard)
class RateCardAdmin(ReadOnlyAdmin):
    list_display = [
        "program",
        "version",
        "effective_from",
        "currency",
        "hourly_rate",
        "stipend_amount",
        "stipend_period",
    ]
    list_filter = ["program"]

    def changelist_view(self, request, extra_context=None):
        messages.info(
            request, gettext("Rate cards are versioned: publish a new one on the program's compensation page.")
        )
        return super().changelist_view(request, extra_context)


@admin.register(Credit)
class CreditAdmin(ReadOnlyAdmin):
    list_display = ["occurred_on", "program", "user", "kind", "severity", "source_label", "amount", "currency"]
    list_filter = ["program", "kind"]
    search_fields = ["source_label", "idempotency_key", "user__email"]
    list_select_related = ["program", "user"]


@admin.register(LedgerLine)
class LedgerLineAdmin(ReadOnlyAdmin):
    list_display = ["pk", "booked_on", "program", "user", "kind", "amount", "currency", "label", "reverses"]
    list_filter = ["program", "kind", "source", "currency"]
    search_fields = ["label", "idempotency_key", "external_reference", "user__email"]
    list_select_related = ["program", "user", "reverses"]
    actions = ["reverse_lines"]

    def has_reverse_permission(self, request) -> bool:
        return request.user.has_perm("programs.add_ledgerline")  # a reversal is a new line; lines never change

    @admin.action(description=_("Reverse the selected lines (asks for a reason)"), permissions=["reverse"])
    def reverse_lines(self, request, queryset):
        reason, page = _ask_reason(request, queryset, action="reverse_lines", title=gettext("Reverse ledger lines"))
        if page is not None:
            return page
        for line in queryset:
            try:
                services.line_reverse(line=line, reason=reason, actor=request.user)
                messages.success(request, gettext("Line #%(number)s reversed.") % {"number": line.pk})
            except DomainError as error:
                refuse(request, gettext("Line #%(number)s: %(why)s") % {"number": line.pk, "why": error.message})
        return None


class TimeEntryEventInline(ReadOnlyInline):
    model = TimeEntryEvent
    select_related = ["actor", "entry"]  # the row's name shows its entry
    fields = ["created_at", "actor", "from_status", "to_status", "reason"]
    readonly_fields = fields


@admin.register(TimeEntry)
class TimeEntryAdmin(ActionsOnlyAdmin):
    list_display = ["pk", "worked_on", "program", "user", "hours_label", "category", "status"]
    list_filter = ["program", "status", "category"]
    search_fields = ["user__email", "note"]
    list_select_related = ["program", "user"]
    inlines = [TimeEntryEventInline]
    actions = ["approve_entries", "query_entries"]

    @admin.action(description=_("Approve the selected entries"), permissions=["change"])
    def approve_entries(self, request, queryset):
        entries = list(queryset.select_related("program", "user"))
        approved, refused = services.timeentry_approve_many(entries=entries, actor=request.user)
        if approved:
            messages.success(
                request,
                ngettext("Approved %(count)d entry.", "Approved %(count)d entries.", len(approved))
                % {"count": len(approved)},
            )
        for entry, reason in refused:
            refuse(request, gettext("Entry #%(number)s: %(why)s") % {"number": entry.pk, "why": reason})

    @admin.action(description=_("Query the selected entries (asks for a reason)"), permissions=["change"])
    def query_entries(self, request, queryset):
        reason, page = _ask_reason(request, queryset, action="query_entries", title=gettext("Query time entries"))
        if page is not None:
            return page
        for entry in queryset:
            try:
                services.timeentry_query(entry=entry, actor=request.user, reason=reason)
            except DomainError as error:
                refuse(request, gettext("Entry #%(number)s: %(why)s") % {"number": entry.pk, "why": error.message})
        return None


class PayoutRunItemInline(ReadOnlyInline):
    model = PayoutRunItem
    select_related = ["user", "run"]
    fields = ["user", "amount", "status", "failure_reason"]
    readonly_fields = fields


@admin.register(PayoutRun)
class PayoutRunAdmin(ActionsOnlyAdmin):
    list_display = ["reference", "program", "currency", "status", "created_at", "staff_page"]
    list_filter = ["program", "status"]
    inlines = [PayoutRunItemInline]
    actions = ["confirm_runs", "export_csv"]

    @admin.display(description=_("Review"))
    def staff_page(self, run):
        url = reverse("programs:payoutrun_detail", args=[run.program.slug, run.pk])
        return format_html('<a href="{}">Review, confirm, reconcile</a>', url)

    @admin.action(description=_("Confirm the selected draft runs (records the payouts)"), permissions=["change"])
    def confirm_runs(self, request, queryset):
        for run in queryset:
            try:
                payout_runs.payoutrun_confirm(run=run, actor=request.user)
                messages.success(request, f"{run.reference} confirmed.")
            except DomainError as error:
                refuse(request, f"{run.reference}: {error.message}")

    @admin.action(description=_("Export the payments CSV of the selected confirmed runs"), permissions=["view"])
    def export_csv(self, request, queryset):
        runs = list(queryset.filter(status=PayoutRun.Status.CONFIRMED))
        if not runs:
            refuse(request, gettext("Only confirmed runs are exported."))
            return None
        rows = [row for index, run in enumerate(runs) for row in payout_run_csv_rows(run)[(index > 0) :]]
        return csv_response(rows, filename="payout-runs.csv")


@admin.register(PayoutRunItem)
class PayoutRunItemAdmin(ActionsOnlyAdmin):
    program_path = "run__program"
    list_display = ["run", "user", "amount", "status", "failure_reason"]
    list_filter = ["status", "run__program"]
    list_select_related = ["run", "run__program", "user"]
    actions = ["mark_failed"]

    @admin.action(
        description=_("Mark the selected payouts failed and reverse them (asks for a reason)"), permissions=["change"]
    )
    def mark_failed(self, request, queryset):
        reason, page = _ask_reason(request, queryset, action="mark_failed", title=gettext("Reconcile failed payouts"))
        if page is not None:
            return page
        for item in queryset.select_related("run__program"):
            try:
                payout_runs.payoutrun_item_fail(item=item, reason=reason, actor=request.user)
                messages.success(request, f"{item.user}'s payout reversed: the money is owed again.")
            except DomainError as error:
                refuse(request, f"{item}: {error.message}")
        return None
