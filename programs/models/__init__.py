# One module per concern; every model is importable from programs.models.
from programs.models.compensation import (
    Credit,
    LedgerLine,
    PayoutRun,
    PayoutRunEvent,
    PayoutRunItem,
    RateCard,
    TimeEntry,
    TimeEntryEvent,
)
from programs.models.core import Cohort, Enrolment, EnrolmentEvent, Program, ProgramRole

__all__ = [
    "Cohort",
    "Credit",
    "Enrolment",
    "EnrolmentEvent",
    "LedgerLine",
    "PayoutRun",
    "PayoutRunEvent",
    "PayoutRunItem",
    "Program",
    "ProgramRole",
    "RateCard",
    "TimeEntry",
    "TimeEntryEvent",
]
