"""Bug reports before staff see them: drafts, screenshots and submission."""

from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import lifecycle
from programs.models import Program
from submissions.access.reports import may_file_reports
from submissions.images import ProcessedImage
from submissions.models import BugReport, Screenshot, Video

from ._shared import (
    EDITABLE_FIELDS,
    REQUIRED_TO_SUBMIT,
    ReportError,
    ReportMoveRefused,
    S,
    _atomic_with_files,
    _bug_label,
    _check_screenshot_room,
    _check_video_link,
    _delete_files,
    _lock_report,
    _refuse_same_state,
    _require,
    _store_screenshots,
)

# The fields a report needs before it is submitted, named as the reporter reads them.
REQUIRED_LABELS = {
    "title": gettext_lazy("title"),
    "what_happened": gettext_lazy("what happened"),
    "steps_to_reproduce": gettext_lazy("steps to reproduce"),
    "expected_result": gettext_lazy("expected"),
    "actual_result": gettext_lazy("actual"),
    "artist_severity": gettext_lazy("severity (artist's view)"),
    "model_version": gettext_lazy("model version"),
}


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
        raise ReportError(_("Give the report a title, even as a draft."))
    with _atomic_with_files() as stored:
        if report is None:
            _require(may_file_reports(reporter, program))
            _check_video_link(reporter, program, video, video_timecode)
            report = BugReport.objects.create(program=program, reporter=reporter, **values)
            lifecycle.start(report, actor=reporter)
        else:
            report = _lock_report(report)
            if report.reporter_id != reporter.pk:
                raise ReportError(_("Only the reporter can edit this report."))
            _require(may_file_reports(reporter, report.program))
            if not report.is_draft:
                raise ReportError(_("Only drafts can be edited; a submitted report takes answers and comments."))
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
            raise ReportError(_("Only the reporter can submit this report."))
        _require(may_file_reports(actor, report.program))
        _refuse_same_state(report.status, S.NEW, _bug_label)
        lifecycle.check(BugReport, report.status, S.NEW, refusal=ReportMoveRefused)
        missing = [str(REQUIRED_LABELS[name]) for name in REQUIRED_TO_SUBMIT if not getattr(report, name)]
        if missing:
            raise ReportError(_("Fill in before submitting: %(fields)s.") % {"fields": ", ".join(missing)})
        now = timezone.now()
        changes = {"submitted_at": now, "status_changed_at": now, "updated_at": now}
        lifecycle.move(report, S.NEW, actor=actor, changes=changes, refusal=ReportMoveRefused)
    return report


def bug_report_discard_draft(*, report: BugReport, actor) -> None:
    """Delete a draft and its screenshots (drafts have no history worth keeping)."""
    with transaction.atomic():
        report = _lock_report(report)
        if report.reporter_id != actor.pk:
            raise ReportError(_("Only the reporter can discard this draft."))
        if not report.is_draft:
            raise ReportError(_("Only drafts can be discarded; a submitted report stays on record."))
        names = [n for shot in report.screenshots.all() for n in (shot.file, shot.thumbnail)]
        report.delete()
        transaction.on_commit(partial(_delete_files, names))


def bug_report_add_screenshots(*, report: BugReport, actor, screenshots: list[ProcessedImage]) -> BugReport:
    """The reporter adds screenshots to a draft, or while answering a request for information."""
    with _atomic_with_files() as stored:
        report = _lock_report(report)
        if report.reporter_id != actor.pk:
            raise ReportError(_("Only the reporter can add screenshots."))
        _require(may_file_reports(actor, report.program))
        if report.status not in (S.DRAFT, S.NEEDS_INFO):
            raise ReportError(_("Screenshots can be added to drafts and to reports that need more information."))
        _check_screenshot_room(report, list(screenshots))
        _store_screenshots(report, list(screenshots), stored)
    return report


def screenshot_remove(*, screenshot: Screenshot, actor) -> None:
    with transaction.atomic():
        report = _lock_report(screenshot.report)
        if report.reporter_id != actor.pk:
            raise ReportError(_("Only the reporter can remove screenshots."))
        if report.status not in (S.DRAFT, S.NEEDS_INFO):
            raise ReportError(_("Screenshots can be removed from drafts and from reports that need more information."))
        shot = Screenshot.objects.filter(pk=screenshot.pk, report=report).first()
        if shot is None:
            raise ReportError(_("That screenshot was already removed."))
        names = [shot.file, shot.thumbnail]
        shot.delete()
        transaction.on_commit(partial(_delete_files, names))
