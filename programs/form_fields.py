"""Form fields that take nothing on trust: numbers exactly as written, tokens only as the server issued them."""

import re
import uuid
from decimal import Decimal

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ASCII digits only (Python's \d would also take ١٢), at most two decimals, no sign, exponent or spaces.
_HOURS = re.compile(r"[0-9]{1,2}(?:\.[0-9]{1,2})?")
QUARTER = Decimal("0.25")
MAX_HOURS = Decimal("24")


class QuarterHoursField(forms.CharField):
    """Hours in quarter hours, written as plain digits ("1.75"). Anything else is refused, never rounded."""

    default_error_messages = {
        "format": _("Write the hours with the digits 0 to 9 and a dot, e.g. 1.75 (no spaces, signs or exponents)."),
        "quarter": _("Hours are counted in quarter hours: the part after the dot must be 0, .25, .5 or .75."),
        "range": _("Enter between 0.25 and 24 hours."),
    }

    def __init__(self, **kwargs):
        attrs = {"step": str(QUARTER), "min": str(QUARTER), "max": str(MAX_HOURS), "inputmode": "decimal"}
        super().__init__(strip=False, widget=forms.NumberInput(attrs=attrs), **kwargs)

    def to_python(self, value) -> Decimal | None:
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if not _HOURS.fullmatch(value):
            raise ValidationError(self.error_messages["format"], code="format")
        hours = Decimal(value)
        if hours % QUARTER:
            raise ValidationError(self.error_messages["quarter"], code="quarter")
        if not QUARTER <= hours <= MAX_HOURS:
            raise ValidationError(self.error_messages["range"], code="range")
        return hours


class FormTokenField(forms.CharField):
    """A hidden, server-signed one-time token, issued each time the form is shown. Its cleaned value is the
    token's nonce, which the service records to make a repeated submission of the same form a no-op."""

    default_error_messages = {
        "invalid": _("This form is out of date or was altered: reload the page and send it again."),
        "required": _("This form is out of date or was altered: reload the page and send it again."),
    }

    def __init__(self, *, salt: str, **kwargs):
        self.salt = salt
        super().__init__(widget=forms.HiddenInput, max_length=200, initial=self.issue, **kwargs)

    def issue(self) -> str:
        return signing.dumps(uuid.uuid4().hex, salt=self.salt)

    def to_python(self, value) -> str:
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        try:
            nonce = signing.loads(value, salt=self.salt)
        except signing.BadSignature:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not isinstance(nonce, str) or not re.fullmatch(r"[0-9a-f]{32}", nonce):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return nonce
