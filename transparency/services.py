"""Publishing a dated snapshot of a program's transparency report."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import DomainError
from programs.models import Program
from transparency.current import report_for
from transparency.models import TransparencySnapshot


class SnapshotRefused(DomainError):
    pass


def transparency_snapshot_publish(*, program: Program, actor, today: dt.date | None = None) -> TransparencySnapshot:
    """Store the public report (its current release) as it stands now, dated today. One snapshot a day; a snapshot
    is never replaced. A snapshot never shows more than the live report did: it is a dated copy of a release."""
    today = today or timezone.localdate()
    if program.status == Program.Status.DRAFT:
        raise SnapshotRefused("A draft program has no public report to publish.")
    refusal = f"The report of {today:%d %B %Y} is already published; a snapshot is never replaced."
    if TransparencySnapshot.objects.filter(program=program, published_on=today).exists():
        raise SnapshotRefused(refusal)
    data = report_for(program)
    try:
        with transaction.atomic():
            return TransparencySnapshot.objects.create(
                program=program, published_on=today, data=data, published_by=actor
            )
    except IntegrityError:  # a second click or another staff member won the race
        raise SnapshotRefused(refusal) from None
