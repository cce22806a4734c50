"""Feedback: submission and every staff move."""

from django.db import transaction
from django.utils.translation import gettext as _

from core import lifecycle
from programs.models import Program
from submissions.access.reports import may_file_reports
from submissions.models import Feedback, Video

from ._shared import (
    F,
    ReportError,
    _check_video_link,
    _require,
)
from .moves import report_move


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
        raise ReportError(_("Choose what kind of feedback this is."))
    if not body:
        raise ReportError(_("Write your feedback first."))
    with transaction.atomic():
        _require(may_file_reports(author, program))
        _check_video_link(author, program, video, video_timecode)
        feedback = Feedback.objects.create(
            program=program, author=author, kind=kind, body=body, video=video, video_timecode=video_timecode
        )
        lifecycle.start(feedback, actor=author)
    return feedback


def feedback_acknowledge(*, feedback: Feedback, actor, reason: str = "") -> Feedback:
    if feedback.is_closed:
        raise ReportError(_("Closed feedback is reopened, not acknowledged: use “Reopen” and say why."))
    return report_move(feedback, actor=actor, target=F.ACKNOWLEDGED, reason=reason)


def feedback_answer(*, feedback: Feedback, actor, reason: str) -> Feedback:
    return report_move(feedback, actor=actor, target=F.ANSWERED, reason=reason)


def feedback_plan(*, feedback: Feedback, actor, reason: str) -> Feedback:
    return report_move(feedback, actor=actor, target=F.PLANNED, reason=reason)


def feedback_decline(*, feedback: Feedback, actor, reason: str) -> Feedback:
    return report_move(feedback, actor=actor, target=F.DECLINED, reason=reason)


def feedback_reopen(*, feedback: Feedback, actor, reason: str) -> Feedback:
    if not feedback.is_closed:
        raise ReportError(_("Only closed feedback can be reopened."))
    return report_move(feedback, actor=actor, target=F.ACKNOWLEDGED, reason=reason)


def feedback_move(*, feedback: Feedback, actor, to_status: str, reason: str = "") -> Feedback:
    if to_status == F.ACKNOWLEDGED:
        if feedback.is_closed:
            return feedback_reopen(feedback=feedback, actor=actor, reason=reason)
        return feedback_acknowledge(feedback=feedback, actor=actor, reason=reason)
    services = {F.ANSWERED: feedback_answer, F.PLANNED: feedback_plan, F.DECLINED: feedback_decline}
    if to_status not in services:
        raise ReportError(_("Staff cannot move feedback to that state."))
    return services[to_status](feedback=feedback, actor=actor, reason=reason)
