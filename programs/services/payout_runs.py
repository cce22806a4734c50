"""Payout runs: draft from positive balances, review, confirm (recording the paid lines under the run's key),
export for the payments provider, and reconcile failures by reversal."""

import datetime as dt
import logging
import uuid

from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from core import lifecycle
from core.recorded import Said
from programs.models import LedgerLine, PayoutRun, PayoutRunItem, Program
from programs.selectors.compensation import positive_balances, unpayable_reason
from programs.services.compensation import (
    CompensationError,
    CompensationMoveRefused,
    currency_code,
    line_reverse,
    payout_record,
    refuse_self_payment,
)

logger = logging.getLogger(__name__)

# --- Payout runs -----------------------------------------------------------------------------------
RunStatus = PayoutRun.Status
ItemStatus = PayoutRunItem.Status


def _move(
    row: PayoutRun | PayoutRunItem, to: str, *, actor, reason: Said | str = "", **changes
) -> PayoutRun | PayoutRunItem:
    """Move a run or one of its items (their MOVES); either way the history row is the run's."""
    return lifecycle.move(row, to, actor=actor, reason=reason, changes=changes, refusal=CompensationMoveRefused)


def _locked_run(run: PayoutRun) -> PayoutRun:
    return PayoutRun.objects.select_for_update().select_related("program").get(pk=run.pk)


def payoutrun_create(
    *, program: Program, currency: str, actor, method: str = LedgerLine.Method.PAYMENT_PROVIDER
) -> PayoutRun:
    """Draft a run: every artist the program owes money in `currency` whom a payout can reach, with what they are
    owed now. The drafting staff member's own balance, if any, starts excluded: someone else must include it."""
    code = currency_code(currency)
    if method not in LedgerLine.Method.values:
        raise CompensationError(gettext("“%(method)s” is not a payout method.") % {"method": method})
    with transaction.atomic():
        Program.objects.select_for_update().filter(pk=program.pk).first()  # one draft at a time, even racing
        draft = PayoutRun.objects.filter(program=program, currency=code, status=RunStatus.DRAFT).first()
        if draft is not None:
            raise CompensationError(
                _("Payout run %(reference)s in %(currency)s is still under review: confirm or cancel it first.")
                % {"reference": draft.reference, "currency": code},
                next_url=reverse("programs:payoutrun_detail", kwargs={"slug": program.slug, "pk": draft.pk}),
                next_label=_("Review payout run %(reference)s") % {"reference": draft.reference},
            )
        owed = positive_balances(program, code, payable_only=True)
        if not owed:
            raise CompensationError(
                gettext("Nobody in %(program)s is owed money in %(code)s: there is nothing to pay.")
                % {"program": program, "code": code}
            )
        run = PayoutRun.objects.create(
            program=program, currency=code, method=method, idempotency_key=uuid.uuid4().hex, created_by=actor
        )
        PayoutRunItem.objects.bulk_create(
            lifecycle.initial(
                PayoutRunItem, ItemStatus.EXCLUDED if uid == actor.pk else ItemStatus.INCLUDED,
                run=run, user_id=uid, amount=amount,
            )
            for uid, amount in owed
        )  # fmt: skip
        reason = f"{len(owed)} artists owed."
        if any(uid == actor.pk for uid, _amount in owed):
            reason += " " + _("The drafter's own payout is excluded: another member of staff must include it.")
        return lifecycle.start(run, actor=actor, reason=reason)


def payoutrun_item_include(*, item: PayoutRunItem, include: bool, actor) -> PayoutRunItem:
    """During review, leave an artist out of the run (or put them back)."""
    with transaction.atomic():
        run = _locked_run(item.run)
        if run.status != RunStatus.DRAFT:
            raise CompensationError(gettext("Only a run under review can be changed."))
        item = PayoutRunItem.objects.select_related("user").get(pk=item.pk)
        if include:
            refuse_self_payment(actor, item.user, action=_("include a payout to"))
            if (why := unpayable_reason(item.user)) is not None:
                raise CompensationError(_("This payout cannot be made: %(why)s.") % {"why": why})
        to = ItemStatus.INCLUDED if include else ItemStatus.EXCLUDED
        said = gettext_noop("Included %(person)s.") if include else gettext_noop("Excluded %(person)s.")
        return _move(item, to, actor=actor, reason=Said(said, person=str(item.user)))


