"""Submissions' part of a person's data export and account erasure (see core.personal_records)."""

from collections.abc import Iterable

from django.core.files.storage import default_storage

from core.personal_records import PROGRAM, ExportFile, FileSet, bound, by_actor, by_author, kind, via
from submissions.models import (
    Appeal,
    BugReport,
    BugReportEvent,
    BugReportResponse,
    Decision,
    DirectUpload,
    DirectUploadEvent,
    Feedback,
    FeedbackEvent,
    FeedbackResponse,
    FrameComment,
    MeToo,
    ReportNotice,
    ReviewClaim,
    Screenshot,
    Video,
    VideoEvent,
    VideoReview,
    VideoSigning,
    VideoThumbnail,
)
from submissions.services.approvals import video_unpublish
from submissions.services.direct_uploads import direct_upload_abort
from submissions.services.reports import bug_report_discard_draft
from submissions.services.videos import video_withdraw

REPORT_EVENT = "kind from_status to_status reason actor created_at"
RESPONSE = "author from_staff body created_at"


def screenshot_path(shot: Screenshot) -> str:
    return f"screenshots/report-{shot.report_id}-{shot.pk}.{shot.extension}"


def screenshots_of(user):
    return Screenshot.objects.filter(report__reporter=user).order_by("report_id", "pk")


def _stored_screenshot(shot: Screenshot, _user) -> str:
    return screenshot_path(shot) if shot.file and default_storage.exists(shot.file) else ""


def screenshot_files(user) -> Iterable[ExportFile]:
    for shot in screenshots_of(user):
        yield ExportFile(screenshot_path(shot), stored_name=shot.file)


KINDS = (
    # Videos
    kind("videos", Video, "Your videos: provenance (prompt, model, settings, notes), consent choices, what the file "
         "check found, and status. The video files themselves are not included.",
         "id public_id program title status source external_id prompt model_name model_version generation_settings "
         "notes consent_training consent_marketing consent_showcase original_filename size_bytes sha256 container "
         "duration_seconds width height frame_rate video_codec audio_codec invalid_reason provider_credentials "
         "created_at status_changed_at processed_at",
         lambda user: Video.objects.filter(artist=user).select_related("program").order_by("pk"), program=PROGRAM),
    kind("video_signings", VideoSigning, "Each signing of your published videos' Content Credentials: what the "
         "signed copy states (your credit, the program, the training uses), when, and the copy's SHA-256.",
         "video_id number reason claims sha256 size_bytes signer demo_signer created_at",
         lambda user: VideoSigning.objects.filter(video__artist=user).order_by("video_id", "number")),
    kind("video_events", VideoEvent, "Every status event of your videos, with reasons, reason codes and notes.",
         "video_id from_status to_status reason reason_code note actor created_at",
         lambda user: VideoEvent.objects.filter(video__artist=user).order_by("video_id", "created_at", "pk"),
         actor=by_actor),
    kind("video_reviews", VideoReview, "Where each video stood in review: deadline, decision time, how it was "
         "approved, publication.", "video_id opened_at deadline_at decided_at deadline_missed approval_kind "
         "replaces_video_id published_at unpublished_by_staff",
         lambda user: VideoReview.objects.filter(video__artist=user).order_by("video_id"),
         replaces_video_id=via("replaces_id")),
    kind("direct_uploads", DirectUpload, "Masters you sent straight to the program's storage: the file's name, size "
         "and type, the form's fields, and what became of it (the video it became, or why it was refused).",
         "public_id program status original_filename declared_size declared_content_type container sha256 "
         "provenance video_id reason created_at status_changed_at",
         lambda user: DirectUpload.objects.filter(artist=user).select_related("program").order_by("pk"),
         program=PROGRAM),
    kind("direct_upload_events", DirectUploadEvent, "Every status event of your direct uploads.",
         "upload_id from_status to_status reason actor created_at",
         lambda user: DirectUploadEvent.objects.filter(upload__artist=user).order_by("upload_id", "created_at", "pk"),
         actor=by_actor),
    kind("decisions", Decision, "Each review decision on your videos: step, outcome, reason code and note. Reviewers "
         "are not named.", "video_id step outcome reason_code reason_title note created_at",
         lambda user: Decision.objects.filter(video__artist=user).select_related("step", "reason_code")
         .order_by("video_id", "created_at", "pk"),
         step=via("step.name"),
         reason_code=via("reason_code.code", ""),
         reason_title=via("reason_code.title", "")),
    kind("frame_comments", FrameComment, "What you wrote on the frames of videos: threads and replies, with "
         "their times.", "id video_id parent_id at_seconds until_seconds body resolved_at created_at",
         lambda user: FrameComment.objects.filter(author=user).order_by("video_id", "created_at", "pk")),
    kind("appeals", Appeal, "Your appeals of rejections and their outcome.",
         "video_id statement created_at deadline_at outcome note decided_at",
         lambda user: Appeal.objects.filter(video__artist=user).order_by("video_id")),
    # Bug reports and feedback
    kind("bug_reports", BugReport, "Your bug reports, drafts included.",
         "id program title what_happened steps_to_reproduce expected_result actual_result artist_severity "
         "final_severity model_version prompt generation_settings video_id video_timecode status duplicate_of_id "
         "accepted_at credit_id created_at submitted_at status_changed_at",
         lambda user: BugReport.objects.filter(reporter=user).select_related("program").order_by("pk"),
         program=PROGRAM),
    kind("bug_report_events", BugReportEvent, "Every change of your bug reports (status, severity, credit).",
         f"report_id {REPORT_EVENT}",
         lambda user: BugReportEvent.objects.filter(report__reporter=user).order_by("report_id", "created_at", "pk"),
         actor=by_actor),
    kind("bug_report_responses", BugReportResponse, "The messages on your bug reports: staff responses and your "
         "answers.", f"report_id {RESPONSE}",
         lambda user: BugReportResponse.objects.filter(report__reporter=user)
         .order_by("report_id", "created_at", "pk"),
         author=by_author),
    kind("screenshots", Screenshot, "The screenshots of your bug reports; each image is in the file named in file.",
         "id report_id file content_type width height size_bytes original_name created_at", screenshots_of,
         file=_stored_screenshot),
    kind("feedback", Feedback, "Your feedback.",
         "id program kind body video_id video_timecode status accepted_at credit_id created_at status_changed_at",
         lambda user: Feedback.objects.filter(author=user).select_related("program").order_by("pk"),
         program=PROGRAM),
    kind("feedback_events", FeedbackEvent, "Every change of your feedback's status.", f"feedback_id {REPORT_EVENT}",
         lambda user: FeedbackEvent.objects.filter(feedback__author=user)
         .order_by("feedback_id", "created_at", "pk"),
         actor=by_actor),
    kind("feedback_responses", FeedbackResponse, "The messages on your feedback: staff responses and your answers.",
         f"feedback_id {RESPONSE}",
         lambda user: FeedbackResponse.objects.filter(feedback__author=user)
         .order_by("feedback_id", "created_at", "pk"),
         author=by_author),
    kind("me_toos", MeToo, "Bug reports of others you said you hit too, with your note.",
         "report_id note created_at", lambda user: MeToo.objects.filter(user=user).order_by("created_at", "pk")),
    kind("notices", ReportNotice, "The notices the portal sent you about your reports and feedback.",
         "id bug_report_id feedback_id subject message created_at read_at",
         lambda user: ReportNotice.objects.filter(user=user).order_by("created_at", "pk")),
)  # fmt: skip

