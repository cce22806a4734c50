"""What every compensation write shares: the error, money and currency checks, idempotency keys, enrolment."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, TransitionRefused
from core.money import ISO_4217, decimals_rule, fits_minor_units, in_minor_units
from programs.models import Enrolment, Program, RateCard
from programs.selectors.compensation import rate_card_in_force

MAX_AMOUNT = Decimal("1000000.00")  # a sanity cap: no single line of this program is a million


class CompensationError(DomainError):
    """A compensation rule refused the request; nothing was written."""


class CompensationMoveRefused(TransitionRefused, CompensationError):
    """A time entry, payout run or pending credit is not in a state that allows the move."""


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def money(value, *, what: str, currency: str, allow_zero: bool = False) -> Decimal:
    """`value` as a Decimal amount with no more decimals than `currency` has (JPY none, EUR two, KWD three), or a
    CompensationError. Floats are refused: they cannot represent money exactly."""
    if isinstance(value, float):
        raise CompensationError(_("%(what)s: pass money as a Decimal or a string, not a float.") % {"what": what})
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        raise CompensationError(_("%(what)s: “%(value)s” is not an amount of money.") % {"what": what, "value": value})
    if not fits_minor_units(amount, currency):
        raise CompensationError(
            _("%(what)s (got %(value)s): %(rule)s") % {"what": what, "value": value, "rule": decimals_rule(currency)}
        )
    if amount < 0 or (amount == 0 and not allow_zero):
        rule = _("%(what)s must be zero or more (got %(amount)s).") if allow_zero else None
        rule = rule or _("%(what)s must be more than zero (got %(amount)s).")
        raise CompensationError(rule % {"what": what, "amount": amount})
    if amount > MAX_AMOUNT:
        raise CompensationError(
            _("%(what)s: %(amount)s is above the limit of %(limit)s for a single amount.")
            % {"what": what, "amount": amount, "limit": MAX_AMOUNT}
        )
    return in_minor_units(amount, currency)


def currency_code(value: str) -> str:
    """The ISO 4217 code (upper case), or a CompensationError: three letters are not enough (XYZ is none)."""
    code = (value or "").strip().upper()
    if code not in ISO_4217:
        raise CompensationError(
            _("“%(value)s” is not an ISO 4217 currency code: use one such as EUR, USD or JPY.") % {"value": value}
        )
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
        raise CompensationError(_("An idempotency key is required so that a retry never records money twice."))
    if len(key) > 200:
        raise CompensationError(_("The idempotency key is too long (200 characters at most)."))
    return key


def _require_enrolment(user, program: Program, *, lock: bool = False) -> Enrolment:
    """Money is only recorded for someone who is (or was) enrolled. Locking the enrolment row serialises
    every balance-changing write for one artist in one program, so two payouts cannot both see the same
    balance."""
    enrolments = Enrolment.objects.filter(user=user, program=program)
    enrolment = (enrolments.select_for_update() if lock else enrolments).first()
    if enrolment is None:
        raise CompensationError(
            _("%(user)s is not enrolled in %(program)s, so no money can be recorded for them.")
            % {"user": user, "program": program}
        )
    return enrolment


def _card_for(program: Program, on: dt.date) -> RateCard:
    card = rate_card_in_force(program, on)
    if card is None:
        raise CompensationError(
            _("%(program)s has no rate card in force on %(day)s, so this cannot be priced.")
            % {"program": program, "day": formats.date_format(on, "DATE_FORMAT")}
        )
    return card
