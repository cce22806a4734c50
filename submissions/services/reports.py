"""Every write to bug reports and feedback: one function per transition, each atomic, each with a history row.

Bug reports:  draft -> new -> triaged -> confirmed | needs_info | duplicate | not_a_bug | wont_fix,
              confirmed -> fixed, needs_info -> triaged (the reporter answers) or closed by staff,
              and staff may reopen a closed report (back to triaged, with a reason).
Feedback:     new -> acknowledged | answered | planned | declined, acknowledged -> answered | planned | declined,
              and staff may reopen a closed one (back to acknowledged).

The reporter is told of every change someone else makes, with the reason: an in-portal notice on /reports/
and an email sent by a Celery task after the transaction commits.
"""

import logging
import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core import lifecycle
from core.errors import DomainError, TransitionRefused
from core.mail import absolute_url, mail_send
from programs.access import contributing_enrolment, is_program_staff
from programs.models import Credit, Program
from programs.services.compensation import credit_record
from submissions.images import THUMBNAIL_EXTENSION, ProcessedImage, screenshot_room_error
from submissions.models import (
    BugReport,
    BugReportEvent,
    BugReportResponse,
    Feedback,
    FeedbackEvent,
    FeedbackResponse,
    MeToo,
    ReportNotice,
    ReportSettings,
    Screenshot,
    Severity,
    Video,
)
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
    S.DRAFT: "Only you can see this draft. Submit it when it is ready.",
    S.NEW: "Staff have not looked at it yet.",
    S.TRIAGED: "Staff have read it and are checking it.",
    S.CONFIRMED: "Staff reproduced the problem; it is on the list to fix.",
    S.NEEDS_INFO: "Staff need more information from you. Answer to send it back to them.",
    S.DUPLICATE: "The same problem was reported earlier; your report was merged into that one.",
    S.NOT_A_BUG: "Staff found that this is how the model or portal is meant to behave.",
    S.WONT_FIX: "Staff agree this is a problem but will not fix it, for the reason in the note.",
    S.FIXED: "The problem is fixed.",
}
FEEDBACK_EXPLANATIONS = {
    F.NEW: "Staff have not read it yet.",
    F.ACKNOWLEDGED: "Staff have read it.",
    F.ANSWERED: "Staff answered it.",
    F.PLANNED: "Staff plan to act on it.",
    F.DECLINED: "Staff decided not to act on it, for the reason in the note.",
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


def _require_contributor(user, program: Program) -> None:
    if contributing_enrolment(user, program) is None:
        raise ReportError(f"Your enrolment in {program} does not allow contributions at the moment.")


def _require_staff(user, program: Program) -> None:
    if not is_program_staff(user, program):
        raise ReportError("Only program staff can do that.")


def _clean_reason(reason: str, *, required: bool, what: str) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ReportError(f"Write a note to the reporter to explain {what}.")
    return reason


def _check_video_link(owner, program: Program, video: Video | None, timecode: int | None) -> None:
    """The forms explain each problem next to its field; this refuses whatever reaches a service anyway,
    judged on the video as it is now (it may have been checked, or deleted, since the form was shown)."""
    if video is not None:
        video = Video.objects.filter(pk=video.pk).first()
        if video is None:
            raise ReportError("That video was deleted: choose another one, or none.")
    if errors := video_link_errors(owner=owner, program=program, video=video, timecode=timecode):
        raise ReportError(" ".join(errors.values()))


def _lock_report(report: BugReport) -> BugReport:
    return BugReport.objects.select_for_update().select_related("program", "reporter").get(pk=report.pk)


def _lock_feedback(feedback: Feedback) -> Feedback:
    return Feedback.objects.select_for_update().select_related("program", "author").get(pk=feedback.pk)


def _refuse_same_state(current: str, target: str, labels) -> None:
    """Core.lifecycle refuses every move the map lacks; a move to the same state is worth its own sentence."""
    if current == target:
        raise ReportMoveRefused(f"It is already {labels(target).lower()}.")


def _bug_label(status: str) -> str:
    return S(status).label


def _feedback_label(status: str) -> str:
    return F(status).label


def _notify(obj: BugReport | Feedback, *, subject: str, lines: Iterable[str]) -> ReportNotice:
    """Tell the reporter (notice now, email after commit)."""
    is_bug = isinstance(obj, BugReport)
    notice = ReportNotice.objects.create(
        user=obj.reporter if is_bug else obj.author,
        bug_report=obj if is_bug else None,
        feedback=None if is_bug else obj,
        subject=subject[:255],
        message="\n".join(line for line in lines if line),
    )
    _notice_mail_send(notice)
    return notice


def _notice_mail_send(notice: ReportNotice) -> None:
    context = {
        "notice": notice,
        "url": absolute_url(report_url(notice.subject_object)),
        "reports_url": absolute_url(reverse("submissions:reports")),
    }
    mail_send(to=notice.user, template="report_notice", context=context, key=notice_mail_key(notice.pk))


def notice_mail_key(notice_id: int) -> str:
    return f"report-notice:{notice_id}"


def _status_notice_lines(obj, *, from_label: str, explanation: str, reason: str) -> list[str]:
    return [
        f"It moved from {from_label} to {obj.get_status_display()}.",
        explanation,
        f"Staff note: {reason}" if reason else "",
    ]


# --- Bug reports: drafts, screenshots and submission ---------------------------------------------


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


def bug_report_save_draft(
    *,
    reporter,
    program: Program | None = None,
    fields: dict,
    screenshots: list[ProcessedImage] = (),
    report: BugReport | None = None,
    video: Video | None = None,
    video_timecode: int | None = None,
) -> BugReport:
    """Create a draft (with `program`) or update the reporter's draft (with `report`), optionally pointing at
    one of the reporter's videos in the program (and a time in it)."""
    screenshots = list(screenshots)
    values = {name: (fields.get(name) or "").strip() for name in EDITABLE_FIELDS}
    values |= {"video": video, "video_timecode": video_timecode, "staff_only": bool(fields.get("staff_only"))}
    if not values["title"]:
        raise ReportError("Give the report a title, even as a draft.")
    with _atomic_with_files() as stored:
        if report is None:
            _require_contributor(reporter, program)
            _check_video_link(reporter, program, video, video_timecode)
            report = BugReport.objects.create(program=program, reporter=reporter, **values)
            lifecycle.start(report, actor=reporter)
        else:
            report = _lock_report(report)
            if report.reporter_id != reporter.pk:
                raise ReportError("Only the reporter can edit this report.")
            _require_contributor(reporter, report.program)
            if not report.is_draft:
                raise ReportError("Only drafts can be edited; a submitted report takes answers and comments.")
            _check_video_link(reporter, report.program, video, video_timecode)
            for name, value in values.items():
                setattr(report, name, value)
            report.save(update_fields=[*values, "updated_at"])
        _check_screenshot_room(report, screenshots)
        _store_screenshots(report, screenshots, stored)
    return report


def bug_report_submit(*, report: BugReport, actor) -> BugReport:
    """draft -> new, by the reporter, once every required field is filled in."""
    with transaction.atomic():
        report = _lock_report(report)
        if report.reporter_id != actor.pk:
            raise ReportError("Only the reporter can submit this report.")
        _require_contributor(actor, report.program)
        _refuse_same_state(report.status, S.NEW, _bug_label)
        lifecycle.check(BugReport, report.status, S.NEW, refusal=ReportMoveRefused)
        missing = [
            BugReport._meta.get_field(name).verbose_name for name in REQUIRED_TO_SUBMIT if not getattr(report, name)
        ]
        if missing:
            raise ReportError("Fill in before submitting: " + ", ".join(missing) + ".")
        now = timezone.now()
        changes = {"submitted_at": now, "status_changed_at": now, "updated_at": now}
        lifecycle.move(report, S.NEW, actor=actor, changes=changes, refusal=ReportMoveRefused)
    return report


def bug_report_discard_draft(*, report: BugReport, actor) -> None:
    """Delete a draft and its screenshots (drafts have no history worth keeping)."""
    with transaction.atomic():
        report = _lock_report(report)
        if report.reporter_id != actor.pk:
            raise ReportError("Only the reporter can discard this draft.")
        if not report.is_draft:
            raise ReportError("Only drafts can be discarded; a submitted report stays on record.")
        names = [n for shot in report.screenshots.all() for n in (shot.file, shot.thumbnail)]
        report.delete()
        transaction.on_commit(partial(_delete_files, names))


def bug_report_add_screenshots(*, report: BugReport, actor, screenshots: list[ProcessedImage]) -> BugReport:
    """The reporter adds screenshots to a draft, or while answering a request for information."""
    with _atomic_with_files() as stored:
        report = _lock_report(report)
        if report.reporter_id != actor.pk:
            raise ReportError("Only the reporter can add screenshots.")
        _require_contributor(actor, report.program)
        if report.status not in (S.DRAFT, S.NEEDS_INFO):
            raise ReportError("Screenshots can be added to drafts and to reports that need more information.")
        _check_screenshot_room(report, list(screenshots))
        _store_screenshots(report, list(screenshots), stored)
    return report


def screenshot_remove(*, screenshot: Screenshot, actor) -> None:
    with transaction.atomic():
        report = _lock_report(screenshot.report)
        if report.reporter_id != actor.pk:
            raise ReportError("Only the reporter can remove screenshots.")
        if report.status not in (S.DRAFT, S.NEEDS_INFO):
            raise ReportError("Screenshots can be removed from drafts and from reports that need more information.")
        shot = Screenshot.objects.filter(pk=screenshot.pk, report=report).first()
        if shot is None:
            raise ReportError("That screenshot was already removed.")
        names = [shot.file, shot.thumbnail]
        shot.delete()
        transaction.on_commit(partial(_delete_files, names))


# --- Bug reports: triage -------------------------------------------------------------------------

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
            _require_staff(actor, report.program)
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
        _require_contributor(actor, locked.program)
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
        _require_staff(actor, report.program)
        _set_final_severity(report, actor=actor, severity=severity, reason=reason)
    return report


def _set_final_severity(report: BugReport, *, actor, severity: str, reason: str = "") -> None:
    if report.is_draft:
        raise ReportError("A draft has no final severity.")
    if report.is_accepted:
        raise ReportError("The report was credited at its final severity; it cannot change now.")
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
    _notify(
        report,
        subject=f"Final severity of your bug report: #{report.pk} {report.title}",
        lines=[
            f"Staff set the final severity to {Severity(severity).label}"
            + (f" (it was {Severity(previous).label})." if previous else "."),
            f"Staff note: {reason.strip()}" if reason and reason.strip() else "",
        ],
    )


# --- Credits -----------------------------------------------------------------------------------


def bug_report_accept(*, report: BugReport, actor, final_severity: str = "") -> BugReport:
    """Accept a confirmed, fixed or duplicate report for credit, once. The credit is recorded in the same
    transaction, keyed by the report's id; a duplicate earns the (rate card's) duplicate credit."""
    with transaction.atomic():
        report = _lock_report(report)
        _require_staff(actor, report.program)
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
        _require_staff(actor, feedback.program)
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


# --- Threads: staff responses, the reporter's replies, "me too" ------------------------------------


def _respond(obj: BugReport | Feedback, *, author, body: str, response_model, fk: str):
    body = (body or "").strip()
    if not body:
        raise ReportError("Write a message first.")
    owner_id = obj.reporter_id if isinstance(obj, BugReport) else obj.author_id
    staff = is_program_staff(author, obj.program)
    if author.pk == owner_id:
        _require_contributor(author, obj.program)
    elif not staff:
        raise ReportError("Only the reporter and program staff can write here.")
    response = response_model.objects.create(
        author=author, from_staff=staff and author.pk != owner_id, body=body, **{fk: obj}
    )
    if response.from_staff:
        kind = "bug report" if isinstance(obj, BugReport) else "feedback"
        title = f"#{obj.pk} {obj.title}" if isinstance(obj, BugReport) else f"#{obj.pk}"
        _notify(obj, subject=f"Staff replied to your {kind}: {title}", lines=[f"Staff wrote: {body}"])
    return response


def bug_report_respond(*, report: BugReport, author, body: str) -> BugReportResponse:
    with transaction.atomic():
        report = _lock_report(report)
        if report.is_draft:
            raise ReportError("A draft has no conversation yet: submit it first.")
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
            raise ReportError("This is your own report.")
        if report.is_draft or not ReportSettings.for_program(report.program).shared_reports_enabled:
            raise ReportError("This program does not share reports between artists.")
        if report.staff_only:
            raise ReportError("The reporter kept this report out of the shared list.")
        _require_contributor(user, report.program)
        if report.status == S.DUPLICATE:
            raise ReportError(f"This report is a duplicate of #{report.duplicate_of_id}: add your “me too” there.")
        if report.is_closed:
            raise ReportError("This report is closed. If you still see the problem, file a new report.")
        try:
            with transaction.atomic():
                return MeToo.objects.create(report=report, user=user, note=(note or "").strip())
        except IntegrityError as exc:
            raise ReportError("You already said “me too” on this report.") from exc


def bug_report_withdraw_me_too(*, report: BugReport, user) -> None:
    deleted, _ = MeToo.objects.filter(report=report, user=user).delete()
    if not deleted:
        raise ReportError("You had not said “me too” on this report.")


# --- Feedback ----------------------------------------------------------------------------------


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
        _require_contributor(author, program)
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
        _require_staff(actor, feedback.program)
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


# --- Notices -----------------------------------------------------------------------------------


def notices_mark_read(*, user, notice: ReportNotice | None = None) -> int:
    """Mark one notice (or all of the user's unread notices) as read; returns how many changed."""
    notices = ReportNotice.objects.filter(user=user, read_at__isnull=True)
    if notice is not None:
        notices = notices.filter(pk=notice.pk)
    return notices.update(read_at=timezone.now())
