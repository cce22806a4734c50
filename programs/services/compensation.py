"""Writes for compensation: rate cards, credits, awards, hours, stipends, payouts and reversals.

Every function is one transaction. Money is validated before anything is written; a refusal raises a
CompensationError with a message for the person who asked, and leaves the database as it was.
Ledger lines carry a unique idempotency key, so a retried or doubled call records nothing twice.

`today` parameters default to the local date. Views never pass them; tests and the demo data do, to write
history as of a given day.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core import lifecycle
from core.batch import each_in_own_transaction
from core.errors import DomainError, TransitionRefused
from programs.access import contributing_enrolment
from programs.models import (
    Credit,
    Enrolment,
    LedgerLine,
    Program,
    RateCard,
    TimeEntry,
)
from programs.models.compensation import Severity
from programs.selectors_compensation import LOGGED, balance, rate_card_in_force

CENTS = Decimal("0.01")
MAX_AMOUNT = Decimal("1000000.00")  # a sanity cap: no single line of this program is a million


class CompensationError(DomainError):
    """A compensation rule refused the request; nothing was written."""


class CompensationMoveRefused(TransitionRefused, CompensationError):
    """A time entry, payout run or pending credit is not in a state that allows the move."""


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


def credit_key(kind: str, program: Program, reference) -> str:
    """The idempotency key of a credit, made by the server: scoped by kind and program, so a reference chosen
    anywhere (an award form, another program) can never take the key of another kind's or program's credit."""
    reference = str(reference or "").strip()
    if not reference:
        raise CompensationError(_("A credit needs a reference to what earned it, so a retry never books it twice."))
    if len(reference) > 120:
        raise CompensationError(_("The credit's reference is too long (120 characters at most)."))
    return f"{kind}:{program.pk}:{reference}"


def refuse_self_payment(actor, beneficiary, *, action: str) -> None:
    """Nobody moves money to themselves: staff enrolled as artists need another member of staff."""
    if actor is not None and beneficiary is not None and actor.pk == beneficiary.pk:
        raise CompensationError(
            _("You cannot %(action)s yourself: another member of the program's staff must do it.") % {"action": action}
        )


def refuse_deleted_account(user) -> None:
    """A deleted account gave up what it was owed: nothing more is credited or paid to it."""
    if getattr(user, "deleted_at", None) is not None:
        raise CompensationError(
            _("This account was deleted: nothing more can be credited or paid to it (it gave up what it was owed).")
        )


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

    `idempotency_key` names what earned it within its kind and program (e.g. the video's id); the stored key is
    made from it by credit_key. The actor (staff accepting a report) can never credit themselves.
    """
    if kind == Credit.Kind.AWARD:
        raise CompensationError("Awards have no rate-card price: record them with an amount and a reason.")
    if kind not in Credit.Kind.values:
        raise CompensationError(f"“{kind}” is not a kind of credit.")
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
    refuse_self_payment(actor, user, action=_("record a payout to"))
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
        refuse_deleted_account(user)
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
    refuse_self_payment(actor, line.user, action=_("reverse a ledger line of"))
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


# --- Hours -----------------------------------------------------------------------------------------
Status = TimeEntry.Status


def _move(entry: TimeEntry, to: str, *, actor, reason: str = "") -> TimeEntry:
    """Move a time entry (TimeEntry.MOVES) with its history row."""
    return lifecycle.move(entry, to, actor=actor, reason=reason, refusal=CompensationMoveRefused)


def _clean_entry(
    *, user, program: Program, worked_on: dt.date, minutes, category: str, today: dt.date, exclude_pk: int | None = None
) -> int:
    if category not in TimeEntry.Category.values:
        raise CompensationError(f"“{category}” is not a category of work.")
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        raise CompensationError("The duration must be a whole number of minutes.") from None
    if not 0 < minutes <= 24 * 60:
        raise CompensationError("The duration must be between 1 minute and 24 hours.")
    if worked_on > today:
        raise CompensationError(f"Hours cannot be logged for a day in the future ({worked_on:%d %b %Y}).")
    same_day = TimeEntry.objects.filter(user=user, program=program, worked_on=worked_on).filter(LOGGED)
    if exclude_pk:
        same_day = same_day.exclude(pk=exclude_pk)
    logged = same_day.aggregate(total=Sum("minutes"))["total"] or 0
    if logged + minutes > 24 * 60:
        raise CompensationError(
            f"That would make {(logged + minutes) / 60:.1f} hours on {worked_on:%d %b %Y}: a day has 24."
        )
    return minutes


