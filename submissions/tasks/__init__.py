# One module per concern; Celery's autodiscovery imports this package, which imports every task module.
from submissions.tasks.reports import email_report_notice
from submissions.tasks.videos import process_video, requeue_stalled_videos

__all__ = ["email_report_notice", "process_video", "requeue_stalled_videos"]
