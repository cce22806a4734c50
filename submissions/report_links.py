"""Where a bug report or feedback item lives: read by the services, the views and the notice emails alike."""

from django.urls import reverse

from submissions.models import BugReport, Feedback


def report_url(obj: BugReport | Feedback) -> str:
    if isinstance(obj, BugReport):
        return reverse("submissions:report_detail", args=[obj.pk])
    return reverse("submissions:feedback_detail", args=[obj.pk])
