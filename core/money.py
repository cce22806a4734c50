"""Money as people read it: the amount in the reader's locale with its currency, as many decimals as the currency
has (JPY none, EUR two, KWD three). Amounts stay Decimal; Babel holds the ISO 4217 table."""

from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, get_currency_precision, list_currencies
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

ISO_4217 = frozenset(list_currencies())


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
