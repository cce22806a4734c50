"""Every write to bug reports and feedback: one function per transition, each atomic, each with a history row.

Bug reports:  draft -> new -> triaged -> confirmed | needs_info | duplicate | not_a_bug | wont_fix,
              confirmed -> fixed, needs_info -> triaged (the reporter answers) or closed by staff,
              and staff may reopen a closed report (back to triaged, with a reason).
Feedback:     new -> acknowledged | answered | planned | declined, acknowledged -> answered | planned | declined,
              and staff may reopen a closed one (back to acknowledged).

The reporter is told of every change someone else makes, with the reason: an in-portal notice on /reports/
and an email sent by a Celery task after the transaction commits.
"""

from ._shared import (
    BUG_REPORT_CREDITABLE,
    BUG_REPORT_EXPLANATIONS,
    BUG_REPORT_NEEDS_REASON,
    EDITABLE_FIELDS,
    FEEDBACK_EXPLANATIONS,
    FEEDBACK_NEEDS_REASON,
    REQUIRED_TO_SUBMIT,
    F,
    ReportError,
    ReportMoveRefused,
    S,
    notice_mail_key,
)
from .bug_reports import (
    bug_report_add_screenshots,
    bug_report_discard_draft,
    bug_report_save_draft,
    bug_report_submit,
    screenshot_remove,
)
from .credits import bug_report_accept, feedback_accept
from .feedback import (
    feedback_acknowledge,
    feedback_answer,
    feedback_decline,
    feedback_move,
    feedback_plan,
    feedback_reopen,
    feedback_submit,
)
from .moves import BUG_REPORT_SUBJECTS, FEEDBACK_SUBJECTS, report_move
from .notices import notices_mark_read
from .threads import bug_report_me_too, bug_report_respond, bug_report_withdraw_me_too, feedback_respond
from .triage import (
    BulkResult,
    bug_report_answer,
    bug_report_close,
    bug_report_confirm,
    bug_report_fix,
    bug_report_mark_duplicate,
    bug_report_move,
    bug_report_reopen,
    bug_report_request_info,
    bug_report_set_severity,
    bug_report_triage,
    bug_reports_bulk_move,
    root_original,
)

__all__ = [
    "BUG_REPORT_CREDITABLE",
    "BUG_REPORT_EXPLANATIONS",
    "BUG_REPORT_NEEDS_REASON",
    "BUG_REPORT_SUBJECTS",
    "EDITABLE_FIELDS",
    "FEEDBACK_EXPLANATIONS",
    "FEEDBACK_NEEDS_REASON",
    "FEEDBACK_SUBJECTS",
    "REQUIRED_TO_SUBMIT",
    "BulkResult",
    "F",
    "ReportError",
    "ReportMoveRefused",
    "S",
    "bug_report_accept",
    "bug_report_add_screenshots",
    "bug_report_answer",
    "bug_report_close",
    "bug_report_confirm",
    "bug_report_discard_draft",
    "bug_report_fix",
    "bug_report_mark_duplicate",
    "bug_report_me_too",
    "bug_report_move",
    "bug_report_reopen",
    "bug_report_request_info",
    "bug_report_respond",
    "bug_report_save_draft",
    "bug_report_set_severity",
    "bug_report_submit",
    "bug_report_triage",
    "bug_report_withdraw_me_too",
    "bug_reports_bulk_move",
    "feedback_accept",
    "feedback_acknowledge",
    "feedback_answer",
    "feedback_decline",
    "feedback_move",
    "feedback_plan",
    "feedback_reopen",
    "feedback_respond",
    "feedback_submit",
    "notice_mail_key",
    "notices_mark_read",
    "report_move",
    "root_original",
    "screenshot_remove",
]
