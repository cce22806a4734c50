"""Money as people read it: the amount in the reader's locale with its currency, as many decimals as the currency
has (JPY none, EUR two, KWD three). Amounts stay Decimal; Babel holds the ISO 4217 table."""

from decimal import ROUND_HALF_UP, Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, get_currency_precision, list_currencies
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

ISO_4217 = frozenset(list_currencies())
# The money columns keep three decimals (KWD, BHD, ...). The two ISO 4217 units of account with four (CLF, UYW)
# are counted in thousandths here.
STORED_PLACES = 3


def babel_locale(language: str | None = None) -> Locale:
    """The Babel locale of a Django language code ('en-gb' -> en_GB), English where Babel does not know it."""
    code = translation.to_locale(language or translation.get_language() or "en-gb")
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_GB")


def format_money(amount: Decimal | int | str | None, currency: str, language: str | None = None) -> str:
    """'1234.5', 'EUR' -> '€1,234.50' in en-gb, '1234,50 €' in es; the currency's own number of decimals."""
    if amount is None or amount == "":
        return ""
    value = Decimal(str(amount))
    return format_currency(value, currency, locale=babel_locale(language), currency_digits=True)


def minor_units(currency: str) -> int:
    """How many decimals the currency has: 0 for JPY, 2 for EUR, 3 for KWD."""
    return get_currency_precision(currency)


def quantum(currency: str) -> Decimal:
    """The smallest amount of the currency: 1 for JPY, 0.01 for EUR, 0.001 for KWD."""
    return Decimal(1).scaleb(-min(minor_units(currency), STORED_PLACES))


def in_minor_units(amount, currency: str, rounding: str = ROUND_HALF_UP) -> Decimal:
    """`amount` rounded to the currency's smallest unit: hours at a JPY rate come to whole yen, at a KWD rate to
    the fils; also gives a stored amount (kept with three decimals) its currency's own scale back."""
    return Decimal(str(amount)).quantize(quantum(currency), rounding=rounding)


def fits_minor_units(amount: Decimal, currency: str) -> bool:
    """Whether `amount` has no more decimals than the currency: 1500.50 does not fit JPY, 1.234 fits KWD."""
    return amount == in_minor_units(amount, currency)


def decimals_rule(currency: str) -> str:
    """How many decimals the currency allows, as a sentence: "JPY has no decimals.", "KWD has at most 3 decimals."."""
    places = min(minor_units(currency), STORED_PLACES)
    if not places:
        return gettext("%(currency)s has no decimals.") % {"currency": currency}
    return ngettext(
        "%(currency)s has at most %(places)s decimal.", "%(currency)s has at most %(places)s decimals.", places
    ) % {"currency": currency, "places": places}


def decimals_errors(amounts: dict[str, Decimal | None], currency: str) -> dict[str, str]:
    """For each named amount with more decimals than `currency` allows, the rule it breaks (empty ones pass)."""
    rule = decimals_rule(currency)
    return {
        name: rule for name, amount in amounts.items() if amount is not None and not fits_minor_units(amount, currency)
    }


def validate_currency_code(value: str) -> None:
    if value not in ISO_4217:
        raise ValidationError(_("%(code)s is not an ISO 4217 currency code."), params={"code": value}, code="currency")


class CurrencyCodeField(forms.CharField):
    """A form field for an ISO 4217 code: 'eur ' is read as EUR; 'XYZ' is an error that says why."""

    default_validators = [validate_currency_code]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault("label", _("Currency"))
        super().__init__(**kwargs)

    def to_python(self, value):
        return super().to_python(value).upper()
