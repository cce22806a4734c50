from smtplib import SMTPException

from celery import shared_task

from portal.batch import each_in_own_transaction
from submissions.services.reports import report_notice_send_email, report_notices_unsent


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


@shared_task(time_limit=60, soft_time_limit=45)
def resend_unsent_report_notices() -> int:
    """Every few minutes (beat): queue the emails of notices whose email never left; sending claims each once."""
    return each_in_own_transaction("resend report notices", report_notices_unsent(), email_report_notice.delay).done
