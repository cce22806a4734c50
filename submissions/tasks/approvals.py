"""Scheduled jobs of the approval workflow: thin, idempotent (each service claims its rows), time-limited."""

from celery import shared_task

from submissions.services import approvals


@shared_task(time_limit=300, soft_time_limit=240)
def approve_overdue_reviews() -> int:
    """Every few minutes: reviews and appeals past their deadline are decided in the artist's favour."""
    return approvals.reviews_approve_overdue() + approvals.appeals_overturn_overdue()


@shared_task(time_limit=300, soft_time_limit=240)
def send_review_reminders() -> int:
    return approvals.reviews_send_reminders()
