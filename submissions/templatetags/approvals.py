"""Pieces of the approval workflow shown on other apps' pages, so those apps need not import submissions."""

from django import template

from submissions.models import ReasonCode, ReviewPolicy, ReviewStep, VideoEvent

register = template.Library()
NOTICE_STATES = ["approved", "changes_requested", "rejected", "unpublished"]


@register.inclusion_tag("submissions/_review_rules.html")
def review_rules(program) -> dict:
    """The program's review rules, as the program page shows them before anyone applies."""
    return {
        "program": program,
        "policy": ReviewPolicy.for_program(program),
        "steps": ReviewStep.objects.filter(program=program).select_related("group"),
        "codes": ReasonCode.objects.filter(program=program, is_active=True),
    }


@register.inclusion_tag("submissions/_recent_decisions.html")
def recent_video_decisions(user, limit: int = 8) -> dict:
    """In-portal notices: the latest review events on the user's videos (decisions, deadlines, appeals)."""
    events = (
        VideoEvent.objects.filter(video__artist=user, to_status__in=NOTICE_STATES)
        .exclude(actor=user)
        .select_related("video")
        .order_by("-created_at")[:limit]
    )
    return {"events": events}
