# One module per concern; Celery's autodiscovery imports this package, which imports every task module.
from submissions.tasks.approvals import approve_overdue_reviews, send_review_reminders
from submissions.tasks.credentials import resign_due_credentials, sign_video_credentials
from submissions.tasks.videos import process_video, requeue_stalled_videos

__all__ = [
    "approve_overdue_reviews",
    "process_video",
    "requeue_stalled_videos",
    "resign_due_credentials",
    "send_review_reminders",
    "sign_video_credentials",
]
