"""Payout runs: draft from positive balances, review, confirm (recording the paid lines under the run's key),
export for the payments provider, and reconcile failures by reversal."""

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone

from programs.models import LedgerLine, PayoutRun, PayoutRunEvent, PayoutRunItem, Program
from programs.selectors_compensation import positive_balances
from programs.services.compensation import CompensationError, currency_code, line_reverse, payout_record

# --- Payout runs -----------------------------------------------------------------------------------
RunStatus = PayoutRun.Status
ItemStatus = PayoutRunItem.Status
RUN_TRANSITIONS = {RunStatus.DRAFT: {RunStatus.CONFIRMED, RunStatus.CANCELLED}}


def _run_move(run: PayoutRun, to: str, *, actor, reason: str = "") -> PayoutRun:
    if to not in RUN_TRANSITIONS.get(run.status, set()):
        raise CompensationError(f"This payout run is {run.get_status_display().lower()}: it cannot be {to} now.")
    previous = run.status
    run.status, run.status_changed_at = to, timezone.now()
    run.save(update_fields=["status", "status_changed_at"])
    PayoutRunEvent.objects.create(run=run, actor=actor, from_status=previous, to_status=to, reason=reason)
    return run


def _locked_run(run: PayoutRun) -> PayoutRun:
    return PayoutRun.objects.select_for_update().select_related("program").get(pk=run.pk)


def payoutrun_create(
    *, program: Program, currency: str, actor, method: str = LedgerLine.Method.PAYMENT_PROVIDER
) -> PayoutRun:
    """Draft a run: every artist the program owes money in `currency`, with what they are owed now."""
    code = currency_code(currency)
    if method not in LedgerLine.Method.values:
        raise CompensationError(f"“{method}” is not a payout method.")
    with transaction.atomic():
        Program.objects.select_for_update().filter(pk=program.pk).first()  # one draft at a time, even racing
        draft = PayoutRun.objects.filter(program=program, currency=code, status=RunStatus.DRAFT).first()
        if draft is not None:
            raise CompensationError(
                f"Payout run {draft.reference} in {code} is still under review: confirm or cancel it first."
            )
        owed = positive_balances(program, code)
        if not owed:
            raise CompensationError(f"Nobody in {program} is owed money in {code}: there is nothing to pay.")
        run = PayoutRun.objects.create(
            program=program, currency=code, method=method, idempotency_key=uuid.uuid4().hex, created_by=actor
        )
        PayoutRunItem.objects.bulk_create(PayoutRunItem(run=run, user_id=uid, amount=amount) for uid, amount in owed)
        PayoutRunEvent.objects.create(
            run=run, actor=actor, to_status=RunStatus.DRAFT, reason=f"{len(owed)} artists owed."
        )
        return run


def payoutrun_item_include(*, item: PayoutRunItem, include: bool, actor) -> PayoutRunItem:
    """During review, leave an artist out of the run (or put them back)."""
    with transaction.atomic():
        run = _locked_run(item.run)
        if run.status != RunStatus.DRAFT:
            raise CompensationError("Only a run under review can be changed.")
        item = PayoutRunItem.objects.select_related("user").get(pk=item.pk)
        item.status = ItemStatus.INCLUDED if include else ItemStatus.EXCLUDED
        item.save(update_fields=["status"])
        verb = "Included" if include else "Excluded"
        PayoutRunEvent.objects.create(
            run=run, actor=actor, from_status=run.status, to_status=run.status, reason=f"{verb} {item.user}."
        )
        return item


def payoutrun_confirm(*, run: PayoutRun, actor, today: dt.date | None = None) -> PayoutRun:
    """Record a paid line per included artist under the run's key. Confirming twice records nothing new."""
    with transaction.atomic():
        run = _locked_run(run)
        if run.status == RunStatus.CONFIRMED:
            return run
        items = list(run.items.filter(status=ItemStatus.INCLUDED).select_related("user"))
        if run.status == RunStatus.DRAFT and not items:
            raise CompensationError("Every artist is excluded from this run: include someone or cancel it.")
        _run_move(run, RunStatus.CONFIRMED, actor=actor, reason=f"{len(items)} payouts recorded.")
        for item in items:
            try:
                payout_record(
                    user=item.user,
                    program=run.program,
                    amount=item.amount,
                    currency=run.currency,
                    method=run.method,
                    idempotency_key=f"{run.idempotency_key}:{item.user_id}",
                    actor=actor,
                    external_reference=run.reference,
                    payout_run=run,
                    today=today,
                )
            except CompensationError as error:
                raise CompensationError(
                    f"{error.message} The balance changed since the run was drafted: cancel it and draft a new one."
                ) from error
        run.items.filter(status=ItemStatus.INCLUDED).update(status=ItemStatus.PAID)
        return run


def payoutrun_cancel(*, run: PayoutRun, actor, reason: str = "") -> PayoutRun:
    with transaction.atomic():
        return _run_move(_locked_run(run), RunStatus.CANCELLED, actor=actor, reason=(reason or "").strip())


def payoutrun_item_fail(*, item: PayoutRunItem, reason: str, actor, today: dt.date | None = None) -> PayoutRunItem:
    """The payments provider could not pay this artist: reverse the paid line, so the money is owed again."""
    reason = (reason or "").strip()
    if not reason:
        raise CompensationError("Say why the payout failed (e.g. the provider's error): the artist sees it.")
    with transaction.atomic():
        run = _locked_run(item.run)
        item = PayoutRunItem.objects.select_for_update().select_related("user").get(pk=item.pk)
        if item.status != ItemStatus.PAID:
            raise CompensationError(f"Only a paid item can fail; this one is {item.get_status_display().lower()}.")
        line = LedgerLine.objects.get(payout_run=run, user=item.user, kind=LedgerLine.Kind.PAID)
        line_reverse(line=line, reason=f"Payout failed: {reason}", actor=actor, today=today)
        item.status, item.failure_reason = ItemStatus.FAILED, reason
        item.save(update_fields=["status", "failure_reason"])
        PayoutRunEvent.objects.create(
            run=run,
            actor=actor,
            from_status=ItemStatus.PAID,
            to_status=ItemStatus.FAILED,
            reason=f"{item.user}: {reason}",
        )
        return item
