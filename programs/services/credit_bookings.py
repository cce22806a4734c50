"""Booking the credits that decisions earn, without ever letting the money break the decision.

A reviewer's approval, a deadline approval, an overturned appeal or a publication earns a credit. If the ledger
cannot book it at that moment (no rate card yet, a database error, a key already taken by old data), the decision
still stands: the credit is recorded as pending, a beat job retries it, and staff see it on their compensation
pages until it is booked.
"""

import datetime as dt
import logging

from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from core import lifecycle
from core.batch import BatchResult, each_in_own_transaction
from core.recorded import Said, columns, recalled
from programs.models import Credit, PendingCredit, Program
from programs.services.compensation import CompensationError, credit_record

logger = logging.getLogger(__name__)
Status = PendingCredit.Status


def _why(error: Exception) -> str:
    return getattr(error, "message", None) or f"{error.__class__.__name__}: {error}"[:500]


def credit_book(
    *,
    user,
    program: Program,
    kind: str,
    reference,
    source_label: Said | str,
    source_url: str = "",
    severity: str = "",
    occurred_on: dt.date | None = None,
    actor=None,
) -> Credit | None:
    """Book a credit now if the ledger can (inside a savepoint), else record it as pending; never raises a
    booking failure into the caller's transaction. Returns the credit, or None when it waits."""
    occurred_on = occurred_on or timezone.localdate()
    fields = {
        "user": user,
        "program": program,
        "kind": kind,
        "source_label": source_label,
        "source_url": source_url,
        "severity": severity,
        "occurred_on": occurred_on,
        "actor": actor,
    }
    try:
        with transaction.atomic():
            return credit_record(idempotency_key=str(reference), **fields)
    except (CompensationError, DatabaseError) as error:
        logger.warning("Credit %s:%s:%s could not be booked, kept pending: %s", kind, program.pk, reference, error)
        stored = {**fields, **columns("source_label", source_label, limit=300), "last_error": _why(error)}
        pending, created = PendingCredit.objects.get_or_create(
            program=program, kind=kind, reference=str(reference), defaults=stored
        )
        if not created:
            PendingCredit.objects.filter(pk=pending.pk).update(
                attempts=F("attempts") + 1, last_error=_why(error), last_tried_at=timezone.now()
            )
        return None


def _retry(pending_id: int) -> bool:
    pending = PendingCredit.objects.select_for_update().filter(pk=pending_id, status=Status.PENDING).first()
    if pending is None:
        return False  # booked or dropped meanwhile
    tried = {"attempts": pending.attempts + 1, "last_tried_at": timezone.now()}
    try:
        with transaction.atomic():
            credit = credit_record(
                user=pending.user,
                program=pending.program,
                kind=pending.kind,
                idempotency_key=pending.reference,
                source_label=recalled(pending.source_label, pending.source_label_said),
                source_url=pending.source_url,
                severity=pending.severity,
                occurred_on=pending.occurred_on,
                actor=pending.actor,
            )
            lifecycle.move(pending, Status.BOOKED, changes={**tried, "credit": credit, "last_error": ""})
            return True
    except (CompensationError, DatabaseError) as error:
        PendingCredit.objects.filter(pk=pending.pk).update(**tried, last_error=_why(error))
        return False


def pending_credits_retry() -> BatchResult:
    """Try again to book every pending credit, each in its own transaction (beat)."""
    ids = list(PendingCredit.objects.filter(status=Status.PENDING).values_list("pk", flat=True))
    return each_in_own_transaction("retry pending credits", ids, _retry)


def pending_credits_drop(*, user, reason: str) -> int:
    """The account was deleted: its pending credits are given up with the rest of what it was owed."""
    waiting = list(PendingCredit.objects.filter(user=user, status=Status.PENDING).order_by("pk"))
    for pending in waiting:
        lifecycle.move(
            pending, Status.DROPPED, reason=reason, changes={"last_error": reason, "last_tried_at": timezone.now()}
        )
    return len(waiting)
