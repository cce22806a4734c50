"""The calls app's part of a person's data export and account erasure (see core.personal_records): grant
applications with their milestones and history, and places at sessions with their history."""

from django.utils import timezone

from calls.models import GrantApplication, GrantApplicationEvent, GrantMilestone, Rsvp, RsvpEvent
from calls.services.events import rsvp_cancel
from calls.services.grants import grant_withdraw
from core.personal_records import bound, by_actor, kind

KINDS = (
    kind("grant_applications", GrantApplication, "Your grant applications: the project, budget and schedule you "
         "sent, and the decision with its reason.",
         "id round_id project_title project_description budget budget_breakdown schedule status decision_due_at "
         "decided_at reason note amount_awarded created_at status_changed_at",
         lambda user: GrantApplication.objects.filter(applicant=user).order_by("pk")),
    kind("grant_milestones", GrantMilestone, "The milestones of your grants, and which were confirmed and paid.",
         "id application_id position title amount due_on status ledger_line_id status_changed_at",
         lambda user: GrantMilestone.objects.filter(application__applicant=user).order_by("application", "position")),
    kind("grant_application_events", GrantApplicationEvent, "Every event of your grant applications.",
         "application_id from_status to_status reason actor created_at",
         lambda user: GrantApplicationEvent.objects.filter(application__applicant=user).order_by("pk"),
         actor=by_actor),
    kind("session_places", Rsvp, "Your places at sessions and events, and whether you attended.",
         "id event_id status time_entry_id created_at status_changed_at",
         lambda user: Rsvp.objects.filter(user=user).order_by("pk")),
    kind("session_place_events", RsvpEvent, "Every event of your places at sessions.",
         "rsvp_id from_status to_status reason actor created_at",
         lambda user: RsvpEvent.objects.filter(rsvp__user=user).order_by("pk"), actor=by_actor),
)  # fmt: skip

LEFT_OUT: dict[str, str] = {}
FILES = ()


def records(user):
    return bound(KINDS, user)


def erase(user, *, reason: str) -> list[str]:
    """Applications still waiting are withdrawn and places at coming sessions cancelled (freed for others); decided
    applications, paid milestones and attendance stay, like the ledger lines they explain. No files."""
    for application in GrantApplication.objects.filter(applicant=user, status=GrantApplication.Status.SUBMITTED):
        grant_withdraw(application=application, actor=user)
    coming = Rsvp.objects.filter(user=user, status=Rsvp.Status.GOING, event__starts_at__gt=timezone.now())
    for place in coming.select_related("event"):
        rsvp_cancel(event=place.event, user=user)
    return []
