"""The one place a bug report or a feedback item changes state: lock, check, write, record, tell the reporter."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import lifecycle
from submissions.access.reports import may_triage
from submissions.models import BugReport, Feedback

from ._shared import (
    BUG_REPORT_EXPLANATIONS,
    BUG_REPORT_NEEDS_REASON,
    FEEDBACK_EXPLANATIONS,
    FEEDBACK_NEEDS_REASON,
    F,
    ReportMoveRefused,
    S,
    _bug_label,
    _clean_reason,
    _feedback_label,
    _lock_feedback,
    _lock_report,
    _notify,
    _refuse_same_state,
    _require,
    _status_notice_lines,
)

BUG_REPORT_SUBJECTS = {
    S.TRIAGED: gettext_lazy("Staff are looking at your bug report"),
    S.CONFIRMED: gettext_lazy("Your bug report was confirmed"),
    S.NEEDS_INFO: gettext_lazy("Staff need more information on your bug report"),
    S.DUPLICATE: gettext_lazy("Your bug report was merged into an earlier report"),
    S.NOT_A_BUG: gettext_lazy("Your bug report was closed as not a bug"),
    S.WONT_FIX: gettext_lazy("Your bug report was closed: won't fix"),
    S.FIXED: gettext_lazy("Your bug report is fixed"),
}

FEEDBACK_SUBJECTS = {
    F.ACKNOWLEDGED: gettext_lazy("Staff read your feedback"),
    F.ANSWERED: gettext_lazy("Staff answered your feedback"),
    F.PLANNED: gettext_lazy("Staff plan to act on your feedback"),
    F.DECLINED: gettext_lazy("Staff will not act on your feedback"),
}


def report_move[Report: (BugReport, Feedback)](
    obj: Report,
    *,
    actor,
    target: str,
    reason: str,
    staff: bool = True,
    original: BugReport | None = None,
) -> Report:
    """Move `obj` to `target`, with a reason where the move needs one. Staff only, unless `staff` is False (the
    reporter answering a question); `original` is the earlier report a duplicate merges into. The reporter is told
    of every move someone else makes."""
    is_bug = isinstance(obj, BugReport)
    with transaction.atomic():
        obj = _lock_report(obj) if is_bug else _lock_feedback(obj)
        if staff:
            _require(may_triage(actor, obj.program))
        label = _bug_label if is_bug else _feedback_label
        _refuse_same_state(obj.status, target, label)
        lifecycle.check(type(obj), obj.status, target, refusal=ReportMoveRefused)
        reopening = obj.is_closed
        reason = _clean_reason(
            reason,
            required=target in (BUG_REPORT_NEEDS_REASON if is_bug else FEEDBACK_NEEDS_REASON) or reopening,
            reopening=reopening,
            state=str(label(target)).lower(),
        )
        from_label = label(obj.status)
        changes = {"duplicate_of": original if target == S.DUPLICATE else None, "updated_at": timezone.now()}
        lifecycle.move(
            obj, target, actor=actor, reason=reason, changes=changes if is_bug else None, refusal=ReportMoveRefused
        )
        if actor.pk != (obj.reporter_id if is_bug else obj.author_id):
            _notify(
                obj,
                lambda: (_subject(obj, reopening), _lines(obj, from_label, reason, original)),
                optional="decisions",
            )
    return obj


def _subject(obj: BugReport | Feedback, reopening: bool) -> str:
    if isinstance(obj, BugReport):
        subject = _("Your bug report was reopened") if reopening else BUG_REPORT_SUBJECTS[obj.status]
        return _("%(subject)s: #%(number)s %(title)s") % {"subject": subject, "number": obj.pk, "title": obj.title}
    subject = _("Your feedback was reopened") if reopening else FEEDBACK_SUBJECTS[obj.status]
    return _("%(subject)s: #%(number)s") % {"subject": subject, "number": obj.pk}


def _lines(obj: BugReport | Feedback, from_label: str, reason: str, original: BugReport | None) -> list[str]:
    explanations = BUG_REPORT_EXPLANATIONS if isinstance(obj, BugReport) else FEEDBACK_EXPLANATIONS
    lines = _status_notice_lines(obj, from_label=from_label, explanation=explanations[obj.status], reason=reason)
    if original is None:
        return lines
    merged = _("It was merged into report #%(number)s “%(title)s”, which was reported earlier.") % {
        "number": original.pk,
        "title": original.title,
    }
    return [merged, *lines]
