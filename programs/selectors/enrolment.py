"""What an artist's dashboard shows about their programs, in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from programs.models import (
    AgreementAcceptance,
    AgreementVersion,
    Application,
    ConsentRecord,
    Enrolment,
    ProgramRole,
)
from programs.selectors.consent import ConsentState
from programs.selectors.invitations import open_invitations_for

LEAVABLE = {Enrolment.Status.INVITED, Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED}


@dataclass
class EnrolmentSummary:
    enrolment: Enrolment
    acceptances: list[AgreementAcceptance]
    current_agreement: AgreementVersion | None
    consent: ConsentState
    is_trusted: bool

    @property
    def accepted_current(self) -> bool:
        if self.current_agreement is None:
            return True
        return any(a.version.version == self.current_agreement.version for a in self.acceptances)

    @property
    def needs_acceptance(self) -> bool:
        return self.enrolment.status in (Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED) and not self.accepted_current

    @property
    def latest_acceptance(self) -> AgreementAcceptance | None:
        return self.acceptances[0] if self.acceptances else None

    @property
    def may_leave(self) -> bool:
        return self.enrolment.status in LEAVABLE


@dataclass
class Dashboard:
    enrolments: list[EnrolmentSummary] = field(default_factory=list)
    applications: list[Application] = field(default_factory=list)
    invitations: list = field(default_factory=list)
    roles: list[ProgramRole] = field(default_factory=list)

    @property
    def acceptances(self) -> list[AgreementAcceptance]:
        return [a for summary in self.enrolments for a in summary.acceptances]

    @property
    def staffed_programs(self) -> list:
        return [role.program for role in self.roles if role.role == ProgramRole.Role.STAFF]


def _newest_by_program(rows, *, key: str) -> dict:
    newest: dict = {}
    for row in rows:
        if row.program_id not in newest or getattr(row, key) > getattr(newest[row.program_id], key):
            newest[row.program_id] = row
    return newest


def dashboard_for(user) -> Dashboard:
    acceptances = AgreementAcceptance.objects.select_related("version").order_by("-accepted_at", "-pk")
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .select_related("program", "cohort")
        .prefetch_related(Prefetch("acceptances", queryset=acceptances), "trust_grants")
        .order_by("program__name")
    )
    program_ids = [e.program_id for e in enrolments]
    current = _newest_by_program(AgreementVersion.objects.published().filter(program_id__in=program_ids), key="version")
    consent = _newest_by_program(ConsentRecord.objects.filter(user=user, program_id__in=program_ids), key="version")
    summaries = [
        EnrolmentSummary(
            enrolment=e,
            acceptances=list(e.acceptances.all()),
            current_agreement=current.get(e.program_id),
            consent=ConsentState.from_record(consent.get(e.program_id)),
            is_trusted=any(g.revoked_at is None for g in e.trust_grants.all()),
        )
        for e in enrolments
    ]
    return Dashboard(
        enrolments=summaries,
        applications=list(Application.objects.filter(user=user).select_related("program", "cohort")),
        invitations=list(open_invitations_for(user)),
        roles=list(ProgramRole.objects.filter(user=user).select_related("program")),
    )
