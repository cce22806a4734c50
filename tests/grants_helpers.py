"""Grant rounds, applications and events for the tests of issue 17 (grants, sessions and events)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from calls.models import Event, GrantRound
from calls.services import events as event_services
from calls.services import grants as grant_services


def make_round(program, **extra) -> GrantRound:
    now = timezone.now()
    fields = {
        "title": "Short films 2026",
        "summary": "Grants for short films made with the model.",
        "criteria": "Originality; feasibility.",
        "ip_terms": "The artist keeps every right; the program may show the film.",
        "budget": Decimal("5000.00"),
        "currency": "EUR",
        "max_request": Decimal("2000.00"),
        "decision_days": 14,
        "opens_at": now - dt.timedelta(days=10),
        "closes_at": now + dt.timedelta(days=20),
        "published": True,
    }
    return GrantRound.objects.create(program=program, **{**fields, **extra})


def apply(round, user, *, budget="1500.00", **extra):
    fields = {
        "project_title": "Tidewater",
        "project_description": "A short film about the sea.",
        "budget": budget,
        "budget_breakdown": "Crew 1000, sound 500.",
        "schedule": "Shoot in March, edit in April.",
    }
    return grant_services.grant_apply(round=round, user=user, **{**fields, **extra})


def plans(*amounts, due_on=None):
    due_on = due_on or timezone.localdate() + dt.timedelta(days=30)
    return [grant_services.MilestonePlan(f"Step {n}", amount, due_on) for n, amount in enumerate(amounts, start=1)]


def award(application, staff, *amounts):
    return grant_services.grant_award(
        application=application, actor=staff, reason="meets_criteria", milestones=plans(*(amounts or ("1000.00",)))
    )


def make_event(program, *, starts_in=dt.timedelta(days=3), hours=2, **extra) -> Event:
    starts_at = timezone.now() + starts_in
    fields = {
        "kind": Event.Kind.WORKSHOP,
        "title": "Prompting for motion",
        "description": "A hands-on workshop.",
        "starts_at": starts_at,
        "ends_at": starts_at + dt.timedelta(hours=hours),
        "place": "Studio 2, Lisbon",
        "capacity": 10,
        "published": True,
    }
    return Event.objects.create(program=program, **{**fields, **extra})


def past_event_with_rsvp(program, artist, **extra):
    """An event the artist RSVPed to, moved into the past (RSVPs close when an event starts)."""
    event = make_event(program, **extra)
    rsvp = event_services.rsvp(event=event, user=artist)
    shift = dt.timedelta(days=10)
    Event.objects.filter(pk=event.pk).update(starts_at=event.starts_at - shift, ends_at=event.ends_at - shift)
    event.refresh_from_db()
    rsvp.refresh_from_db()
    return event, rsvp


def add_grants_world(w) -> None:
    """The access matrix's grant round, application (the artist's, awarded with a milestone) and event."""
    program, artist, staff = w.program, w.users["artist"], w.users["staff"]
    w.grant_round = make_round(program)
    w.grant_application = apply(w.grant_round, artist)
    award(w.grant_application, staff, "1000.00")
    w.grant_milestone = w.grant_application.milestones.get()
    w.event, w.rsvp = past_event_with_rsvp(program, artist)
