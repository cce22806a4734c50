# One module per concern; every model is importable from programs.models.
from programs.models.agreements import AgreementAcceptance, AgreementVersion
from programs.models.applications import Application, ApplicationEvent, ScreeningQuestion
from programs.models.compensation import (
    Credit,
    LedgerLine,
    PayoutRun,
    PayoutRunEvent,
    PayoutRunItem,
    PendingCredit,
    RateCard,
    TimeEntry,
    TimeEntryEvent,
)
from programs.models.consent import ConsentRecord
from programs.models.core import Cohort, Enrolment, EnrolmentEvent, Program, ProgramRole
from programs.models.invitations import Invitation, InvitationEvent
from programs.models.trust import TrustedPublisher

__all__ = [
    "AgreementAcceptance",
    "AgreementVersion",
    "Application",
    "ApplicationEvent",
    "Cohort",
    "ConsentRecord",
    "Credit",
    "Enrolment",
    "EnrolmentEvent",
    "Invitation",
    "InvitationEvent",
    "LedgerLine",
    "PayoutRun",
    "PayoutRunEvent",
    "PayoutRunItem",
    "PendingCredit",
    "Program",
    "ProgramRole",
    "RateCard",
    "ScreeningQuestion",
    "TimeEntry",
    "TimeEntryEvent",
    "TrustedPublisher",
]