def timeentry_log(
    *,
    user,
    program: Program,
    worked_on: dt.date,
    minutes,
    category: str,
    note: str = "",
    corrects: TimeEntry | None = None,
    form_token: str = "",
    today: dt.date | None = None,
) -> TimeEntry:
    """An artist logs hours (or, with `corrects`, a correction of an approved entry). Needs a contributing
    enrolment. With a `form_token` (the nonce of the form the server showed), sending the same form again
    returns the entry it already logged."""
    if contributing_enrolment(user, program) is None:
        raise CompensationError(f"You can log hours only while you are contributing to {program}.")
    today = _today(today)
    with transaction.atomic():
        _require_enrolment(user, program, lock=True)  # serialise the 24-hours-a-day check (and the token)
        if form_token and (logged := TimeEntry.objects.filter(user=user, form_token=form_token).first()):
            return logged
        if corrects is not None:
            corrects = TimeEntry.objects.select_for_update().get(pk=corrects.pk)
            if corrects.user_id != user.pk or corrects.program_id != program.pk:
                raise CompensationError("You can only correct your own entries in this program.")
            if corrects.status != Status.APPROVED:
                raise CompensationError("Only an approved entry needs a correction: edit or withdraw this one.")
            if corrects.corrections.filter(status__in=[Status.PENDING, Status.QUERIED]).exists():
                raise CompensationError("A correction of this entry is already waiting for approval.")
        minutes = _clean_entry(
            user=user,
            program=program,
            worked_on=worked_on,
            minutes=minutes,
            category=category,
            today=today,
            exclude_pk=corrects.pk if corrects else None,
        )
        entry = TimeEntry.objects.create(
            program=program,
            user=user,
            worked_on=worked_on,
            minutes=minutes,
            category=category,
            note=(note or "").strip(),
            corrects=corrects,
            form_token=form_token,
        )
        reason = f"Corrects entry #{corrects.pk}." if corrects else ""
        return lifecycle.start(entry, actor=user, reason=reason)


def timeentry_resubmit(
    *,
    entry: TimeEntry,
    actor,
    worked_on: dt.date,
    minutes,
    category: str,
    note: str = "",
    today: dt.date | None = None,
) -> TimeEntry:
    """The artist edits a pending or queried entry; a queried entry goes back to staff."""
    if entry.user_id != actor.pk:
        raise CompensationError("Only the artist who logged these hours can change them.")
    with transaction.atomic():
        locked = TimeEntry.objects.select_for_update().get(pk=entry.pk)
        lifecycle.check(TimeEntry, locked.status, Status.PENDING, refusal=CompensationMoveRefused)
        locked.minutes = _clean_entry(
            user=actor,
            program=locked.program,
            worked_on=worked_on,
            minutes=minutes,
            category=category,
            today=_today(today),
            exclude_pk=locked.pk,
        )
        locked.worked_on, locked.category, locked.note = worked_on, category, (note or "").strip()
        locked.save(update_fields=["minutes", "worked_on", "category", "note"])
        return _move(locked, Status.PENDING, actor=actor, reason="Edited by the artist.")


def timeentry_withdraw(*, entry: TimeEntry, actor, reason: str = "Withdrawn by the artist.") -> TimeEntry:
    if entry.user_id != actor.pk:
        raise CompensationError("Only the artist who logged these hours can withdraw them.")
    with transaction.atomic():
        return _move(entry, Status.WITHDRAWN, actor=actor, reason=reason)


def timeentry_query(*, entry: TimeEntry, actor, reason: str) -> TimeEntry:
    """Staff ask the artist about an entry instead of approving it; the reason is shown to the artist."""
    reason = (reason or "").strip()
    if not reason:
        raise CompensationError("Say what is unclear about these hours: the artist sees your reason.")
    with transaction.atomic():
        return _move(entry, Status.QUERIED, actor=actor, reason=reason)


