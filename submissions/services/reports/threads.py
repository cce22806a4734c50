"""Threads: staff responses, the reporter's replies, "me too"."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from programs.access import is_program_staff
from submissions.access.reports import may_file_reports
from submissions.models import BugReport, BugReportResponse, Feedback, FeedbackResponse, MeToo, ReportSettings

from ._shared import ReportError, S, _lock_feedback, _lock_report, _notify, _require


def _respond(obj: BugReport | Feedback, *, author, body: str, response_model, fk: str):
    body = (body or "").strip()
    if not body:
        raise ReportError(_("Write a message first."))
    owner_id = obj.reporter_id if isinstance(obj, BugReport) else obj.author_id
    staff = is_program_staff(author, obj.program)
    if author.pk == owner_id:
        _require(may_file_reports(author, obj.program))
    elif not staff:
        raise ReportError(_("Only the reporter and program staff can write here."))
    response = response_model.objects.create(
        author=author, from_staff=staff and author.pk != owner_id, body=body, **{fk: obj}
    )
    if response.from_staff:
        _notify(obj, lambda: (_reply_subject(obj), [_("Staff wrote: %(body)s") % {"body": body}]), optional="decisions")
    return response


def _reply_subject(obj: BugReport | Feedback) -> str:
    if isinstance(obj, BugReport):
        return _("Staff replied to your bug report: #%(number)s %(title)s") % {"number": obj.pk, "title": obj.title}
    return _("Staff replied to your feedback: #%(number)s") % {"number": obj.pk}


def bug_report_respond(*, report: BugReport, author, body: str) -> BugReportResponse:
    with transaction.atomic():
        report = _lock_report(report)
        if report.is_draft:
            raise ReportError(_("A draft has no conversation yet: submit it first."))
        return _respond(report, author=author, body=body, response_model=BugReportResponse, fk="report")


def feedback_respond(*, feedback: Feedback, author, body: str) -> FeedbackResponse:
    with transaction.atomic():
        feedback = _lock_feedback(feedback)
        return _respond(feedback, author=author, body=body, response_model=FeedbackResponse, fk="feedback")


def bug_report_me_too(*, report: BugReport, user, note: str = "") -> MeToo:
    """Another artist in the program says they hit the same bug. Only where the program shares reports."""
    with transaction.atomic():
        report = _lock_report(report)
        if report.reporter_id == user.pk:
            raise ReportError(_("This is your own report."))
        if report.is_draft or not ReportSettings.for_program(report.program).shared_reports_enabled:
            raise ReportError(_("This program does not share reports between artists."))
        if report.staff_only:
            raise ReportError(_("The reporter kept this report out of the shared list."))
        _require(may_file_reports(user, report.program))
        if report.status == S.DUPLICATE:
            raise ReportError(
                _("This report is a duplicate of #%(number)s: add your “me too” there.")
                % {"number": report.duplicate_of_id}
            )
        if report.is_closed:
            raise ReportError(_("This report is closed. If you still see the problem, file a new report."))
        try:
            with transaction.atomic():
                return MeToo.objects.create(report=report, user=user, note=(note or "").strip())
        except IntegrityError as exc:
            raise ReportError(_("You already said “me too” on this report.")) from exc


def bug_report_withdraw_me_too(*, report: BugReport, user) -> None:
    deleted, _count = MeToo.objects.filter(report=report, user=user).delete()
    if not deleted:
        raise ReportError(_("You had not said “me too” on this report."))
