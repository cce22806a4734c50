"""Accepting a bug report or feedback credits the reporter."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.recorded import Choice, Said, columns
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
            raise ReportError(_("Report #%(number)s was already accepted for credit.") % {"number": report.pk})
        if report.status not in BUG_REPORT_CREDITABLE:
            raise ReportError(_("Only confirmed, fixed or duplicate reports can be accepted for credit."))
        if final_severity:
            if final_severity not in Severity.values:
                raise ReportError(_("Choose a severity: low, medium, high or critical."))
            _set_final_severity(report, actor=actor, severity=final_severity)
        if not report.final_severity:
            raise ReportError(_("Set a final severity first: the credit depends on it."))
        duplicate = report.status == S.DUPLICATE
        if duplicate and not ReportSettings.for_program(report.program).credit_duplicates:
            raise ReportError(_("This program does not credit duplicate reports."))
        kind = Credit.Kind.BUG_REPORT_DUPLICATE if duplicate else Credit.Kind.BUG_REPORT
        report.credit = credit_record(
            user=report.reporter,
            program=report.program,
            kind=kind,
            idempotency_key=report.pk,
            source_label=Said(
                gettext_noop("Bug report #%(number)s: %(title)s"), number=report.pk, title=report.title[:180]
            ),
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
            **columns(
                "reason",
                Said(gettext_noop("Final severity: %(severity)s."), severity=Choice(Severity, report.final_severity)),
            ),
        )
        _notify(report, lambda: _accepted_report_notice(report, duplicate))
    return report


def _accepted_report_notice(report: BugReport, duplicate: bool) -> tuple[str, list[str]]:
    subject = _("Your bug report was accepted for credit: #%(number)s %(title)s") % {
        "number": report.pk,
        "title": report.title,
    }
    if duplicate:
        accepted = _(
            "Staff accepted it as a credited contribution (a duplicate: the earlier reporter keeps the full credit)."
        )
    else:
        accepted = _("Staff accepted it as a credited contribution.")
    return subject, [
        accepted,
        _("Final severity: %(severity)s.") % {"severity": report.get_final_severity_display()},
        _("The amount follows the program's rate card and appears on your statement."),
    ]


def feedback_accept(*, feedback: Feedback, actor) -> Feedback:
    """Accept feedback staff have read as a credited contribution, once, keyed by its id."""
    with transaction.atomic():
        feedback = _lock_feedback(feedback)
        _require(may_triage(actor, feedback.program))
        if feedback.is_accepted:
            raise ReportError(_("Feedback #%(number)s was already accepted for credit.") % {"number": feedback.pk})
        if feedback.status == F.NEW:
            raise ReportError(_("Read the feedback first: acknowledge, answer, plan or decline it."))
        feedback.credit = credit_record(
            user=feedback.author,
            program=feedback.program,
            kind=Credit.Kind.FEEDBACK,
            idempotency_key=feedback.pk,
            source_label=Said(
                gettext_noop("Feedback #%(number)s (%(kind)s): %(summary)s"),
                number=feedback.pk,
                kind=Choice(Feedback.Kind, feedback.kind),
                summary=feedback.summary[:160],
            ),
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
            lambda: (
                _("Your feedback was accepted for credit: #%(number)s") % {"number": feedback.pk},
                [
                    _("Staff accepted it as a credited contribution."),
                    _("The amount follows the program's rate card and appears on your statement."),
                ],
            ),
        )
    return feedback
