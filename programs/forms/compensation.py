"""Forms for compensation. They only parse input; the rules live in the services."""

import uuid
from decimal import Decimal

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.money import STORED_PLACES, CurrencyCodeField, decimals_errors
from core.widgets import IsoDateInput
from programs import date_bounds
from programs.form_fields import FormTokenField, QuarterHoursField
from programs.models import Enrolment, LedgerLine, RateCard, TimeEntry

DATE_INPUT = IsoDateInput()


class TimeEntryForm(forms.Form):
    worked_on = forms.DateField(label=gettext_lazy("Day worked"), widget=DATE_INPUT)
    hours = QuarterHoursField(
        label=gettext_lazy("Hours"), help_text=gettext_lazy("In quarter hours, e.g. 1.75 for an hour and 45 minutes.")
    )
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=TimeEntry.Category.choices)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What you did (shown to staff)."),
    )

    def __init__(self, *args, enrolment: Enrolment, **kwargs):
        super().__init__(*args, **kwargs)
        self.enrolment = enrolment
        self.fields["worked_on"].initial = timezone.localdate()

    def clean_worked_on(self):
        return date_bounds.work_dates(self.enrolment).check(self.cleaned_data["worked_on"])

    @property
    def minutes(self) -> int:
        return round(self.cleaned_data["hours"] * 60)

    def entry_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "worked_on": data["worked_on"],
            "minutes": self.minutes,
            "category": data["category"],
            "note": data["note"],
        }


class NewTimeEntryForm(TimeEntryForm):
    """Logging new hours: the form carries a token the server signed when it showed the form, so the same
    form sent twice (a double click, a browser resend) records one entry."""

    form_token = FormTokenField(salt="programs.timeentry")

    def entry_fields(self) -> dict:
        return {**super().entry_fields(), "form_token": self.cleaned_data["form_token"]}


class RateCardForm(forms.ModelForm):
    class Meta:
        model = RateCard
        fields = ["effective_from", "currency", *RateCard.AMOUNT_FIELDS, "stipend_period", "note"]
        field_classes = {"currency": CurrencyCodeField}
        widgets = {"effective_from": DATE_INPUT, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program

    def clean_effective_from(self):
        return date_bounds.planned_dates(self.program).check(self.cleaned_data["effective_from"])

    def clean(self):
        data = super().clean()
        if data.get("currency"):
            _check_decimals(self, RateCard.AMOUNT_FIELDS, data["currency"])
        return data

    def _post_clean(self):
        """Do not build or validate a model instance: the service checks everything and creates the version."""

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "effective_from": data["effective_from"],
            "currency": data["currency"],
            "amounts": {name: data[name] for name in RateCard.AMOUNT_FIELDS},
            "stipend_period": data["stipend_period"],
            "note": data["note"],
        }


class AwardForm(forms.Form):
    artist = forms.ModelChoiceField(
        label=gettext_lazy("Artist"),
        queryset=None,
        help_text=gettext_lazy("Anyone enrolled in the program, now or before."),
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        max_length=300,
        help_text=gettext_lazy("E.g. “Selected for the Rotterdam screening”."),
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Amount"), min_value=Decimal("0.001"), decimal_places=STORED_PLACES, max_digits=13
    )
    currency = CurrencyCodeField(required=False, help_text=gettext_lazy("Leave empty for the rate card's currency."))
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Shown to the artist and counted publicly."),
    )
    awarded_on = forms.DateField(
        label=gettext_lazy("Awarded on"),
        widget=DATE_INPUT,
        required=False,
        help_text=gettext_lazy("Leave empty for today."),
    )
    # Signed by the server when the form is first shown: submitting the same form twice records one award, and a
    # client can neither choose the key nor carry a token from another program's form.
    submission_token = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args, artists=None, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["artist"].queryset = artists
        self.fields["submission_token"].initial = award_token(program)

    def clean_submission_token(self) -> str:
        """The server's reference for this submission (what the award's key is made from), if the token is ours."""
        try:
            data = signing.loads(self.cleaned_data["submission_token"], salt=AWARD_TOKEN_SALT, max_age=AWARD_TOKEN_AGE)
        except signing.BadSignature:
            raise forms.ValidationError(
                _("This form has expired or was altered: reload the page and submit it again. Nothing was recorded.")
            ) from None
        if data.get("program") != self.program.pk:
            raise forms.ValidationError(_("This form belongs to another program. Nothing was recorded."))
        return data["submission"]

    def clean_awarded_on(self):
        return date_bounds.past_dates(self.program).check(self.cleaned_data["awarded_on"])

    def clean(self):
        """An amount in the named currency is checked here; left empty, the service checks it against the rate
        card's currency."""
        data = super().clean()
        if data.get("currency"):
            _check_decimals(self, ["amount"], data["currency"])
        return data


def _check_decimals(form: forms.Form, names, currency: str) -> None:
    """An error on each amount that has more decimals than `currency` (a yen amount has none)."""
    for name, rule in decimals_errors({name: form.cleaned_data.get(name) for name in names}, currency).items():
        form.add_error(name, rule)


AWARD_TOKEN_SALT = "programs.award-form"  # noqa: S105  (a namespace for signing, not a secret)
AWARD_TOKEN_AGE = 24 * 60 * 60


def award_token(program) -> str:
    """A fresh, server-signed reference for one award form."""
    return signing.dumps({"program": program.pk, "submission": uuid.uuid4().hex}, salt=AWARD_TOKEN_SALT)


class PayoutRunForm(forms.Form):
    currency = forms.ChoiceField(label=gettext_lazy("Currency"), choices=())
    method = forms.ChoiceField(
        label=gettext_lazy("Method"), choices=LedgerLine.Method.choices, initial=LedgerLine.Method.PAYMENT_PROVIDER
    )

    def __init__(self, *args, currencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].choices = [(code, code) for code in currencies]