LEFT_OUT = {
    "submissions.ReviewClaim": "A reviewer's short-lived lock on a video under review.",
    "submissions.ReviewerGroup": "Who sits in a program's reviewer groups is part of its review set-up; your reviewer "
    "roles are in roles.",
    "submissions.ApiKey": "Keys of a program's generation service, created by staff.",
}

FILES = (
    FileSet(
        stage="Adding your screenshots",
        pattern="screenshots/report-REPORT-SCREENSHOT.EXT",
        description="The screenshots attached to your bug reports (REPORT and SCREENSHOT are the ids in screenshots).",
        files=screenshot_files,
    ),
)


def records(user):
    return bound(KINDS, user)


def erase(user, *, reason: str) -> list[str]:
    """Videos retired and their files removed, drafts discarded, screenshots and notices deleted, review roles
    ended; submitted reports, feedback, decisions and appeals stay as contributions. Returns the stored files."""
    files = _retire_videos(user, reason) + _remove_direct_uploads(user) + _remove_report_material(user)
    ReviewClaim.objects.filter(reviewer=user).delete()
    user.reviewer_groups.clear()
    return files


def _retire_videos(user, reason: str) -> list[str]:
    """Published videos are unpublished (the credited person is gone) and the rest withdrawn, each with a
    history row; then every file goes. Rows, provenance, decisions and appeals stay."""
    for video in Video.objects.filter(artist=user).only("pk", "status", "artist_id"):
        if video.status == Video.Status.PUBLISHED:
            video_unpublish(video_id=video.pk, actor=user, reason=reason)
        elif video.status in Video.WITHDRAWABLE:
            video_withdraw(video=video, actor=user, reason=reason)
    videos = Video.objects.filter(artist=user)
    names = [name for pair in videos.values_list("file", "poster") for name in pair if name]
    thumbnails = VideoThumbnail.objects.filter(video__artist=user)
    names += [name for name in thumbnails.values_list("image", flat=True) if name]
    thumbnails.delete()
    # The signed copies and what they state name the artist: the copies go, the hashes stay (a copy once
    # published is still recognised at /verify/ as published, without saying by whom).
    signings = VideoSigning.objects.filter(video__artist=user)
    names += [name for name in signings.values_list("file", flat=True) if name]
    signings.update(file="", claims={}, manifest={})
    videos.update(file="", poster="", original_filename="")
    return names


def _remove_direct_uploads(user) -> list[str]:
    """Open uploads are cancelled (the bucket drops their parts); objects no video kept are removed with the rest."""
    for upload in DirectUpload.objects.filter(artist=user, status__in=DirectUpload.OPEN):
        direct_upload_abort(upload=upload, actor=user)
    uploads = DirectUpload.objects.filter(artist=user)
    names = list(uploads.filter(video__isnull=True).values_list("key", flat=True))
    uploads.update(original_filename="")
    return names


def _remove_report_material(user) -> list[str]:
    """Drafts are discarded; screenshots and notices deleted. Submitted reports and feedback stay as contributions."""
    for draft in BugReport.objects.filter(reporter=user, status=BugReport.Status.DRAFT):
        bug_report_discard_draft(report=draft, actor=user)
    screenshots = Screenshot.objects.filter(report__reporter=user)
    names = [name for pair in screenshots.values_list("file", "thumbnail") for name in pair if name]
    screenshots.delete()
    ReportNotice.objects.filter(user=user).delete()
    return names
