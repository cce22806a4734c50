"""Accepting a bug report or feedback credits the reporter."""

from django.db import transaction
from django.utils import timezone

from programs.models import Credit
from programs.services.compensation import credit_record
from submissions.access.reports import may_triage
from submissions.models import BugReport, BugReportEvent, Feedback, FeedbackEvent, ReportSettings, Severity
from submissions.report_links import report_url

from ._shared import (
    BUG_REPORT_CREDITABLE,
    F,
    ReportError,
    S,
    _lock_feedback,
    _lock_report,
    _notify,
    _require,
    _set_final_severity,
)


def bug_report_accept(*, report: BugReport, actor, final_severity: str = "") -> BugReport:
    """Accept a confirmed, fixed or duplicate report for credit, once. The credit is recorded in the same
    transaction, keyed by the report's id; a duplicate earns the (rate card's) duplicate credit."""
    with transaction.atomic():
        report = _lock_report(report)
        _require(may_triage(actor, report.program))
        if report.is_accepted:
            raise ReportError(f"Report #{report.pk} was already accepted for credit.")
        if report.status not in BUG_REPORT_CREDITABLE:
            raise ReportError("Only confirmed, fixed or duplicate reports can be accepted for credit.")
        if final_severity:
            if final_severity not in Severity.values:
                raise ReportError("Choose a severity: low, medium, high or critical.")
            _set_final_severity(report, actor=actor, severity=final_severity)
        if not report.final_severity:
            raise ReportError("Set a final severity first: the credit depends on it.")
        duplicate = report.status == S.DUPLICATE
        if duplicate and not ReportSettings.for_program(report.program).credit_duplicates:
            raise ReportError("This program does not credit duplicate reports.")
        kind = Credit.Kind.BUG_REPORT_DUPLICATE if duplicate else Credit.Kind.BUG_REPORT
        report.credit = credit_record(
            user=report.reporter,
            program=report.program,
            kind=kind,
            idempotency_key=report.pk,
            source_label=f"Bug report #{report.pk}: {report.title}"[:200],
            source_url=report_url(report),
            severity=report.final_severity,
            occurred_on=timezone.localdate(report.submitted_at or report.created_at),
            actor=actor,
        )
        report.accepted_at, report.accepted_by = timezone.now(), actor
        report.save(update_fields=["accepted_at", "accepted_by", "credit", "updated_at"])
        BugReportEvent.objects.create(
            report=report,
            actor=actor,
            kind=BugReportEvent.Kind.CREDIT,
            to_status=kind,
            reason=f"Final severity: {report.get_final_severity_display()}.",
        )
        _notify(
            report,
            subject=f"Your bug report was accepted for credit: #{report.pk} {report.title}",
            lines=[
                "Staff accepted it as a credited contribution"
                + (" (a duplicate: the earlier reporter keeps the full credit)." if duplicate else "."),
                f"Final severity: {report.get_final_severity_display()}.",
                "The amount follows the program's rate card and appears on your statement.",
            ],
        )
    return report


def feedback_accept(*, feedback: Feedback, actor) -> Feedback:
    """Accept feedback staff have read as a credited contribution, once, keyed by its id."""
    with transaction.atomic():
        feedback = _lock_feedback(feedback)
        _require(may_triage(actor, feedback.program))
        if feedback.is_accepted:
            raise ReportError(f"Feedback #{feedback.pk} was already accepted for credit.")
        if feedback.status == F.NEW:
            raise ReportError("Read the feedback first: acknowledge, answer, plan or decline it.")
        feedback.credit = credit_record(
            user=feedback.author,
            program=feedback.program,
            kind=Credit.Kind.FEEDBACK,
            idempotency_key=feedback.pk,
            source_label=f"Feedback #{feedback.pk} ({feedback.get_kind_display()}): {feedback.summary}"[:200],
            source_url=report_url(feedback),
            occurred_on=timezone.localdate(feedback.created_at),
            actor=actor,
        )
        feedback.accepted_at, feedback.accepted_by = timezone.now(), actor
        feedback.save(update_fields=["accepted_at", "accepted_by", "credit"])
        FeedbackEvent.objects.create(
            feedback=feedback, actor=actor, kind=FeedbackEvent.Kind.CREDIT, to_status=Credit.Kind.FEEDBACK
        )
        _notify(
            feedback,
            subject=f"Your feedback was accepted for credit: #{feedback.pk}",
            lines=[
                "Staff accepted it as a credited contribution.",
                "The amount follows the program's rate card and appears on your statement.",
            ],
        )
    return feedback