def timeentry_approve(*, entry: TimeEntry, actor, today: dt.date | None = None) -> TimeEntry:
    """Approve hours: priced at the hourly rate in force on the day worked, written as an earned line.
    Approving a correction supersedes the entry it corrects and reverses that entry's line."""
    if actor is not None and actor.pk == entry.user_id:
        raise CompensationError("You cannot approve your own hours.")
    refuse_deleted_account(entry.user)
    today = _today(today)
    with transaction.atomic():
        _require_enrolment(entry.user, entry.program, lock=True)
        card = _card_for(entry.program, entry.worked_on)
        entry = _move(entry, Status.APPROVED, actor=actor)
        amount = (Decimal(entry.minutes) * card.hourly_rate / 60).quantize(CENTS, rounding=ROUND_HALF_UP)
        if amount > 0:
            LedgerLine.objects.create(
                program=entry.program,
                user=entry.user,
                kind=LedgerLine.Kind.EARNED,
                source=LedgerLine.Source.HOURS,
                amount=amount,
                currency=card.currency,
                booked_on=today,
                idempotency_key=f"hours:{entry.pk}",
                label=f"{entry.hours_label} {entry.get_category_display().lower()} on {entry.worked_on:%d %b %Y} "
                f"at {card.hourly_rate} {card.currency}/h (entry #{entry.pk})",
                time_entry=entry,
                rate_card=card,
                actor=actor,
            )
        if entry.corrects_id:
            original = _move(entry.corrects, Status.SUPERSEDED, actor=actor, reason=f"Corrected by entry #{entry.pk}.")
            line = LedgerLine.objects.filter(time_entry=original).first()
            if line is not None and not LedgerLine.objects.filter(reverses=line).exists():
                line_reverse(line=line, reason=f"Corrected by entry #{entry.pk}.", actor=actor, today=today)
        return entry


def timeentry_approve_many(*, entries, actor, today: dt.date | None = None) -> tuple[list, list]:
    """Bulk approval: each entry on its own, so one that changed meanwhile does not block the others.
    Returns (approved entries, [(entry, reason refused)])."""
    approved, refused = [], []
    for entry in entries:
        try:
            approved.append(timeentry_approve(entry=entry, actor=actor, today=today))
        except CompensationError as error:
            refused.append((entry, error.message))
    return approved, refused


# --- Stipends --------------------------------------------------------------------------------------


def stipend_period_of(period: str, on: dt.date) -> tuple[dt.date, str]:
    """The first day and the label of the stipend period containing `on`."""
    if period == RateCard.StipendPeriod.QUARTERLY:
        quarter = (on.month - 1) // 3
        return dt.date(on.year, quarter * 3 + 1, 1), f"{on.year}-Q{quarter + 1}"
    return on.replace(day=1), f"{on:%Y-%m}"


def stipend_accrue(*, program: Program, on: dt.date | None = None, today: dt.date | None = None) -> list[LedgerLine]:
    """Credit the stipend of the period containing `on` (default today) to every contributing artist whose
    cohort has started by `on`, at most once per artist and period (the key is the period). Safe to run
    every day: an artist whose cohort starts mid-period is credited on the first run after the start."""
    today = _today(today)
    on = on or today
    if on > today:
        raise CompensationError("Stipends cannot be accrued for a future period.")
    card = rate_card_in_force(program, on)
    if card is None or card.stipend_period == RateCard.StipendPeriod.NONE or card.stipend_amount <= 0:
        return []
    _start, label = stipend_period_of(card.stipend_period, on)
    created = []

    def accrue(enrolment: Enrolment) -> bool:
        artist = enrolment.user
        if enrolment.cohort and enrolment.cohort.starts_on and enrolment.cohort.starts_on > on:
            return False
        key = f"stipend:{program.pk}:{artist.pk}:{label}"
        if contributing_enrolment(artist, program) is None or LedgerLine.objects.filter(idempotency_key=key).exists():
            return False
        try:
            with transaction.atomic():
                created.append(
                    LedgerLine.objects.create(
                        program=program,
                        user=artist,
                        kind=LedgerLine.Kind.EARNED,
                        source=LedgerLine.Source.STIPEND,
                        amount=card.stipend_amount,
                        currency=card.currency,
                        booked_on=on,
                        idempotency_key=key,
                        label=f"{card.get_stipend_period_display()} stipend for {label} (rate card v{card.version})",
                        rate_card=card,
                    )
                )
        except IntegrityError:  # another worker accrued it a moment ago
            return False
        return True

    enrolments = Enrolment.objects.filter(program=program).select_related("user", "cohort").order_by("pk")
    each_in_own_transaction(f"stipends of {program.slug}", enrolments, accrue)
    return created
