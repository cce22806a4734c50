# One module per concern (videos, approvals, reports); every model is importable from submissions.models.
from submissions.models.approvals import (
    Appeal,
    Decision,
    ReasonCode,
    ReviewClaim,
    ReviewerGroup,
    ReviewPolicy,
    ReviewStep,
    VideoReview,
)
from submissions.models.comments import FrameComment
from submissions.models.credentials import VideoSigning
from submissions.models.direct_uploads import DirectUpload, DirectUploadEvent
from submissions.models.reports import (
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
)
from submissions.models.videos import ApiKey, ProgramMediaPolicy, Video, VideoEvent, VideoThumbnail

__all__: list[str] = [
    "ApiKey",
    "Appeal",
    "BugReport",
    "BugReportEvent",
    "BugReportResponse",
    "Decision",
    "DirectUpload",
    "DirectUploadEvent",
    "Feedback",
    "FeedbackEvent",
    "FeedbackResponse",
    "FrameComment",
    "MeToo",
    "ProgramMediaPolicy",
    "ReasonCode",
    "ReportNotice",
    "ReportSettings",
    "ReviewClaim",
    "ReviewPolicy",
    "ReviewStep",
    "ReviewerGroup",
    "Screenshot",
    "Severity",
    "Video",
    "VideoEvent",
    "VideoReview",
    "VideoSigning",
    "VideoThumbnail",
]
