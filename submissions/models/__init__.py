# One module per concern (videos, approvals, reports); every model is importable from submissions.models.
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
    "BugReport",
    "BugReportEvent",
    "BugReportResponse",
    "Feedback",
    "FeedbackEvent",
    "FeedbackResponse",
    "MeToo",
    "ProgramMediaPolicy",
    "ReportNotice",
    "ReportSettings",
    "Screenshot",
    "Severity",
    "Video",
    "VideoEvent",
    "VideoThumbnail",
]
