"""The report notices' own outbox (ReportNotice.emailed_at and its re-send job) moves to core's Mail outbox: a sent
notice becomes a sent mail (for the audit), an unsent recent one a waiting mail that the sweep sends, an unsent
older one a mail given up (it stays on the page), as the old job did."""

import datetime as dt

from django.conf import settings
from django.db import migrations
from django.urls import reverse
from django.utils import timezone

GIVE_UP_AFTER = dt.timedelta(days=2)


def key(notice_id: int) -> str:
    return f"report-notice:{notice_id}"  # submissions.services.reports.notice_mail_key


def unsent_context(notice) -> dict:
    """What submissions.services.reports puts in a notice's mail."""
    site = settings.SITE_URL.rstrip("/")
    if notice.bug_report_id:
        url = reverse("submissions:report_detail", args=[notice.bug_report_id])
    else:
        url = reverse("submissions:feedback_detail", args=[notice.feedback_id])
    return {
        "notice": {"__model__": "submissions.reportnotice", "pk": notice.pk},
        "url": site + url,
        "reports_url": site + reverse("submissions:reports"),
    }


def to_outbox(apps, schema_editor):
    ReportNotice = apps.get_model("submissions", "ReportNotice")
    Mail = apps.get_model("core", "Mail")
    now = timezone.now()
    for notice in ReportNotice.objects.select_related("user").order_by("pk").iterator():
        sent = notice.emailed_at is not None
        mail, _ = Mail.objects.get_or_create(
            key=key(notice.pk),
            defaults={
                "template": "report_notice",
                "context": {} if sent else unsent_context(notice),
                "to": notice.user.email,
                "user_id": notice.user_id,
                "subject": ("[Glasshouse] " + " ".join(notice.subject.split()))[:255] if sent else "",
            },
        )
        given_up = not sent and notice.created_at < now - GIVE_UP_AFTER
        Mail.objects.filter(pk=mail.pk).update(  # auto_now_add set both clocks to now: the notice's own time
            created_at=notice.created_at,
            touched_at=notice.created_at,
            sent_at=notice.emailed_at,
            given_up_at=now if given_up else None,
        )


def from_outbox(apps, schema_editor):
    ReportNotice = apps.get_model("submissions", "ReportNotice")
    Mail = apps.get_model("core", "Mail")
    for mail in Mail.objects.filter(key__startswith="report-notice:", sent_at__isnull=False).iterator():
        ReportNotice.objects.filter(pk=int(mail.key.split(":")[1])).update(emailed_at=mail.sent_at)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial_mail_outbox"),
        ("submissions", "0007_bugreport_staff_only"),
    ]

    operations = [
        migrations.RunPython(to_outbox, from_outbox),
        migrations.RemoveField(model_name="reportnotice", name="emailed_at"),
    ]
