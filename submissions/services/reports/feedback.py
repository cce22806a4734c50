"""Feedback: submission and every staff move."""

from django.db import transaction

from core import lifecycle
from programs.models import Program
from submissions.access.reports import may_file_reports, may_triage
from submissions.models import Feedback, Video

from ._shared import (
    FEEDBACK_EXPLANATIONS,
    FEEDBACK_NEEDS_REASON,
    F,
    ReportError,
    ReportMoveRefused,
    _check_video_link,
    _clean_reason,
    _feedback_label,
    _lock_feedback,
    _notify,
    _refuse_same_state,
    _require,
    _status_notice_lines,
)


def feedback_submit(
    *,
    author,
    program: Program,
    kind: str,
    body: str,
    video: Video | None = None,
    video_timecode: int | None = None,
) -> Feedback:
    body = (body or "").strip()
    if kind not in Feedback.Kind.values:
        raise ReportError("Choose what kind of feedback this is.")
    if not body:
        raise ReportError("Write your feedback first.")
    with transaction.atomic():
        _require(may_file_reports(author, program))
        _check_video_link(author, program, video, video_timecode)
        feedback = Feedback.objects.create(
            program=program, author=author, kind=kind, body=body, video=video, video_timecode=video_timecode
        )
        lifecycle.start(feedback, actor=author)
    return feedback


FEEDBACK_SUBJECTS = {
    F.ACKNOWLEDGED: "Staff read your feedback",
    F.ANSWERED: "Staff answered your feedback",
    F.PLANNED: "Staff plan to act on your feedback",
    F.DECLINED: "Staff will not act on your feedback",
}


def _transition_feedback(feedback: Feedback, *, actor, target: str, reason: str) -> Feedback:
    with transaction.atomic():
        feedback = _lock_feedback(feedback)
        _require(may_triage(actor, feedback.program))
        _refuse_same_state(feedback.status, target, _feedback_label)
        lifecycle.check(Feedback, feedback.status, target, refusal=ReportMoveRefused)
        reopening = feedback.is_closed
        reason = _clean_reason(
            reason,
            required=target in FEEDBACK_NEEDS_REASON or reopening,
            what="why it is reopened" if reopening else f"why it is {_feedback_label(target).lower()}",
        )
        from_status = feedback.status
        lifecycle.move(feedback, target, actor=actor, reason=reason, refusal=ReportMoveRefused)
        subject = "Your feedback was reopened" if reopening else FEEDBACK_SUBJECTS[target]
        _notify(
            feedback,
            subject=f"{subject}: #{feedback.pk}",
            lines=_status_notice_lines(
                feedback,
                from_label=_feedback_label(from_status),
                explanation=FEEDBACK_EXPLANATIONS[target],
                reason=reason,
            ),
        )
    return feedback


def feedback_acknowledge(*, feedback: Feedback, actor, reason: str = "") -> Feedback:
    if feedback.is_closed:
        raise ReportError("Closed feedback is reopened, not acknowledged: use “Reopen” and say why.")
    return _transition_feedback(feedback, actor=actor, target=F.ACKNOWLEDGED, reason=reason)


def feedback_answer(*, feedback: Feedback, actor, reason: str) -> Feedback:
    return _transition_feedback(feedback, actor=actor, target=F.ANSWERED, reason=reason)


def feedback_plan(*, feedback: Feedback, actor, reason: str) -> Feedback:
    return _transition_feedback(feedback, actor=actor, target=F.PLANNED, reason=reason)


def feedback_decline(*, feedback: Feedback, actor, reason: str) -> Feedback:
    return _transition_feedback(feedback, actor=actor, target=F.DECLINED, reason=reason)


def feedback_reopen(*, feedback: Feedback, actor, reason: str) -> Feedback:
    if not feedback.is_closed:
        raise ReportError("Only closed feedback can be reopened.")
    return _transition_feedback(feedback, actor=actor, target=F.ACKNOWLEDGED, reason=reason)


def feedback_move(*, feedback: Feedback, actor, to_status: str, reason: str = "") -> Feedback:
    if to_status == F.ACKNOWLEDGED:
        if feedback.is_closed:
            return feedback_reopen(feedback=feedback, actor=actor, reason=reason)
        return feedback_acknowledge(feedback=feedback, actor=actor, reason=reason)
    services = {F.ANSWERED: feedback_answer, F.PLANNED: feedback_plan, F.DECLINED: feedback_decline}
    if to_status not in services:
        raise ReportError("Staff cannot move feedback to that state.")
    return services[to_status](feedback=feedback, actor=actor, reason=reason)
