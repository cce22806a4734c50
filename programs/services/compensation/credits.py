"""Credits and awards: a ledger line for each contribution the program pays for."""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from core.recorded import Choice, Said, columns, recalled
from programs.models import Credit, LedgerLine, Program, RateCard
from programs.models.compensation import Severity

from ._shared import (
    CompensationError,
    _card_for,
    _require_enrolment,
    _today,
    credit_key,
    currency_code,
    money,
    refuse_deleted_account,
    refuse_self_payment,
)


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
                    **columns(
                        "label",
                        Said(
                            gettext_noop("%(kind)s: %(source)s"),
                            kind=Choice(Credit.Kind, credit.kind),
                            source=recalled(credit.source_label, credit.source_label_said),
                        ),
                        limit=300,
                    ),
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
    source_label: Said | str,
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

    `idempotency_key` names what earned it within its kind and program (e.g. the video's id); the stored key is
    made from it by credit_key. The actor (staff accepting a report) can never credit themselves.
    """
    if kind == Credit.Kind.AWARD:
        raise CompensationError(gettext("Awards have no rate-card price: record them with an amount and a reason."))
    if kind not in Credit.Kind.values:
        raise CompensationError(gettext("“%(kind)s” is not a kind of credit.") % {"kind": kind})
    refuse_self_payment(actor, user, action=_("credit"))
    key = credit_key(kind, program, idempotency_key)
    existing = Credit.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return _same_credit(existing, user=user, program=program, kind=kind)
    refuse_deleted_account(user)
    severity = (severity or "").strip()
    if kind == Credit.Kind.BUG_REPORT and severity not in Severity.values:
        raise CompensationError(
            f"An accepted bug report needs its final severity ({', '.join(Severity.values)}); got “{severity}”."
        )
    if severity and severity not in Severity.values:
        raise CompensationError(gettext("“%(severity)s” is not a severity.") % {"severity": severity})
    if kind not in (Credit.Kind.BUG_REPORT, Credit.Kind.BUG_REPORT_DUPLICATE):
        severity = ""
    label = source_label if isinstance(source_label, Said) else (source_label or "").strip()
    if not label:
        raise CompensationError(gettext("A credit needs a label saying what earned it."))
    today = _today(today)
    occurred_on = occurred_on or today
    if occurred_on > today:
        raise CompensationError(
            gettext("A contribution cannot be dated in the future (%(occurred_on)s).")
            % {"occurred_on": date_format(occurred_on)}
        )
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
            **columns("source_label", label, limit=300),
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
    The currency defaults to the rate card in force on `awarded_on`.

    `idempotency_key` names this award request (the award form's server-signed token): stored under the program's
    award namespace (credit_key), so submitting the form twice records one award and no key of another kind or
    program can be reached from it."""
    refuse_self_payment(actor, user, action=_("award money to"))
    key = credit_key(Credit.Kind.AWARD, program, idempotency_key)
    existing = Credit.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return _same_credit(existing, user=user, program=program, kind=Credit.Kind.AWARD)
    refuse_deleted_account(user)
    title, reason = (title or "").strip(), (reason or "").strip()
    if not title:
        raise CompensationError(gettext("An award needs a title, e.g. “Selected for the Rotterdam screening”."))
    if not reason:
        raise CompensationError(gettext("An award needs a reason: it is shown to the artist and counted publicly."))
    today = _today(today)
    awarded_on = awarded_on or today
    if awarded_on > today:
        raise CompensationError(
            gettext("An award cannot be dated in the future (%(awarded_on)s).")
            % {"awarded_on": date_format(awarded_on)}
        )
    _require_enrolment(user, program)
    code = currency_code(currency) if currency else _card_for(program, awarded_on).currency
    amount = money(amount, what=gettext("Award amount"), currency=code)
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
