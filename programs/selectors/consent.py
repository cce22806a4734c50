"""Consent choices in force: the newest numbered record of an artist in a program (no record: everything off)."""

from dataclasses import dataclass

from programs.models import ConsentRecord, Program
from programs.models.consent import CONSENT_PURPOSES


@dataclass(frozen=True)
class ConsentState:
    """The choices in force. With no record yet, everything is off."""

    training: bool = False
    marketing: bool = False
    showcase: bool = False
    record: ConsentRecord | None = None

    def choices(self) -> dict[str, bool]:
        return {purpose: getattr(self, purpose) for purpose in CONSENT_PURPOSES}

    @classmethod
    def from_record(cls, record: ConsentRecord | None) -> "ConsentState":
        return cls() if record is None else cls(**record.choices(), record=record)


def current_consent(user, program: Program) -> ConsentState:
    """What this artist allows in this program now. Later issues ask this before using a video."""
    return ConsentState.from_record(
        ConsentRecord.objects.filter(user=user, program=program).order_by("-version").first()
    )
