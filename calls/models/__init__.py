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

__all__ = [
    "Call",
    "CallEvent",
    "ConflictDeclaration",
    "Criterion",
    "Entry",
    "EntryEvent",
    "Juror",
    "PrizeTier",
    "Score",
]
