"""What every section of bug reports and feedback shares: errors, the rules of each state, locks, notices."""

import logging
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError, TransitionRefused
from core.language import in_language_of
from core.mail import absolute_url, mail_send
from programs.models import Program
from submissions.images import THUMBNAIL_EXTENSION, ProcessedImage, screenshot_room_error
from submissions.models import BugReport, BugReportEvent, Feedback, ReportNotice, Screenshot, Severity, Video
from submissions.report_links import report_url
from submissions.video_links import video_link_errors

logger = logging.getLogger(__name__)

S = BugReport.Status
F = Feedback.Status


class ReportError(DomainError):
    """A rule of bug reports or feedback refused the request; nothing was written."""


class ReportMoveRefused(TransitionRefused, ReportError):
    """The report or feedback is not in a state that allows the move."""


# The reporter must be told why: a staff note is required to ask for information and for every closing state.
BUG_REPORT_NEEDS_REASON = frozenset({S.NEEDS_INFO, *BugReport.CLOSED_STATUSES})
BUG_REPORT_CREDITABLE = frozenset({S.CONFIRMED, S.FIXED, S.DUPLICATE})

FEEDBACK_NEEDS_REASON = frozenset(Feedback.CLOSED_STATUSES)

# What each state means, in the words the reporter reads next to the staff note.
BUG_REPORT_EXPLANATIONS = {
    S.DRAFT: gettext_lazy("Only you can see this draft. Submit it when it is ready."),
    S.NEW: gettext_lazy("Staff have not looked at it yet."),
    S.TRIAGED: gettext_lazy("Staff have read it and are checking it."),
    S.CONFIRMED: gettext_lazy("Staff reproduced the problem; it is on the list to fix."),
    S.NEEDS_INFO: gettext_lazy("Staff need more information from you. Answer to send it back to them."),
    S.DUPLICATE: gettext_lazy("The same problem was reported earlier; your report was merged into that one."),
    S.NOT_A_BUG: gettext_lazy("Staff found that this is how the model or portal is meant to behave."),
    S.WONT_FIX: gettext_lazy("Staff agree this is a problem but will not fix it, for the reason in the note."),
    S.FIXED: gettext_lazy("The problem is fixed."),
}
FEEDBACK_EXPLANATIONS = {
    F.NEW: gettext_lazy("Staff have not read it yet."),
    F.ACKNOWLEDGED: gettext_lazy("Staff have read it."),
    F.ANSWERED: gettext_lazy("Staff answered it."),
    F.PLANNED: gettext_lazy("Staff plan to act on it."),
    F.DECLINED: gettext_lazy("Staff decided not to act on it, for the reason in the note."),
}

# Fields a bug report must have before it can be submitted (a draft may be incomplete).
REQUIRED_TO_SUBMIT = (
    "title",
    "what_happened",
    "steps_to_reproduce",
    "expected_result",
    "actual_result",
    "artist_severity",
    "model_version",
)
EDITABLE_FIELDS = (*REQUIRED_TO_SUBMIT, "prompt", "generation_settings")


# --- Helpers ------------------------------------------------------------------------------------


def _require(why_not: str | None) -> None:
    """Refuse with the access rule's reason (see submissions.access.reports), or let the service go on."""
    if why_not is not None:
        raise ReportError(why_not)


def _clean_reason(reason: str, *, required: bool, reopening: bool, state: str) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        if reopening:
            raise ReportError(_("Write a note to the reporter to explain why it is reopened."))
        raise ReportError(_("Write a note to the reporter to explain why it is %(state)s.") % {"state": state})
    return reason


def _check_video_link(owner, program: Program, video: Video | None, timecode: int | None) -> None:
    """The forms explain each problem next to its field; this refuses whatever reaches a service anyway,
    judged on the video as it is now (it may have been checked, or deleted, since the form was shown)."""
    if video is not None:
        video = Video.objects.filter(pk=video.pk).first()
        if video is None:
            raise ReportError(_("That video was deleted: choose another one, or none."))
    if errors := video_link_errors(owner=owner, program=program, video=video, timecode=timecode):
        raise ReportError(" ".join(errors.values()))


def _lock_report(report: BugReport) -> BugReport:
    return BugReport.objects.select_for_update().select_related("program", "reporter").get(pk=report.pk)


def _lock_feedback(feedback: Feedback) -> Feedback:
    return Feedback.objects.select_for_update().select_related("program", "author").get(pk=feedback.pk)


def _refuse_same_state(current: str, target: str, labels) -> None:
    """Core.lifecycle refuses every move the map lacks; a move to the same state is worth its own sentence."""
    if current == target:
        raise ReportMoveRefused(_("It is already %(state)s.") % {"state": str(labels(target)).lower()})


