"""Opportunities: open calls (calls.py), grants (grants.py) and sessions and events (events.py)."""

from calls.models.calls import (
    Call,
    CallEvent,
    ConflictDeclaration,
    Criterion,
    Entry,
    EntryEvent,
    Juror,
    PrizeTier,
    Score,
)
from calls.models.events import Event, Rsvp, RsvpEvent
from calls.models.grants import GrantApplication, GrantApplicationEvent, GrantMilestone, GrantRound

__all__ = [
    "Call",
    "CallEvent",
    "ConflictDeclaration",
    "Criterion",
    "Entry",
    "EntryEvent",
    "Event",
    "GrantApplication",
    "GrantApplicationEvent",
    "GrantMilestone",
    "GrantRound",
    "Juror",
    "PrizeTier",
    "Rsvp",
    "RsvpEvent",
    "Score",
]
