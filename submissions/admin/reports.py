"""Admin for bug reports and feedback: the triage page's filters, sorting and bulk decisions, for program staff.

Reports are read-only here: every decision goes through submissions.services.reports (admin actions with a
confirmation page that asks for the note to the reporter, and the change permission), so the history and
notifications stay complete. Rows are scoped as programs.admin.base.ProgramScopedAdmin describes.
"""

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from programs.access import programs_staffed_by
from programs.admin.base import ActionsOnlyAdmin, ProgramScopedAdmin, ReadOnlyInline
from submissions.models import (
    BugReport,
    BugReportEvent,
    BugReportResponse,
    Feedback,
    FeedbackEvent,
    FeedbackResponse,
    MeToo,
    ReportSettings,
    Screenshot,
)
from submissions.models.reports import FEEDBACK_MOVES, STAFF_MOVES
from submissions.selectors_reports import with_counts
from submissions.services import reports as services
from submissions.services.reports import ReportError
from submissions.video_links import format_timecode


class LinkedVideoAdmin(ActionsOnlyAdmin):
    """Shows the video a report points at (a link to its admin page, which the same staff may open) and the time,
    in place of the raw key and seconds."""

    exclude = ["video", "video_timecode"]
    readonly_fields = ["linked_video"]

    @admin.display(description=_("Video"))
    def linked_video(self, obj) -> str:
        if obj.video is None:
            return "—"
        time = format_timecode(obj.video_timecode)
        return format_html(
            '<a href="{}">{}</a> ({}){}',
            reverse("admin:submissions_video_change", args=[obj.video.pk]),
            obj.video.display_title,
            obj.video.get_status_display(),
            _(", at %(time)s") % {"time": time} if time else "",
        )


