# One module per concern; Celery's autodiscovery imports this package, which imports every task module.
from submissions.tasks.approvals import approve_overdue_reviews, send_review_reminders
from submissions.tasks.videos import process_video, requeue_stalled_videos

__all__ = [
    "approve_overdue_reviews",
    "process_video",
    "requeue_stalled_videos",
    "send_review_reminders",
]
