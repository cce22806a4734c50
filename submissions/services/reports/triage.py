"""Staff move bug reports through triage; the reporter answers a request for information."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from submissions.access.reports import may_file_reports, may_triage
from submissions.images import ProcessedImage
from submissions.models import BugReport, Severity

from ._shared import (
    ReportError,
    S,
    _atomic_with_files,
    _check_screenshot_room,
    _lock_report,
    _require,
    _set_final_severity,
    _store_screenshots,
)
from .moves import report_move


def bug_report_triage(*, report: BugReport, actor, reason: str = "") -> BugReport:
    """new -> triaged, or needs_info -> triaged when staff take it back without waiting for an answer."""
    if report.is_closed:
        raise ReportError(_("A closed report is reopened, not triaged: use “Reopen” and say why."))
    return report_move(report, actor=actor, target=S.TRIAGED, reason=reason)


def bug_report_confirm(*, report: BugReport, actor, reason: str = "") -> BugReport:
    return report_move(report, actor=actor, target=S.CONFIRMED, reason=reason)


def bug_report_request_info(*, report: BugReport, actor, reason: str) -> BugReport:
    """triaged -> needs_info: the report goes back to the reporter with staff's question."""
    return report_move(report, actor=actor, target=S.NEEDS_INFO, reason=reason)


def bug_report_close(*, report: BugReport, actor, status: str, reason: str) -> BugReport:
    """Close as not a bug or won't fix, with a note to the reporter."""
    if status not in (S.NOT_A_BUG, S.WONT_FIX):
        raise ReportError(_("A report is closed as “not a bug” or “won't fix”."))
    return report_move(report, actor=actor, target=status, reason=reason)


def bug_report_fix(*, report: BugReport, actor, reason: str) -> BugReport:
    """confirmed -> fixed; the note says where the fix is (e.g. the model version)."""
    return report_move(report, actor=actor, target=S.FIXED, reason=reason)


def bug_report_reopen(*, report: BugReport, actor, reason: str) -> BugReport:
    """A closed report goes back to triage (a duplicate loses its link to the original)."""
    if not report.is_closed:
        raise ReportError(_("Only a closed report can be reopened."))
    return report_move(report, actor=actor, target=S.TRIAGED, reason=reason)


def bug_report_mark_duplicate(*, report: BugReport, actor, original: BugReport, reason: str) -> BugReport:
    """triaged -> duplicate of an earlier report in the same program. The earlier reporter keeps the credit."""
    original = root_original(original)
    if original.pk == report.pk:
        raise ReportError(_("A report cannot be a duplicate of itself."))
    if original.program_id != report.program_id:
        raise ReportError(_("Report #%(number)s belongs to another program.") % {"number": original.pk})
    if original.is_draft:
        raise ReportError(_("Report #%(number)s has not been submitted.") % {"number": original.pk})
    if report.submitted_at and original.submitted_at and original.submitted_at > report.submitted_at:
        raise ReportError(
            _(
                "Report #%(original)s was submitted after #%(report)s: mark the later one as the duplicate, "
                "so the first reporter keeps the credit."
            )
            % {"original": original.pk, "report": report.pk}
        )
    if report.is_accepted:
        raise ReportError(
            _("Report #%(number)s was already accepted for credit as an original report.") % {"number": report.pk}
        )
    return report_move(report, actor=actor, target=S.DUPLICATE, reason=reason, original=original)


def root_original(report: BugReport) -> BugReport:
    """Follow duplicate links to the report that is not itself a duplicate."""
    seen = {report.pk}
    while report.duplicate_of_id and report.duplicate_of_id not in seen:
        report = BugReport.objects.get(pk=report.duplicate_of_id)
        seen.add(report.pk)
    return report


def bug_report_answer(*, report: BugReport, actor, answer: str, screenshots: list[ProcessedImage] = ()) -> BugReport:
    """needs_info -> triaged, by the reporter, with the answer (and optionally more screenshots)."""
    answer = (answer or "").strip()
    if not answer:
        raise ReportError(_("Write your answer to the staff's question."))
    with _atomic_with_files() as stored:
        locked = _lock_report(report)
        if locked.reporter_id != actor.pk:
            raise ReportError(_("Only the reporter can answer."))
        _require(may_file_reports(actor, locked.program))
        if locked.status != S.NEEDS_INFO:
            raise ReportError(_("Staff have not asked for more information on this report."))
        if screenshots:
            _check_screenshot_room(locked, list(screenshots))
            _store_screenshots(locked, list(screenshots), stored)
        report = report_move(locked, actor=actor, target=S.TRIAGED, reason=answer, staff=False)
    return report


def bug_report_move(
    *, report: BugReport, actor, to_status: str, reason: str = "", original: BugReport | None = None
) -> BugReport:
    """Dispatch a staff decision from a form, the triage page or the admin to its service."""
    if to_status == S.TRIAGED:
        if report.is_closed:
            return bug_report_reopen(report=report, actor=actor, reason=reason)
        return bug_report_triage(report=report, actor=actor, reason=reason)
    if to_status == S.DUPLICATE:
        if original is None:
            raise ReportError(_("Say which earlier report this one duplicates."))
        return bug_report_mark_duplicate(report=report, actor=actor, original=original, reason=reason)
    services = {
        S.CONFIRMED: bug_report_confirm,
        S.NEEDS_INFO: bug_report_request_info,
        S.FIXED: bug_report_fix,
    }
    if to_status in (S.NOT_A_BUG, S.WONT_FIX):
        return bug_report_close(report=report, actor=actor, status=to_status, reason=reason)
    if to_status not in services:
        raise ReportError(_("Staff cannot move a report to that state."))
    return services[to_status](report=report, actor=actor, reason=reason)


@dataclass
class BulkResult:
    done: list[int]
    refused: list[tuple[int, str]]


def bug_reports_bulk_move(
    *, reports: Iterable[BugReport], actor, to_status: str, reason: str = "", original: BugReport | None = None
) -> BulkResult:
    """Apply one decision to many reports; each succeeds or is refused on its own."""
    result = BulkResult(done=[], refused=[])
    for report in sorted(reports, key=lambda r: r.pk):
        try:
            bug_report_move(report=report, actor=actor, to_status=to_status, reason=reason, original=original)
        except DomainError as error:
            result.refused.append((report.pk, error.message))
        else:
            result.done.append(report.pk)
    return result


def bug_report_set_severity(*, report: BugReport, actor, severity: str, reason: str = "") -> BugReport:
    """Staff set the final severity (what the rate card prices). Fixed once the report is credited."""
    if severity not in Severity.values:
        raise ReportError(_("Choose a severity: low, medium, high or critical."))
    with transaction.atomic():
        report = _lock_report(report)
        _require(may_triage(actor, report.program))
        _set_final_severity(report, actor=actor, severity=severity, reason=reason)
    return report
