from django import template

from programs.access import programs_staffed_by
from programs.models.compensation import Severity
from submissions.access.reports import contributing_programs
from submissions.models import BugReport, ReportNotice
from submissions.video_links import format_timecode

register = template.Library()


@register.inclusion_tag("submissions/reports/_dashboard.html", takes_context=True)
def reports_summary(context) -> dict:
    """The dashboard's section on bug reports and feedback: news, open reports, and what to do next."""
    user = context["request"].user
    staffed = programs_staffed_by(user)
    return {
        "unread": ReportNotice.objects.filter(user=user, read_at__isnull=True).count(),
        "open_reports": BugReport.objects.filter(reporter=user).open().count(),
        "drafts": BugReport.objects.filter(reporter=user, status=BugReport.Status.DRAFT).count(),
        "needs_info": BugReport.objects.filter(reporter=user, status=BugReport.Status.NEEDS_INFO).count(),
        "can_contribute": contributing_programs(user).exists(),
        "to_triage": BugReport.objects.filter(program__in=staffed, status=BugReport.Status.NEW).count(),
        "is_triager": staffed.exists(),
    }


@register.filter
def timecode(seconds) -> str:
    """Seconds as `m:ss` (or `h:mm:ss`)."""
    return format_timecode(seconds)


@register.filter
def severity_label(value) -> str:
    """A severity's label in the reader's language (lists annotate the bare value)."""
    return str(dict(Severity.choices).get(value, value or ""))
