"""Form widgets every app shares.

Browsers accept only ISO values in date and time inputs; Django would render dates in the active locale's
first input format (04/12/2026 in en-gb), which a date input discards, so the field looked empty.
"""

from django import forms


class IsoDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class IsoDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")
