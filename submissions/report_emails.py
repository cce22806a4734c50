"""The email sent for each report notice: plain text plus an HTML part rendered with autoescaping."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from submissions.models import ReportNotice
from submissions.report_links import report_url


def send_notice_email(notice: ReportNotice) -> None:
    context = {
        "notice": notice,
        "user": notice.user,
        "url": settings.SITE_URL.rstrip("/") + report_url(notice.subject_object),
        "reports_url": settings.SITE_URL.rstrip("/") + reverse("submissions:reports"),
    }
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{_one_line(notice.subject)}",
        body=render_to_string("submissions/email/report_notice.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notice.user.email],
    )
    message.attach_alternative(render_to_string("submissions/email/report_notice.html", context), "text/html")
    message.send()


def _one_line(text: str) -> str:
    """Subjects are headers: no line breaks, bounded length."""
    return " ".join(text.split())[:200]
