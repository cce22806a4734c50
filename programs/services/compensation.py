"""Writes for compensation: rate cards, credits, awards, hours, stipends, payouts and reversals.

Every function is one transaction. Money is validated before anything is written; a refusal raises a
CompensationError with a message for the person who asked, and leaves the database as it was.
Ledger lines carry a unique idempotency key, so a retried or doubled call records nothing twice.

`today` parameters default to the local date. Views never pass them; tests and the demo data do, to write
history as of a given day.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.errors import DomainError
from programs.models import Credit, Enrolment, LedgerLine, Program, RateCard
from programs.models.compensation import Severity
from programs.selectors_compensation import balance, rate_card_in_force

CENTS = Decimal("0.01")
MAX_AMOUNT = Decimal("1000000.00")  # a sanity cap: no single line of this program is a million


class CompensationError(DomainError):
    """A compensation rule refused the request; nothing was written."""


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def money(value, *, what: str, allow_zero: bool = False) -> Decimal:
    """`value` as a Decimal amount with at most two decimals, or a CompensationError. Floats are refused:
    they cannot represent money exactly."""
    if isinstance(value, float):
        raise CompensationError(f"{what}: pass money as a Decimal or a string, not a float.")
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise CompensationError(f"{what}: “{value}” is not an amount of money.") from None
    if not amount.is_finite():
        raise CompensationError(f"{what}: “{value}” is not an amount of money.")
    if amount != amount.quantize(CENTS):
        raise CompensationError(f"{what}: use at most two decimal places (got {value}).")
    if amount < 0 or (amount == 0 and not allow_zero):
        raise CompensationError(f"{what} must be {'zero or more' if allow_zero else 'more than zero'} (got {amount}).")
    if amount > MAX_AMOUNT:
        raise CompensationError(f"{what}: {amount} is above the limit of {MAX_AMOUNT} for a single amount.")
    return amount.quantize(CENTS)


def currency_code(value: str) -> str:
    code = (value or "").strip().upper()
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise CompensationError(f"“{value}” is not a currency code: use three letters such as EUR or USD.")
    return code


def _key(value: str) -> str:
    key = (value or "").strip()
    if not key:
        raise CompensationError("An idempotency key is required so that a retry never records money twice.")
    if len(key) > 200:
        raise CompensationError("The idempotency key is too long (200 characters at most).")
    return key


def _require_enrolment(user, program: Program, *, lock: bool = False) -> Enrolment:
    """Money is only recorded for someone who is (or was) enrolled. Locking the enrolment row serialises
    every balance-changing write for one artist in one program, so two payouts cannot both see the same
    balance."""
    enrolments = Enrolment.objects.filter(user=user, program=program)
    enrolment = (enrolments.select_for_update() if lock else enrolments).first()
    if enrolment is None:
        raise CompensationError(f"{user} is not enrolled in {program}, so no money can be recorded for them.")
    return enrolment


# --- Rate cards ------------------------------------------------------------------------------------


def ratecard_publish(
    *,
    program: Program,
    effective_from: dt.date,
    currency: str,
    amounts: dict,
    stipend_period: str = RateCard.StipendPeriod.NONE,
    note: str = "",
    actor=None,
    today: dt.date | None = None,
) -> RateCard:
    """Publish a new version of the program's rate card.

    Never retroactive: the new version takes effect tomorrow at the earliest (a program's first card may
    start today), and after every existing version, so nothing already done is repriced.
    """
    today = _today(today)
    missing = sorted(set(RateCard.AMOUNT_FIELDS) - set(amounts))
    unknown = sorted(set(amounts) - set(RateCard.AMOUNT_FIELDS))
    if missing or unknown:
        raise TypeError(f"rate card amounts: missing {missing}, unknown {unknown}")
    cleaned = {
        name: money(amounts[name], what=RateCard._meta.get_field(name).verbose_name.capitalize(), allow_zero=True)
        for name in RateCard.AMOUNT_FIELDS
    }
    code = currency_code(currency)
    if stipend_period not in RateCard.StipendPeriod.values:
        raise CompensationError(f"“{stipend_period}” is not a stipend period.")
    if (cleaned["stipend_amount"] > 0) != (stipend_period != RateCard.StipendPeriod.NONE):
        raise CompensationError("A stipend needs both an amount and a period (or neither).")
    with transaction.atomic():
        # Lock the program row: two staff publishing at once must not both become "the next version".
        Program.objects.select_for_update().filter(pk=program.pk).first()
        latest = RateCard.objects.filter(program=program).order_by("-version").first()
        earliest = today if latest is None else today + dt.timedelta(days=1)
        if effective_from < earliest:
            raise CompensationError(
                f"A rate card cannot take effect on {effective_from:%d %b %Y}: changes never apply to the past, "
                f"so the earliest date is {earliest:%d %b %Y}."
            )
        if latest is not None and effective_from <= latest.effective_from:
            raise CompensationError(
                f"Version {latest.version} already takes effect on {latest.effective_from:%d %b %Y}: "
                "a new version must start after it."
            )
        return RateCard.objects.create(
            program=program,
            version=(latest.version + 1) if latest else 1,
            effective_from=effective_from,
            currency=code,
            stipend_period=stipend_period,
            note=note.strip(),
            created_by=actor,
            **cleaned,
        )


def _card_for(program: Program, on: dt.date) -> RateCard:
    card = rate_card_in_force(program, on)
    if card is None:
        raise CompensationError(f"{program} has no rate card in force on {on:%d %b %Y}, so this cannot be priced.")
    return card


# --- Credits and awards ----------------------------------------------------------------------------


def _price(card: RateCard, kind: str, severity: str) -> Decimal:
    if kind == Credit.Kind.BUG_REPORT:
        return card.bug_report_amount(severity)
    return getattr(card, kind)


def _same_credit(existing: Credit, *, user, program: Program, kind: str) -> Credit:
    if (existing.user_id, existing.program_id, existing.kind) != (user.pk, program.pk, kind):
        raise CompensationError(
            f"The idempotency key “{existing.idempotency_key}” was already used for a different credit "
            f"(#{existing.pk}); nothing was recorded."
        )
    return existing


def _create_credit_and_line(*, key: str, today: dt.date, **fields) -> Credit:
    """Insert the credit and its earned line; if a concurrent call won the race on the key, return its row."""
    try:
        with transaction.atomic():
            credit = Credit.objects.create(idempotency_key=key, **fields)
            if credit.amount > 0:  # a card may price something at zero: the credit counts, no money moves
                LedgerLine.objects.create(
                    program=credit.program,
                    user=credit.user,
                    kind=LedgerLine.Kind.EARNED,
                    source=LedgerLine.Source.CREDIT,
                    amount=credit.amount,
                    currency=credit.currency,
                    booked_on=today,
                    idempotency_key=f"credit:{credit.pk}",
                    label=f"{credit.get_kind_display()}: {credit.source_label}",
                    source_url=credit.source_url,
                    credit=credit,
                    rate_card=credit.rate_card,
                    actor=credit.actor,
                )
            return credit
    except IntegrityError:
        existing = Credit.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return _same_credit(existing, user=fields["user"], program=fields["program"], kind=fields["kind"])


def credit_record(
    *,
    user,
    program: Program,
    kind: str,
    idempotency_key: str,
    source_label: str,
    source_url: str = "",
    severity: str = "",
    occurred_on: dt.date | None = None,
    actor=None,
    today: dt.date | None = None,
) -> Credit:
    """Record that a contribution earned money, exactly once, priced from the rate card in force on
    `occurred_on` (default today), with its "earned" ledger line in the same transaction.

    Calling again with the same key returns the existing credit (also when two calls race). Awards have
    no rate-card price: record them with award_record.
    """
    key = _key(idempotency_key)
    existing = Credit.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return _same_credit(existing, user=user, program=program, kind=kind)
    if kind == Credit.Kind.AWARD:
        raise CompensationError("Awards have no rate-card price: record them with an amount and a reason.")
    if kind not in Credit.Kind.values:
        raise CompensationError(f"“{kind}” is not a kind of credit.")
    severity = (severity or "").strip()
    if kind == Credit.Kind.BUG_REPORT and severity not in Severity.values:
        raise CompensationError(
            f"An accepted bug report needs its final severity ({', '.join(Severity.values)}); got “{severity}”."
        )
    if severity and severity not in Severity.values:
        raise CompensationError(f"“{severity}” is not a severity.")
    if kind not in (Credit.Kind.BUG_REPORT, Credit.Kind.BUG_REPORT_DUPLICATE):
        severity = ""
    label = (source_label or "").strip()
    if not label:
        raise CompensationError("A credit needs a label saying what earned it.")
    today = _today(today)
    occurred_on = occurred_on or today
    if occurred_on > today:
        raise CompensationError(f"A contribution cannot be dated in the future ({occurred_on:%d %b %Y}).")
    _require_enrolment(user, program)
    card = _card_for(program, occurred_on)
    with transaction.atomic():
        return _create_credit_and_line(
            key=key,
            today=today,
            program=program,
            user=user,
            kind=kind,
            severity=severity,
            source_label=label[:300],
            source_url=(source_url or "")[:500],
            occurred_on=occurred_on,
            rate_card=card,
            amount=_price(card, kind, severity),
            currency=card.currency,
            actor=actor,
        )


def award_record(
    *,
    user,
    program: Program,
    title: str,
    amount,
    reason: str,
    idempotency_key: str,
    actor,
    currency: str = "",
    awarded_on: dt.date | None = None,
    source_url: str = "",
    today: dt.date | None = None,
) -> Credit:
    """Record a prize (e.g. a screening selection): a credit with a staff-chosen amount and a reason.
    The currency defaults to the rate card in force on `awarded_on`."""
    key = _key(idempotency_key)
    existing = Credit.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return _same_credit(existing, user=user, program=program, kind=Credit.Kind.AWARD)
    title, reason = (title or "").strip(), (reason or "").strip()
    if not title:
        raise CompensationError("An award needs a title, e.g. “Selected for the Rotterdam screening”.")
    if not reason:
        raise CompensationError("An award needs a reason: it is shown to the artist and counted publicly.")
    amount = money(amount, what="Award amount")
    today = _today(today)
    awarded_on = awarded_on or today
    if awarded_on > today:
        raise CompensationError(f"An award cannot be dated in the future ({awarded_on:%d %b %Y}).")
    _require_enrolment(user, program)
    code = currency_code(currency) if currency else _card_for(program, awarded_on).currency
    with transaction.atomic():
        return _create_credit_and_line(
            key=key,
            today=today,
            program=program,
            user=user,
            kind=Credit.Kind.AWARD,
            source_label=title[:300],
            source_url=(source_url or "")[:500],
            reason=reason,
            occurred_on=awarded_on,
            rate_card=None,
            amount=amount,
            currency=code,
            actor=actor,
        )


# --- Payouts and reversals -------------------------------------------------------------------------


def _same_payout(existing: LedgerLine, *, user, program: Program, amount: Decimal, currency: str) -> LedgerLine:
    mine = (existing.kind, existing.user_id, existing.program_id, existing.amount, existing.currency)
    if mine != (LedgerLine.Kind.PAID, user.pk, program.pk, amount, currency):
        raise CompensationError(
            f"The idempotency key “{existing.idempotency_key}” was already used for a different line "
            f"(#{existing.pk}: {existing}); nothing was recorded."
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
    key = _key(idempotency_key)
    amount = money(amount, what="Payout amount")
    code = currency_code(currency)
    if method not in LedgerLine.Method.values:
        raise CompensationError(f"“{method}” is not a payout method.")
    with transaction.atomic():
        _require_enrolment(user, program, lock=True)
        existing = LedgerLine.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return _same_payout(existing, user=user, program=program, amount=amount, currency=code), False
        owed = balance(user, program, code)
        if amount > owed:
            raise CompensationError(
                f"A payout of {amount} {code} to {user} is above what {program} owes them ({owed} {code}); "
                "nothing was recorded."
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
            label=f"Payout by {LedgerLine.Method(method).label.lower()}"
            + (f", reference {reference}" if reference else ""),
            method=method,
            external_reference=reference,
            payout_run=payout_run,
            actor=actor,
        )
        return line, True


def line_reverse(*, line: LedgerLine, reason: str, actor, today: dt.date | None = None) -> LedgerLine:
    """Cancel one earned or paid line with a new "reversed" line pointing at it (a failed payout, a credit
    given in error). The original line stays as it was."""
    reason = (reason or "").strip()
    if not reason:
        raise CompensationError("A reversal needs a reason: it is shown on the artist's statement.")
    with transaction.atomic():
        _require_enrolment(line.user, line.program, lock=True)
        line = LedgerLine.objects.select_related("reversed_by").get(pk=line.pk)
        if line.kind == LedgerLine.Kind.REVERSED:
            raise CompensationError(f"Line #{line.pk} is itself a reversal; record a new line instead.")
        already = getattr(line, "reversed_by", None)
        if already is not None:
            raise CompensationError(f"Line #{line.pk} was already reversed on {already.booked_on:%d %b %Y}.")
        return LedgerLine.objects.create(
            program=line.program,
            user=line.user,
            kind=LedgerLine.Kind.REVERSED,
            source=LedgerLine.Source.REVERSAL,
            amount=line.amount,
            currency=line.currency,
            booked_on=_today(today),
            idempotency_key=f"reversal:{line.pk}",
            label=f"Reverses line #{line.pk} ({line.label})"[:300],
            source_url=line.source_url,
            reverses=line,
            reason=reason,
            actor=actor,
        )
