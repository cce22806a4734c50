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

__all__: list[str] = [
    "BugReport",
    "BugReportEvent",
    "BugReportResponse",
    "Feedback",
    "FeedbackEvent",
    "FeedbackResponse",
    "MeToo",
    "ReportNotice",
    "ReportSettings",
    "Screenshot",
    "Severity",
]
