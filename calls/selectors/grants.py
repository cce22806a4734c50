"""Reads for grants: a round's public tally (counts and whether decisions came on time, never who applied)."""

from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from calls.models import GrantApplication, GrantRound

S = GrantApplication.Status


@dataclass(frozen=True)
class RoundTally:
    applications: int
    awarded: int
    declined: int
    waiting: int
    decided_late: int
    overdue: int
    amount_awarded: object

    @property
    def missed(self) -> int:
        return self.decided_late + self.overdue


def round_tally(round: GrantRound) -> RoundTally:
    now = timezone.now()
    row = GrantApplication.objects.filter(round=round).aggregate(
        applications=Count("pk", filter=~Q(status=S.WITHDRAWN)),
        awarded=Count("pk", filter=Q(status=S.AWARDED)),
        declined=Count("pk", filter=Q(status=S.DECLINED)),
        waiting=Count("pk", filter=Q(status=S.SUBMITTED)),
        decided_late=Count("pk", filter=Q(decided_at__gt=F("decision_due_at"))),
        overdue=Count("pk", filter=Q(status=S.SUBMITTED, decision_due_at__lt=now)),
        amount_awarded=Sum("amount_awarded", filter=Q(status=S.AWARDED)),
    )
    return RoundTally(**{**row, "amount_awarded": row["amount_awarded"] or 0})
