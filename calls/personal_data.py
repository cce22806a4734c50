"""The calls app's part of a person's data export and account erasure (see core.personal_records).

Open calls: the person's entries (with their statements and results) and, as a juror, the scores they gave and
the conflicts of interest they declared. Grants: applications with their milestones and history. Sessions: places
with their history. At erasure, entries in calls still taking entries are withdrawn and every statement is emptied
(ranks, scores and prizes stay, as the published results and the ledger do); applications still waiting are
withdrawn and places at coming sessions cancelled (decided applications, paid milestones and attendance stay, like
the ledger lines they explain).
"""

from django.utils import timezone

from calls.models import (
    Call,
    ConflictDeclaration,
    Entry,
    EntryEvent,
    GrantApplication,
    GrantApplicationEvent,
    GrantMilestone,
    Rsvp,
    RsvpEvent,
    Score,
)
from calls.services.calls import entry_withdraw
from calls.services.events import rsvp_cancel
from calls.services.grants import grant_withdraw
from core.personal_records import bound, by_actor, kind, money, via

KINDS = (
    kind("call_entries", Entry, "Your entries in open calls: the video, your statement, and the result.",
         "id call_id call_title video_id statement status rank total prize created_at status_changed_at",
         lambda user: Entry.objects.filter(artist=user).select_related("call", "prize").order_by("pk"),
         call_title=via("call.title"), prize=via("prize.label", "")),
    kind("call_entry_events", EntryEvent, "Every status event of your entries.",
         "entry_id from_status to_status reason actor created_at",
         lambda user: EntryEvent.objects.filter(entry__artist=user).order_by("entry_id", "created_at", "pk"),
         actor=by_actor),
    kind("call_scores", Score, "The scores and notes you gave as a juror.",
         "entry_id criterion value note updated_at",
         lambda user: Score.objects.filter(juror__user=user).select_related("criterion").order_by("pk"),
         criterion=via("criterion.name")),
    kind("call_conflicts", ConflictDeclaration, "The conflicts of interest you declared as a juror.",
         "entry_id reason created_at",
         lambda user: ConflictDeclaration.objects.filter(juror__user=user).order_by("pk")),
    kind("grant_applications", GrantApplication, "Your grant applications: the project, budget and schedule you "
         "sent, and the decision with its reason.",
         "id round_id project_title project_description budget budget_breakdown schedule status decision_due_at "
         "decided_at reason note amount_awarded created_at status_changed_at",
         lambda user: GrantApplication.objects.filter(applicant=user).select_related("round").order_by("pk"),
         budget=money("budget", "round.currency"), amount_awarded=money("amount_awarded", "round.currency")),
    kind("grant_milestones", GrantMilestone, "The milestones of your grants, and which were confirmed and paid.",
         "id application_id position title amount due_on status ledger_line_id status_changed_at",
         lambda user: GrantMilestone.objects.filter(application__applicant=user).select_related("application__round")
         .order_by("application", "position"),
         amount=money("amount", "application.round.currency")),
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

LEFT_OUT: dict[str, str] = {
    "calls.Call": "Calls are published by staff; a call names who drafted it only in its history.",
    "calls.CallEvent": "A call's history records the program staff's moves (opening, judging, results), not yours.",
    "calls.Juror": "Who sits on a call's jury is published with the call; what you did as a juror is in call_scores "
    "and call_conflicts.",
}
FILES = ()


def records(user):
    return bound(KINDS, user)


def erase(user, *, reason: str) -> list[str]:
    now = timezone.now()
    taking_entries = Entry.objects.filter(
        artist=user, status=Entry.Status.ENTERED, call__status=Call.Status.OPEN, call__closes_at__gt=now
    ).select_related("call")
    for entry in taking_entries:
        entry_withdraw(entry=entry, artist=user, now=now)
    Entry.objects.filter(artist=user).update(statement="")
    for application in GrantApplication.objects.filter(applicant=user, status=GrantApplication.Status.SUBMITTED):
        grant_withdraw(application=application, actor=user)
    coming = Rsvp.objects.filter(user=user, status=Rsvp.Status.GOING, event__starts_at__gt=timezone.now())
    for place in coming.select_related("event"):
        rsvp_cancel(event=place.event, user=user)
    return []
