"""Artists' pages for bug reports and feedback: file, draft, answer, discuss, "me too", and see every response."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.errors import DomainError, Refusal
from core.outcomes import refuse, run_and_redirect
from core.private_media import serve_private_file
from core.request_limits import body_limit
from programs.access import is_program_staff, programs_staffed_by
from programs.models import Program
from programs.refusals import contribution_refusal
from submissions import selectors_reports as selectors
from submissions.access.reports import (
    can_see_report,
    can_see_shared_list,
    can_write,
    contributing_programs,
    get_feedback_for_user,
    get_notice_for_user,
    get_report_for_user,
    get_screenshot_for_user,
    linked_video_for,
    shared_programs,
    shares_reports_with,
)
from submissions.forms.reports import (
    AcceptForm,
    AnswerForm,
    BugReportForm,
    FeedbackForm,
    FeedbackTransitionForm,
    MeTooForm,
    ResponseForm,
    SeverityForm,
    StaffTransitionForm,
)
from submissions.images import THUMBNAIL_CONTENT_TYPE, THUMBNAIL_EXTENSION, screenshots_request_bytes
from submissions.models import BugReport, ReportSettings
from submissions.report_links import report_url
from submissions.services import reports as services
from submissions.services.reports import BUG_REPORT_EXPLANATIONS, FEEDBACK_EXPLANATIONS


def _contributor_programs(user):
    """Programs the user may file in now, as a queryset for form choices (empty when none)."""
    return contributing_programs(user)


@login_required
@require_safe
def report_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    can_contribute = contributing_programs(user).exists()
    context = {
        "notices": selectors.notices_for(user),
        "reports": selectors.own_reports(user),
        "feedback_items": selectors.own_feedback(user),
        "can_contribute": can_contribute,
        "refusal": None if can_contribute else contribution_refusal(user),
        "shared_programs": shared_programs(user),
        "is_triager": programs_staffed_by(user).exists(),
    }
    return render(request, "submissions/reports/report_list.html", context)


@body_limit(screenshots_request_bytes)
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    programs = _contributor_programs(request.user)
    if not programs:
        raise contribution_refusal(request.user)
    submitting = "submit" in request.POST
    form = BugReportForm(
        request.POST or None, request.FILES or None, reporter=request.user, programs=programs, submitting=submitting
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.bug_report_save_draft(
                reporter=request.user,
                program=data["program"],
                fields=data,
                screenshots=data["screenshots"],
                video=data["video"],
                video_timecode=data["video_timecode"],
            )
            if submitting:
                services.bug_report_submit(report=report, actor=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Report submitted. Staff will be in touch.") if submitting else _("Draft saved.")
            )
            return redirect("submissions:report_detail", pk=report.pk)
    return render(
        request, "submissions/reports/report_form.html", {"form": form, "model_versions": _versions(programs)}
    )


def _versions(programs) -> list[str]:
    return selectors.model_versions(BugReport.objects.filter(program__in=programs))


@body_limit(screenshots_request_bytes)
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, write=True)
    if not report.is_draft:
        messages.info(request, _("A submitted report cannot be edited; add a message to it instead."))
        return redirect("submissions:report_detail", pk=report.pk)
    submitting = "submit" in request.POST
    initial = {name: getattr(report, name) for name in services.EDITABLE_FIELDS}
    initial |= {"video": report.video_id, "video_timecode": report.video_timecode, "staff_only": report.staff_only}
    form = BugReportForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        reporter=request.user,
        report=report,
        submitting=submitting,
        existing_screenshots=report.screenshots.count(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.bug_report_save_draft(
                reporter=request.user,
                report=report,
                fields=data,
                screenshots=data["screenshots"],
                video=data["video"],
                video_timecode=data["video_timecode"],
            )
            if submitting:
                services.bug_report_submit(report=report, actor=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Report submitted. Staff will be in touch.") if submitting else _("Draft saved.")
            )
            return redirect("submissions:report_detail", pk=report.pk)
    context = {"form": form, "report": report, "model_versions": _versions([report.program])}
    return render(request, "submissions/reports/report_form.html", context)


@login_required
@require_safe
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    user = request.user
    is_staff = is_program_staff(user, report.program)
    me_toos = list(report.me_toos.select_related("user"))
    context = {
        "report": report,
        "explanation": BUG_REPORT_EXPLANATIONS[report.status],
        "is_reporter": report.reporter_id == user.pk,
        "is_staff": is_staff,
        "can_write": can_write(user, report),
        "linked_video": linked_video_for(user, report),
        "screenshots": report.screenshots.all(),
        "timeline": selectors.timeline(report),
        "me_toos": me_toos,
        "my_me_too": next((m for m in me_toos if m.user_id == user.pk), None),
        "can_me_too": report.reporter_id != user.pk
        and not report.staff_only
        and shares_reports_with(user, report.program),
        "original": report.duplicate_of and services.root_original(report.duplicate_of),
        "response_form": ResponseForm(),
        "answer_form": AnswerForm(),
        "me_too_form": MeTooForm(),
    }
    if context["original"]:
        context["original_visible"] = can_see_report(user, context["original"])
    if is_staff:
        context |= {
            "transition_form": StaffTransitionForm(choices=selectors.staff_moves_for(report)),
            "severity_form": SeverityForm(initial={"severity": report.final_severity or report.artist_severity}),
            "accept_form": AcceptForm(),
            "duplicates": report.duplicates.order_by("submitted_at"),
        }
    return render(request, "submissions/reports/report_detail.html", context)


def _detail_url(report) -> str:
    return reverse("submissions:report_detail", args=[report.pk])


def _back(report) -> HttpResponse:
    return redirect(_detail_url(report))


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, write=True)
    try:
        services.bug_report_submit(report=report, actor=request.user)
    except DomainError as error:
        refuse(request, error)
        if report.is_draft:
            return redirect("submissions:report_edit", pk=report.pk)
    else:
        messages.success(request, _("Report submitted. Staff will be in touch."))
    return _back(report)


@login_required
@require_POST
def report_discard(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, write=True)
    try:
        services.bug_report_discard_draft(report=report, actor=request.user)
    except DomainError as error:
        refuse(request, error)
        return _back(report)
    messages.success(request, _("Draft discarded."))
    return redirect("submissions:reports")


@body_limit(screenshots_request_bytes)
@login_required
@require_POST
def report_answer(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk, write=True)
    form = AnswerForm(request.POST, request.FILES, existing_screenshots=report.screenshots.count())
    if not form.is_valid():
        return _invalid(request, form, report)
    data = form.cleaned_data
    return run_and_redirect(
        request,
        lambda: services.bug_report_answer(
            report=report, actor=request.user, answer=data["answer"], screenshots=data["screenshots"]
        ),
        success=_("Thank you. Your answer went back to staff."),
        to=_detail_url(report),
    )


def _invalid(request, form, obj) -> HttpResponse:
    for errors in form.errors.values():
        for error in errors:
            refuse(request, error)
    if obj is None:
        return redirect("submissions:reports")
    return redirect(report_url(obj))


@login_required
@require_POST
def report_respond(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    if not can_write(request.user, report):
        raise Refusal(
            _("Only the reporter and program staff can write here."),
            next_url=reverse("submissions:report_detail", args=[report.pk]),
            next_label=_("Back to the report"),
        )
    form = ResponseForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, report)
    return run_and_redirect(
        request,
        lambda: services.bug_report_respond(report=report, author=request.user, body=form.cleaned_data["body"]),
        success=_("Message added."),
        to=_detail_url(report),
    )


@login_required
@require_POST
def report_me_too(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    form = MeTooForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, report)
    return run_and_redirect(
        request,
        lambda: services.bug_report_me_too(report=report, user=request.user, note=form.cleaned_data["note"]),
        success=_("Added your “me too”."),
        to=_detail_url(report),
    )


@login_required
@require_POST
def report_me_too_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)
    return run_and_redirect(
        request,
        lambda: services.bug_report_withdraw_me_too(report=report, user=request.user),
        success=_("Removed your “me too”."),
        to=_detail_url(report),
    )


@login_required
@require_safe
def report_shared_list(request: HttpRequest, slug: str) -> HttpResponse:
    program = Program.objects.filter(slug=slug).first()
    if program is None or not can_see_shared_list(request.user, program):
        raise Http404("No shared report list here.")
    context = {
        "program": program,
        "reports": selectors.shared_reports(program),
        "settings": ReportSettings.for_program(program),
    }
    return render(request, "submissions/reports/shared_list.html", context)


# --- Screenshots -------------------------------------------------------------------------------


@login_required
@require_safe
def screenshot_file(request: HttpRequest, pk: int) -> HttpResponse:
    shot = get_screenshot_for_user(request.user, pk)
    name = f"report-{shot.report_id}-screenshot-{shot.pk}.{shot.extension}"
    return serve_private_file(shot.file, download_name=name, content_type=shot.content_type)


@login_required
@require_safe
def screenshot_thumbnail(request: HttpRequest, pk: int) -> HttpResponse:
    shot = get_screenshot_for_user(request.user, pk)
    name = f"report-{shot.report_id}-screenshot-{shot.pk}-thumb.{THUMBNAIL_EXTENSION}"
    return serve_private_file(shot.thumbnail, download_name=name, content_type=THUMBNAIL_CONTENT_TYPE)


@login_required
@require_POST
def screenshot_remove(request: HttpRequest, pk: int) -> HttpResponse:
    shot = get_screenshot_for_user(request.user, pk, write=True)
    try:
        services.screenshot_remove(screenshot=shot, actor=request.user)
    except DomainError as error:
        refuse(request, error)
    else:
        messages.success(request, _("Screenshot removed."))
    return _back(shot.report)


# --- Feedback ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def feedback_new(request: HttpRequest) -> HttpResponse:
    programs = _contributor_programs(request.user)
    if not programs:
        raise contribution_refusal(request.user)
    form = FeedbackForm(
        request.POST or None, author=request.user, programs=programs, initial={"kind": request.GET.get("kind", "")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            feedback = services.feedback_submit(
                author=request.user,
                program=data["program"],
                kind=data["kind"],
                body=data["body"],
                video=data["video"],
                video_timecode=data["video_timecode"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you for your feedback."))
            return redirect("submissions:feedback_detail", pk=feedback.pk)
    return render(request, "submissions/reports/feedback_form.html", {"form": form})


@login_required
@require_safe
def feedback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = get_feedback_for_user(request.user, pk)
    is_staff = is_program_staff(request.user, feedback.program)
    context = {
        "feedback": feedback,
        "explanation": FEEDBACK_EXPLANATIONS[feedback.status],
        "is_author": feedback.author_id == request.user.pk,
        "is_staff": is_staff,
        "can_write": can_write(request.user, feedback),
        "linked_video": linked_video_for(request.user, feedback),
        "timeline": selectors.timeline(feedback),
        "response_form": ResponseForm(),
    }
    if is_staff:
        context["transition_form"] = FeedbackTransitionForm()
        context["transition_form"].fields["to_status"].choices = selectors.feedback_moves_for(feedback)
    return render(request, "submissions/reports/feedback_detail.html", context)


@login_required
@require_POST
def feedback_respond(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = get_feedback_for_user(request.user, pk)
    if not can_write(request.user, feedback):
        raise Refusal(
            _("Only the author and program staff can write here."),
            next_url=reverse("submissions:feedback_detail", args=[feedback.pk]),
            next_label=_("Back to the feedback"),
        )
    form = ResponseForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, feedback)
    return run_and_redirect(
        request,
        lambda: services.feedback_respond(feedback=feedback, author=request.user, body=form.cleaned_data["body"]),
        success=_("Message added."),
        to=reverse("submissions:feedback_detail", args=[feedback.pk]),
    )


# --- Notices -----------------------------------------------------------------------------------


@login_required
@require_POST
def notice_read(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_notice_for_user(request.user, pk)
    services.notices_mark_read(user=request.user, notice=notice)
    return redirect("submissions:reports")


@login_required
@require_POST
def notices_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notices_mark_read(user=request.user)
    messages.success(
        request,
        ngettext("Marked %(count)d notice as read.", "Marked %(count)d notices as read.", count) % {"count": count},
    )
    return redirect("submissions:reports")