def payoutrun_confirm(*, run: PayoutRun, actor, today: dt.date | None = None) -> PayoutRun:
    """Record a paid line per included artist under the run's key. Confirming twice records nothing new.

    Each payout is recorded on its own (a savepoint): one that cannot be made any more (the balance changed, the
    account was deleted since the draft) is marked "not paid" with its reason and stays owed; the others are paid.
    """
    with transaction.atomic():
        run = _locked_run(run)
        if run.status == RunStatus.CONFIRMED:
            return run
        items = list(run.items.filter(status=ItemStatus.INCLUDED).select_related("user"))
        if run.status == RunStatus.DRAFT and not items:
            raise CompensationError(gettext("Every artist is excluded from this run: include someone or cancel it."))
        for item in items:
            refuse_self_payment(actor, item.user, action=_("confirm a payout run that pays"))
        _move(
            run,
            RunStatus.CONFIRMED,
            actor=actor,
            reason=Said(gettext_noop("Payouts to record: %(count)s."), count=len(items)),
        )
        for item in items:
            _pay_item(run, item, actor=actor, today=today)
        return run


def _pay_item(run: PayoutRun, item: PayoutRunItem, *, actor, today: dt.date | None) -> None:
    try:
        with transaction.atomic():
            if (why := unpayable_reason(item.user)) is not None:
                raise CompensationError(_("This payout cannot be made: %(why)s.") % {"why": why})
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
            _move(
                item,
                ItemStatus.PAID,
                actor=actor,
                reason=Said(gettext_noop("%(person)s: paid."), person=str(item.user)),
            )
    except (CompensationError, DatabaseError) as error:
        reason = getattr(error, "message", None) or _("The payout could not be recorded (%(error)s).") % {
            "error": error.__class__.__name__
        }
        logger.warning("Payout run %s: item %s not paid: %s", run.reference, item.pk, reason)
        _move(item, ItemStatus.NOT_PAID, actor=actor, reason=f"{item.user}: {reason}", failure_reason=reason)


def payoutrun_cancel(*, run: PayoutRun, actor, reason: str = "") -> PayoutRun:
    with transaction.atomic():
        return _move(_locked_run(run), RunStatus.CANCELLED, actor=actor, reason=(reason or "").strip())


def payoutrun_item_fail(*, item: PayoutRunItem, reason: str, actor, today: dt.date | None = None) -> PayoutRunItem:
    """The payments provider could not pay this artist: reverse the paid line, so the money is owed again."""
    reason = (reason or "").strip()
    if not reason:
        raise CompensationError(gettext("Say why the payout failed (e.g. the provider's error): the artist sees it."))
    with transaction.atomic():
        run = _locked_run(item.run)
        item = PayoutRunItem.objects.select_for_update().select_related("user").get(pk=item.pk)
        refuse_self_payment(actor, item.user, action=_("mark as failed a payout to"))
        if item.status != ItemStatus.PAID:
            raise CompensationError(
                gettext("Only a paid item can fail; this one is %(status)s.")
                % {"status": item.get_status_display().lower()}
            )
        line = LedgerLine.objects.get(payout_run=run, user=item.user, kind=LedgerLine.Kind.PAID)
        line_reverse(
            line=line, reason=Said(gettext_noop("Payout failed: %(reason)s"), reason=reason), actor=actor, today=today
        )
        return _move(item, ItemStatus.FAILED, actor=actor, reason=f"{item.user}: {reason}", failure_reason=reason)


def payoutrun_items_withdraw(*, user, reason: str) -> int:
    """The account was deleted: take it out of every run still under review (without naming it in the history)."""
    items = PayoutRunItem.objects.filter(user=user, status=ItemStatus.INCLUDED, run__status=RunStatus.DRAFT)
    count = 0
    for item in list(items.select_related("run")):
        # The list was read before the lock: a run confirmed meanwhile has paid the item, which stays paid.
        if _locked_run(item.run).status != RunStatus.DRAFT:
            continue
        excluded = lifecycle.move(
            item,
            ItemStatus.EXCLUDED,
            reason=reason,
            changes={"failure_reason": reason},
            when={"status": ItemStatus.INCLUDED},
        )
        count += excluded is not None
    return count
