"""Who may see and change bug reports, feedback and screenshots. Views ask these helpers, never the ORM directly.

- The reporter sees all of their own reports (drafts included) and feedback.
- Program staff see every submitted report and all feedback in their programs.
- Where a program enables the shared list, artists contributing to it see each other's submitted bug reports
  (read only), except those their reporter kept out of it (`staff_only`). Feedback is never shared.
- Anyone else gets 404, so existence does not leak; read-only viewers asking to write get 403.
- A report's linked video is named and linked only for those who may see the video (its artist, reviewers and
  staff), or, once it is published, through its gallery page; other readers of a shared report learn nothing
  about an unpublished video but that there is one.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import Refusal
from programs.access import contributing_enrolment, contributing_enrolments, is_program_staff, programs_staffed_by
from programs.models import Program
from programs.refusals import contribution_refusal, staff_refusal
from submissions.access.videos import can_see_video
from submissions.models import BugReport, Feedback, ReportNotice, ReportSettings, Screenshot, Video
from submissions.video_links import format_timecode


def contributing_programs(user) -> QuerySet[Program]:
    """Programs where `user` may file reports and feedback now (the enrolment rules live in programs.access)."""
    return Program.objects.filter(pk__in=contributing_enrolments(user).values("program"))


def shares_reports_with(user, program: Program) -> bool:
    """True when the program shares its bug reports and `user` is an artist contributing to it."""
    if not ReportSettings.for_program(program).shared_reports_enabled:
        return False
    return contributing_enrolment(user, program) is not None


def can_see_shared_list(user, program: Program) -> bool:
    return shares_reports_with(user, program) or is_program_staff(user, program)


def shared_programs(user) -> QuerySet[Program]:
    return contributing_programs(user).filter(report_settings__shared_reports_enabled=True)


def reports_visible_to(user) -> QuerySet[BugReport]:
    if not user.is_authenticated:
        return BugReport.objects.none()
    shared = Q(program__in=shared_programs(user), staff_only=False)
    submitted_in = Q(program__in=programs_staffed_by(user)) | shared
    return BugReport.objects.filter(Q(reporter=user) | (submitted_in & ~Q(status=BugReport.Status.DRAFT)))


def feedback_visible_to(user) -> QuerySet[Feedback]:
    if not user.is_authenticated:
        return Feedback.objects.none()
    return Feedback.objects.filter(Q(author=user) | Q(program__in=programs_staffed_by(user)))


def _require_contributing(user, program: Program) -> None:
    if contributing_enrolment(user, program) is None:
        raise contribution_refusal(user, program)


def may_file_reports(user, program: Program) -> str | None:
    """None when `user` may file, change and discuss reports and feedback in `program`; otherwise why not."""
    if contributing_enrolment(user, program) is None:
        return _("Your enrolment in %(program)s does not allow contributions at the moment.") % {"program": program}
    return None


def may_triage(user, program: Program) -> str | None:
    """None when `user` may triage, credit and answer reports and feedback in `program`; otherwise why not."""
    if not is_program_staff(user, program):
        return _("Only program staff can do that.")
    return None


def can_see_report(user, report: BugReport) -> bool:
    if not user.is_authenticated:
        return False
    if report.reporter_id == user.pk:
        return True
    if report.is_draft:
        return False
    if is_program_staff(user, report.program):
        return True
    return not report.staff_only and shares_reports_with(user, report.program)


def get_report_for_user(user, pk: int, *, write: bool = False) -> BugReport:
    """The report `user` may see, or 404. With write=True only its reporter, contributing now, gets it (403)."""
    report = BugReport.objects.select_related("program", "reporter", "duplicate_of", "video").filter(pk=pk).first()
    if report is None or not can_see_report(user, report):
        raise Http404("No such report.")
    if write:
        if report.reporter_id != user.pk:
            raise Refusal(
                _("Only the person who filed this report can change it."),
                next_url=reverse("submissions:report_detail", args=[report.pk]),
                next_label=_("Back to the report"),
            )
        _require_contributing(user, report.program)
    return report


def get_report_for_staff(user, pk: int) -> BugReport:
    """The report for a staff decision: 404 for those who cannot see it, 403 for those who only may read it."""
    report = get_report_for_user(user, pk)
    if report.is_draft or not is_program_staff(user, report.program):
        raise staff_refusal(report.program, what=_("Only program staff triage reports."))
    return report


def get_feedback_for_user(user, pk: int, *, write: bool = False) -> Feedback:
    feedback = Feedback.objects.select_related("program", "author", "video").filter(pk=pk).first()
    if feedback is None or not user.is_authenticated:
        raise Http404("No such feedback.")
    if feedback.author_id == user.pk:
        if write:
            _require_contributing(user, feedback.program)
        return feedback
    if is_program_staff(user, feedback.program):
        if write:
            raise Refusal(
                _("Only the person who wrote this feedback can change it."),
                next_url=reverse("submissions:feedback_detail", args=[feedback.pk]),
                next_label=_("Back to the feedback"),
            )
        return feedback
    raise Http404("No such feedback.")


def get_feedback_for_staff(user, pk: int) -> Feedback:
    feedback = get_feedback_for_user(user, pk)
    if not is_program_staff(user, feedback.program):
        raise staff_refusal(feedback.program, what=_("Only program staff triage feedback."))
    return feedback


def can_write(user, obj: BugReport | Feedback) -> bool:
    """True when `user` may add to the thread of a report or feedback they can see (reporter or staff)."""
    author_id = obj.reporter_id if isinstance(obj, BugReport) else obj.author_id
    if author_id == user.pk:
        return contributing_enrolment(user, obj.program) is not None
    return is_program_staff(user, obj.program)


def get_screenshot_for_user(user, pk: int, *, write: bool = False) -> Screenshot:
    """A screenshot is visible exactly where its report is; only the reporter may remove it."""
    screenshot = Screenshot.objects.filter(pk=pk).only("pk", "report_id").first()
    if screenshot is None:
        raise Http404("No such screenshot.")
    report = get_report_for_user(user, screenshot.report_id, write=write)
    return Screenshot.objects.select_related("report").get(pk=screenshot.pk, report=report)


def get_notice_for_user(user, pk: int) -> ReportNotice:
    notice = ReportNotice.objects.filter(pk=pk, user=user).first() if user.is_authenticated else None
    if notice is None:
        raise Http404("No such notice.")
    return notice


@dataclass(frozen=True)
class LinkedVideo:
    """What a reader of a report may learn of its linked video: empty title and URL when nothing."""

    title: str
    url: str
    status: str
    timecode: str


def linked_video_for(user, obj: BugReport | Feedback) -> LinkedVideo | None:
    video = obj.video
    if video is None:
        return None
    timecode = format_timecode(obj.video_timecode)
    at = f"?t={obj.video_timecode}" if obj.video_timecode else ""  # the video page starts its player there
    if can_see_video(user, video):
        url = reverse("submissions:video_detail", args=[video.pk]) + at
        return LinkedVideo(video.display_title, url, video.get_status_display(), timecode)
    if video.status == Video.Status.PUBLISHED:
        url = reverse("submissions:gallery_video", args=[video.public_id]) + at
        return LinkedVideo(video.display_title, url, video.get_status_display(), timecode)
    return LinkedVideo("", "", "", timecode)
