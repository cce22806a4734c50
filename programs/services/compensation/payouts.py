"""Payouts and reversals: money leaves the ledger, or a line is undone by its opposite."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from core.money import format_money
from core.recorded import Choice, Said, columns, recalled
from programs.models import LedgerLine, Program
from programs.selectors.compensation import balance

from ._shared import (
    CompensationError,
    _key,
    _require_enrolment,
    _today,
    currency_code,
    money,
    refuse_deleted_account,
    refuse_self_payment,
)


def _same_payout(existing: LedgerLine, *, user, program: Program, amount: Decimal, currency: str) -> LedgerLine:
    mine = (existing.kind, existing.user_id, existing.program_id, existing.amount, existing.currency)
    if mine != (LedgerLine.Kind.PAID, user.pk, program.pk, amount, currency):
        raise CompensationError(
            _(
                "The idempotency key “%(key)s” was already used for a different line (#%(line)s: %(what)s); "
                "nothing was recorded."
            )
            % {"key": existing.idempotency_key, "line": existing.pk, "what": existing}
        )
    return existing


def payout_record(
    *,
    user,
    program: Program,
    amount,
    currency: str,
    method: str,
    idempotency_key: str,
    actor,
    external_reference: str = "",
    payout_run=None,
    today: dt.date | None = None,
) -> tuple[LedgerLine, bool]:
    """Record money paid to an artist. Returns (line, created).

    The same key again (double submit, retry after a timeout, two concurrent submits) returns the line
    already recorded with created=False. A payout above what is owed is refused: a balance never goes
    negative through a payout.
    """
    refuse_self_payment(actor, user, action=_("record a payout to"))
    key = _key(idempotency_key)
    code = currency_code(currency)
    amount = money(amount, what=gettext("Payout amount"), currency=code)
    if method not in LedgerLine.Method.values:
        raise CompensationError(_("“%(method)s” is not a payout method.") % {"method": method})
    with transaction.atomic():
        _require_enrolment(user, program, lock=True)
        existing = LedgerLine.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return _same_payout(existing, user=user, program=program, amount=amount, currency=code), False
        refuse_deleted_account(user)
        owed = balance(user, program, code)
        if amount > owed:
            raise CompensationError(
                _(
                    "A payout of %(amount)s to %(user)s is above what %(program)s owes them (%(owed)s); "
                    "nothing was recorded."
                )
                % {
                    "amount": format_money(amount, code),
                    "user": user,
                    "program": program,
                    "owed": format_money(owed, code),
                }
            )
        reference = (external_reference or "").strip()[:200]
        line = LedgerLine.objects.create(
            program=program,
            user=user,
            kind=LedgerLine.Kind.PAID,
            source=LedgerLine.Source.PAYOUT,
            amount=amount,
            currency=code,
            booked_on=_today(today),
            idempotency_key=key,
            **columns("label", _payout_label(method, reference), limit=300),
            method=method,
            external_reference=reference,
            payout_run=payout_run,
            actor=actor,
        )
        return line, True


def _payout_label(method: str, reference: str) -> Said:
    by = Choice(LedgerLine.Method, method, lower=True)
    if reference:
        return Said(gettext_noop("Payout by %(method)s, reference %(reference)s"), method=by, reference=reference)
    return Said(gettext_noop("Payout by %(method)s"), method=by)


def line_reverse(*, line: LedgerLine, reason: Said | str, actor, today: dt.date | None = None) -> LedgerLine:
    """Cancel one earned or paid line with a new "reversed" line pointing at it (a failed payout, a credit
    given in error). The original line stays as it was."""
    refuse_self_payment(actor, line.user, action=_("reverse a ledger line of"))
    reason = reason if isinstance(reason, Said) else (reason or "").strip()
    if not reason:
        raise CompensationError(gettext("A reversal needs a reason: it is shown on the artist's statement."))
    with transaction.atomic():
        _require_enrolment(line.user, line.program, lock=True)
        line = LedgerLine.objects.select_related("reversed_by").get(pk=line.pk)
        if line.kind == LedgerLine.Kind.REVERSED:
            raise CompensationError(
                _("Line #%(line)s is itself a reversal; record a new line instead.") % {"line": line.pk}
            )
        already = getattr(line, "reversed_by", None)
        if already is not None:
            raise CompensationError(
                _("Line #%(line)s was already reversed on %(day)s.")
                % {"line": line.pk, "day": formats.date_format(already.booked_on, "DATE_FORMAT")}
            )
        return LedgerLine.objects.create(
            program=line.program,
            user=line.user,
            kind=LedgerLine.Kind.REVERSED,
            source=LedgerLine.Source.REVERSAL,
            amount=line.amount,
            currency=line.currency,
            booked_on=_today(today),
            idempotency_key=f"reversal:{line.pk}",
            **columns(
                "label",
                Said(
                    gettext_noop("Reverses line #%(line)s (%(label)s)"),
                    line=line.pk,
                    label=recalled(line.label, line.label_said),
                ),
                limit=300,
            ),
            source_url=line.source_url,
            reverses=line,
            **columns("reason", reason),
            actor=actor,
        )