class AgeFilter(admin.SimpleListFilter):
    title = _("age")
    parameter_name = "age"
    field = "submitted_at"

    def lookups(self, request, model_admin):
        return [
            ("1", _("Last 24 hours")),
            ("7", _("Last 7 days")),
            ("30", _("Last 30 days")),
            ("old", _("Older than 30 days")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "old":
            return queryset.filter(**{f"{self.field}__lt": now - dt.timedelta(days=30)})
        if self.value() in {"1", "7", "30"}:
            return queryset.filter(**{f"{self.field}__gte": now - dt.timedelta(days=int(self.value()))})
        return queryset


class FeedbackAgeFilter(AgeFilter):
    field = "created_at"


class AcceptedFilter(admin.SimpleListFilter):
    title = _("credit")
    parameter_name = "credited"

    def lookups(self, request, model_admin):
        return [("yes", _("Accepted for credit")), ("no", _("Not accepted"))]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(accepted_at__isnull=self.value() == "no")
        return queryset


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Note to the reporter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("Required to ask for information, to close or to reopen."),
    )
    original = forms.IntegerField(label=_("Duplicate of report number"), required=False, min_value=1)


def _decision_action(model_admin, request, queryset, *, target: str, label: str, apply):
    """Ask for the note (and the original for duplicates) on a confirmation page, then apply to each row."""
    form = DecisionForm(request.POST if "apply" in request.POST else None)
    if "apply" in request.POST and form.is_valid():
        try:
            result = apply(queryset, form.cleaned_data, request.user)
        except DomainError as error:
            model_admin.message_user(request, error.message, messages.ERROR)
            return None
        if result.done:
            numbers = ", ".join(f"#{pk}" for pk in result.done)
            model_admin.message_user(request, f"{label}: {numbers}.", messages.SUCCESS)
        for pk, reason in result.refused:
            model_admin.message_user(
                request, _("#%(number)s not changed: %(reason)s") % {"number": pk, "reason": reason}, messages.ERROR
            )
        return None
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"{label}: {queryset.count()} selected",
        "objects": queryset,
        "form": form,
        "action": request.POST.get("action"),
        "target": target,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/submissions/decision.html", context)


def _bug_report_action(target: str, label: str):
    def apply(queryset, data, user):
        original = None
        if target == BugReport.Status.DUPLICATE:
            number = data.get("original") or 0
            original = BugReport.objects.filter(pk=number, program__in=programs_staffed_by(user)).first()
            if original is None:
                raise ReportError(_("Give the number of the earlier report these reports duplicate."))
        return services.bug_reports_bulk_move(
            reports=list(queryset), actor=user, to_status=target, reason=data["reason"], original=original
        )

    def action(model_admin, request, queryset):
        return _decision_action(model_admin, request, queryset, target=target, label=label, apply=apply)

    action.__name__ = f"move_to_{target}"
    return admin.action(description=format_lazy(_("{label} (asks for a note)"), label=label), permissions=["change"])(
        action
    )


class ScreenshotInline(ReadOnlyInline):
    model = Screenshot
    fields = ["preview", "original_name", "width", "height", "size_bytes", "created_at"]
    readonly_fields = fields

    @admin.display(description=_("Screenshot"))
    def preview(self, shot: Screenshot) -> str:
        return format_html(
            '<a href="{}"><img src="{}" alt="{}" style="max-height: 120px"></a>',
            reverse("submissions:screenshot", args=[shot.pk]),
            reverse("submissions:screenshot_thumbnail", args=[shot.pk]),
            _("Screenshot %(number)s") % {"number": shot.pk},
        )


class BugReportEventInline(ReadOnlyInline):
    model = BugReportEvent
    select_related = ["actor"]
    fields = ["created_at", "actor", "kind", "from_status", "to_status", "reason"]
    readonly_fields = fields
    verbose_name_plural = _("history")


class BugReportResponseInline(ReadOnlyInline):
    model = BugReportResponse
    fields = ["created_at", "author", "from_staff", "body"]
    readonly_fields = fields


class MeTooInline(ReadOnlyInline):
    model = MeToo
    fields = ["created_at", "user", "note"]
    readonly_fields = fields


@admin.register(BugReport)
class BugReportAdmin(LinkedVideoAdmin):
    list_display = [
        "number",
        "title",
        "program",
        "reporter",
        "status",
        "severity_shown",
        "model_version",
        "me_too_count",
        "submitted_at",
        "credited",
    ]
    list_display_links = ["number", "title"]
    list_filter = ["program", "status", "final_severity", "artist_severity", "model_version", AgeFilter, AcceptedFilter]
    search_fields = ["title", "what_happened", "reporter__email", "reporter__display_name", "model_version"]
    ordering = ["-submitted_at"]
    list_per_page = 50
    date_hierarchy = "submitted_at"
    inlines = [ScreenshotInline, MeTooInline, BugReportResponseInline, BugReportEventInline]
    actions = [
        _bug_report_action(BugReport.Status.TRIAGED, _("Triage (or reopen)")),
        *(_bug_report_action(status, label) for status, label in STAFF_MOVES.items() if status != "triaged"),
        "accept_for_credit",
    ]

    def get_queryset(self, request):
        return with_counts(super().get_queryset(request).submitted())

    @admin.display(description="#", ordering="pk")
    def number(self, report: BugReport) -> str:
        return f"#{report.pk}"

    @admin.display(description=_("Severity"), ordering="severity_rank")
    def severity_shown(self, report: BugReport) -> str:
        if report.final_severity:
            return report.get_final_severity_display()
        return f"{report.get_artist_severity_display()} (reporter)" if report.artist_severity else "—"

    @admin.display(description=_("Me too"), ordering="me_too_count")
    def me_too_count(self, report: BugReport) -> int:
        return report.me_too_count

    @admin.display(description=_("Credited"), boolean=True, ordering="accepted_at")
    def credited(self, report: BugReport) -> bool:
        return report.is_accepted

    @admin.action(description=_("Accept for credit (needs a final severity)"), permissions=["change"])
    def accept_for_credit(self, request, queryset):
        for report in queryset.order_by("pk"):
            try:
                services.bug_report_accept(report=report, actor=request.user)
            except DomainError as error:
                self.message_user(
                    request,
                    _("#%(number)s not accepted: %(why)s") % {"number": report.pk, "why": error.message},
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request, _("#%(number)s accepted for credit.") % {"number": report.pk}, messages.SUCCESS
                )


class FeedbackEventInline(BugReportEventInline):
    model = FeedbackEvent


class FeedbackResponseInline(BugReportResponseInline):
    model = FeedbackResponse


def _feedback_action(target: str, label: str):
    def apply(queryset, data, user):
        result = services.BulkResult(done=[], refused=[])
        for feedback in queryset.order_by("pk"):
            try:
                services.feedback_move(feedback=feedback, actor=user, to_status=target, reason=data["reason"])
            except DomainError as error:
                result.refused.append((feedback.pk, error.message))
            else:
                result.done.append(feedback.pk)
        return result

    def action(model_admin, request, queryset):
        return _decision_action(model_admin, request, queryset, target=target, label=label, apply=apply)

    action.__name__ = f"feedback_to_{target}"
    return admin.action(description=format_lazy(_("{label} (asks for a note)"), label=label), permissions=["change"])(
        action
    )


@admin.register(Feedback)
class FeedbackAdmin(LinkedVideoAdmin):
    list_display = ["number", "summary", "kind", "program", "author", "status", "created_at", "credited"]
    list_display_links = ["number", "summary"]
    list_filter = ["program", "status", "kind", FeedbackAgeFilter, AcceptedFilter]
    search_fields = ["body", "author__email", "author__display_name"]
    ordering = ["-created_at"]
    list_per_page = 50
    inlines = [FeedbackResponseInline, FeedbackEventInline]
    actions = [*(_feedback_action(status, label) for status, label in FEEDBACK_MOVES.items()), "accept_for_credit"]

    @admin.display(description="#", ordering="pk")
    def number(self, feedback: Feedback) -> str:
        return f"#{feedback.pk}"

    @admin.display(description=_("Credited"), boolean=True, ordering="accepted_at")
    def credited(self, feedback: Feedback) -> bool:
        return feedback.is_accepted

    @admin.action(description=_("Accept for credit"), permissions=["change"])
    def accept_for_credit(self, request, queryset):
        for feedback in queryset.order_by("pk"):
            try:
                services.feedback_accept(feedback=feedback, actor=request.user)
            except DomainError as error:
                self.message_user(
                    request,
                    _("#%(number)s not accepted: %(why)s") % {"number": feedback.pk, "why": error.message},
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request, _("#%(number)s accepted for credit.") % {"number": feedback.pk}, messages.SUCCESS
                )


@admin.register(ReportSettings)
class ReportSettingsAdmin(ProgramScopedAdmin):
    """Program staff switch the shared report list and duplicate credits for their own programs."""

    list_display = ["program", "shared_reports_enabled", "credit_duplicates"]
