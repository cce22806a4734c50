"""Mail leaves from the queue, never from a request or a scheduled job: one templated task, retried while SMTP is
away. A template's first line is the subject, the rest the body."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string

# Retried with backoff (about 1, 2, 4 ... 64 s, then up to 10 minutes apart) for roughly an hour of outage.
EMAIL_TASK = {
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 12,
    "soft_time_limit": 50,
    "time_limit": 60,
}


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def send_template(template: str, context: dict, to: list[str]) -> None:
    subject, _, body = render_to_string(template, context).partition("\n")
    EmailMessage(subject=subject.strip(), body=body.lstrip("\n"), to=to).send()


@shared_task(**EMAIL_TASK)
def send_templated_email(template: str, context: dict, to: list[str]) -> None:
    """Render and send one message; `context` holds plain values, fixed when the message was queued."""
    send_template(template, context, to)


def email_after_commit(template: str, context: dict, to: list[str]) -> None:
    """Queue the message once the caller's transaction commits. A broker that is away is logged and never fails
    the caller's action, which is already saved."""
    if to:
        send_templated_email.delay_on_commit(template, context, list(to))
