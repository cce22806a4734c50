"""The mail tasks: one message per task, retried with backoff while SMTP is away; the sweep that loses none."""

from smtplib import SMTPException

from celery import shared_task

from core import mail


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,  # about 1, 2, 4 ... 64 s, then up to 10 minutes apart: roughly an hour of outage
    retry_backoff_max=600,
    max_retries=12,
    soft_time_limit=50,
    time_limit=60,
)
def deliver_mail(mail_id: int) -> bool:
    """Send one outbox row (idempotent: the service claims it first)."""
    return mail.mail_deliver(mail_id=mail_id)


@shared_task(time_limit=300, soft_time_limit=240)
def sweep_mail() -> dict[str, int]:
    """Every few minutes: queue again the mails that never left (broker away, worker lost); prune old ones."""
    return mail.mails_sweep()
