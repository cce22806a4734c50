from smtplib import SMTPException

from celery import shared_task

from submissions.services.reports import report_notice_send_email


@shared_task(
    time_limit=60,
    soft_time_limit=45,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_kwargs={"max_retries": 6},
)
def email_report_notice(notice_id: int) -> bool:
    """Email one report notice. Idempotent: the service claims the notice before sending."""
    return report_notice_send_email(notice_id=notice_id)
