"""Staff move bug reports through triage; the reporter answers a request for information."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from core import lifecycle
from core.errors import DomainError
from submissions.access.reports import may_file_reports, may_triage
from submissions.images import ProcessedImage
from submissions.models import BugReport, Severity

from ._shared import (
    BUG_REPORT_EXPLANATIONS,
    BUG_REPORT_NEEDS_REASON,
    ReportError,
    ReportMoveRefused,
    S,
    _atomic_with_files,
    _bug_label,
    _check_screenshot_room,
    _clean_reason,
    _lock_report,
    _notify,
    _refuse_same_state,
    _require,
    _set_final_severity,
    _status_notice_lines,
    _store_screenshots,
)

BUG_REPORT_SUBJECTS = {
    S.TRIAGED: "Staff are looking at your bug report",
    S.CONFIRMED: "Your bug report was confirmed",
    S.NEEDS_INFO: "Staff need more information on your bug report",
    S.DUPLICATE: "Your bug report was merged into an earlier report",
    S.NOT_A_BUG: "Your bug report was closed as not a bug",
    S.WONT_FIX: "Your bug report was closed: won't fix",
    S.FIXED: "Your bug report is fixed",
}


def _transition_bug(
    report: BugReport, *, actor, target: str, reason: str, staff: bool = True, original: BugReport | None = None
) -> BugReport:
    """The one place a bug report changes state: lock, check, write, record, notify."""
    with transaction.atomic():
        report = _lock_report(report)
        if staff:
            _require(may_triage(actor, report.program))
        _refuse_same_state(report.status, target, _bug_label)
        lifecycle.check(BugReport, report.status, target, refusal=ReportMoveRefused)
        reopening = report.is_closed
        reason = _clean_reason(
            reason,
            required=target in BUG_REPORT_NEEDS_REASON or reopening,
            what="why it is reopened" if reopening else f"why it is {_bug_label(target).lower()}",
        )
        from_status = report.status
        changes = {"duplicate_of": original if target == S.DUPLICATE else None, "updated_at": timezone.now()}
        lifecycle.move(report, target, actor=actor, reason=reason, changes=changes, refusal=ReportMoveRefused)
        if actor.pk != report.reporter_id:
            subject = "Your bug report was reopened" if reopening else BUG_REPORT_SUBJECTS[target]
            merged = (
                f"It was merged into report #{original.pk} “{original.title}”, which was reported earlier."
                if original
                else ""
            )
            lines = _status_notice_lines(
                report,
                from_label=_bug_label(from_status),
                explanation=BUG_REPORT_EXPLANATIONS[target],
                reason=reason,
            )
            _notify(report, subject=f"{subject}: #{report.pk} {report.title}", lines=[merged, *lines])
    return report


def bug_report_triage(*, report: BugReport, actor, reason: str = "") -> BugReport:
    """new -> triaged, or needs_info -> triaged when staff take it back without waiting for an answer."""
    if report.is_closed:
        raise ReportError("A closed report is reopened, not triaged: use “Reopen” and say why.")
    return _transition_bug(report, actor=actor, target=S.TRIAGED, reason=reason)


def bug_report_confirm(*, report: BugReport, actor, reason: str = "") -> BugReport:
    return _transition_bug(report, actor=actor, target=S.CONFIRMED, reason=reason)


def bug_report_request_info(*, report: BugReport, actor, reason: str) -> BugReport:
    """triaged -> needs_info: the report goes back to the reporter with staff's question."""
    return _transition_bug(report, actor=actor, target=S.NEEDS_INFO, reason=reason)


def bug_report_close(*, report: BugReport, actor, status: str, reason: str) -> BugReport:
    """Close as not a bug or won't fix, with a note to the reporter."""
    if status not in (S.NOT_A_BUG, S.WONT_FIX):
        raise ReportError("A report is closed as “not a bug” or “won't fix”.")
    return _transition_bug(report, actor=actor, target=status, reason=reason)


def bug_report_fix(*, report: BugReport, actor, reason: str) -> BugReport:
    """confirmed -> fixed; the note says where the fix is (e.g. the model version)."""
    return _transition_bug(report, actor=actor, target=S.FIXED, reason=reason)


def bug_report_reopen(*, report: BugReport, actor, reason: str) -> BugReport:
    """A closed report goes back to triage (a duplicate loses its link to the original)."""
    if not report.is_closed:
        raise ReportError("Only a closed report can be reopened.")
    return _transition_bug(report, actor=actor, target=S.TRIAGED, reason=reason)


def bug_report_mark_duplicate(*, report: BugReport, actor, original: BugReport, reason: str) -> BugReport:
    """triaged -> duplicate of an earlier report in the same program. The earlier reporter keeps the credit."""
    original = root_original(original)
    if original.pk == report.pk:
        raise ReportError("A report cannot be a duplicate of itself.")
    if original.program_id != report.program_id:
        raise ReportError(f"Report #{original.pk} belongs to another program.")
    if original.is_draft:
        raise ReportError(f"Report #{original.pk} has not been submitted.")
    if report.submitted_at and original.submitted_at and original.submitted_at > report.submitted_at:
        raise ReportError(
            f"Report #{original.pk} was submitted after #{report.pk}: mark the later one as the duplicate, "
            "so the first reporter keeps the credit."
        )
    if report.is_accepted:
        raise ReportError(f"Report #{report.pk} was already accepted for credit as an original report.")
    return _transition_bug(report, actor=actor, target=S.DUPLICATE, reason=reason, original=original)


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
        raise ReportError("Write your answer to the staff's question.")
    with _atomic_with_files() as stored:
        locked = _lock_report(report)
        if locked.reporter_id != actor.pk:
            raise ReportError("Only the reporter can answer.")
        _require(may_file_reports(actor, locked.program))
        if locked.status != S.NEEDS_INFO:
            raise ReportError("Staff have not asked for more information on this report.")
        if screenshots:
            _check_screenshot_room(locked, list(screenshots))
            _store_screenshots(locked, list(screenshots), stored)
        report = _transition_bug(locked, actor=actor, target=S.TRIAGED, reason=answer, staff=False)
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
            raise ReportError("Say which earlier report this one duplicates.")
        return bug_report_mark_duplicate(report=report, actor=actor, original=original, reason=reason)
    services = {
        S.CONFIRMED: bug_report_confirm,
        S.NEEDS_INFO: bug_report_request_info,
        S.FIXED: bug_report_fix,
    }
    if to_status in (S.NOT_A_BUG, S.WONT_FIX):
        return bug_report_close(report=report, actor=actor, status=to_status, reason=reason)
    if to_status not in services:
        raise ReportError("Staff cannot move a report to that state.")
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
        raise ReportError("Choose a severity: low, medium, high or critical.")
    with transaction.atomic():
        report = _lock_report(report)
        _require(may_triage(actor, report.program))
        _set_final_severity(report, actor=actor, severity=severity, reason=reason)
    return report