def _bug_label(status: str) -> str:
    return S(status).label


def _feedback_label(status: str) -> str:
    return F(status).label


def _notify(
    obj: BugReport | Feedback, compose: Callable[[], tuple[str, Iterable[str]]], *, optional: str = ""
) -> ReportNotice:
    """Tell the reporter (notice now, email after commit). `compose` returns the subject and the lines; it runs
    in the reporter's language, whoever made the change. What touches a credit is always mailed; a status or a
    reply is `optional="decisions"` (core.mail)."""
    is_bug = isinstance(obj, BugReport)
    user = obj.reporter if is_bug else obj.author
    with in_language_of(user):
        subject, lines = compose()
        subject, message = str(subject), "\n".join(str(line) for line in lines if line)
    notice = ReportNotice.objects.create(
        user=user,
        bug_report=obj if is_bug else None,
        feedback=None if is_bug else obj,
        subject=subject[:255],
        message=message,
    )
    _notice_mail_send(notice, optional=optional)
    return notice


def _notice_mail_send(notice: ReportNotice, *, optional: str = "") -> None:
    context = {
        "notice": notice,
        "url": absolute_url(report_url(notice.subject_object)),
        "reports_url": absolute_url(reverse("submissions:reports")),
    }
    key = notice_mail_key(notice.pk)
    mail_send(to=notice.user, template="report_notice", context=context, key=key, optional=optional)


def notice_mail_key(notice_id: int) -> str:
    return f"report-notice:{notice_id}"


def _status_notice_lines(obj, *, from_label: str, explanation: str, reason: str) -> list[str]:
    return [
        _("It moved from %(from)s to %(to)s.") % {"from": from_label, "to": obj.get_status_display()},
        explanation,
        _("Staff note: %(note)s") % {"note": reason} if reason else "",
    ]


@contextmanager
def _atomic_with_files():
    """A transaction that also owns the files saved inside it: they are deleted if it fails.

    Storage is not transactional. Files are written before the rows that name them; when anything in the
    block raises, the rows roll back and the files listed in `stored` are removed, so a failed upload leaves
    neither a row nor a file. (Callers run these services as the outermost transaction.)
    """
    stored: list[str] = []
    try:
        with transaction.atomic():
            yield stored
    except BaseException:
        _delete_files(stored)
        raise


def _store_screenshots(report: BugReport, images: list[ProcessedImage], stored: list[str]) -> None:
    """Save each image and its thumbnail under server-chosen names, then its row."""
    for image in images:
        stem = f"private/screenshots/{report.program_id}/{report.pk}/{uuid.uuid4().hex}"
        name = default_storage.save(f"{stem}.{image.extension}", ContentFile(image.data))
        stored.append(name)
        thumb = default_storage.save(f"{stem}-thumb.{THUMBNAIL_EXTENSION}", ContentFile(image.thumbnail))
        stored.append(thumb)
        Screenshot.objects.create(
            report=report,
            file=name,
            thumbnail=thumb,
            content_type=image.content_type,
            width=image.width,
            height=image.height,
            size_bytes=len(image.data),
            original_name=image.original_name,
        )


def _delete_files(names: Iterable[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # deleting is best effort: log and carry on with the others
            logger.warning("Could not delete %s", name, exc_info=True)


def _check_screenshot_room(report: BugReport, images: list[ProcessedImage]) -> None:
    if error := screenshot_room_error(report.screenshots.count(), len(images)):
        raise ReportError(error)


def _set_final_severity(report: BugReport, *, actor, severity: str, reason: str = "") -> None:
    if report.is_draft:
        raise ReportError(_("A draft has no final severity."))
    if report.is_accepted:
        raise ReportError(_("The report was credited at its final severity; it cannot change now."))
    if report.final_severity == severity:
        return
    previous = report.final_severity
    report.final_severity = severity
    report.save(update_fields=["final_severity", "updated_at"])
    BugReportEvent.objects.create(
        report=report,
        actor=actor,
        kind=BugReportEvent.Kind.SEVERITY,
        from_status=previous,
        to_status=severity,
        reason=(reason or "").strip(),
    )
    reason = (reason or "").strip()

    def compose():
        subject = _("Final severity of your bug report: #%(number)s %(title)s") % {
            "number": report.pk,
            "title": report.title,
        }
        values = {"severity": Severity(severity).label, "previous": Severity(previous).label if previous else ""}
        if previous:
            change = _("Staff set the final severity to %(severity)s (it was %(previous)s).") % values
        else:
            change = _("Staff set the final severity to %(severity)s.") % values
        return subject, [change, _("Staff note: %(note)s") % {"note": reason} if reason else ""]

    _notify(report, compose)
