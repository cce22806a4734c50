from django import forms
from django.utils.translation import gettext_lazy as _

from submissions.models import Decision, ReasonCode


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=Decision.Outcome.choices, widget=forms.HiddenInput)
    reason_code = forms.ModelChoiceField(
        queryset=ReasonCode.objects.none(),
        required=False,
        label=_("Rule of the review policy"),
        help_text=_("Required to request changes or reject."),
        empty_label=_("— choose the rule —"),
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        label=_("Note to the artist"),
        help_text=_("Required to request changes or reject: say what to change or why."),
    )

    # The step and review version the page showed (rendered from the review itself, so a re-rendered panel
    # carries the review as it is now): the service refuses if the review has moved on since.
    step = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1)
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2**31 - 1,
        error_messages={"required": _("This page is out of date: reload it before deciding.")},
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason_code"].queryset = ReasonCode.objects.filter(program=program, is_active=True)


class AppealForm(forms.Form):
    statement = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        label=_("Why the rejection is wrong"),
        help_text=_("A reviewer who took no part in the rejection reads this and decides."),
    )


class AppealDecisionForm(forms.Form):
    overturn = forms.TypedChoiceField(
        choices=[("1", _("Overturn: approve the video")), ("0", _("Uphold the rejection"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        label=_("Decision"),
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, label=_("Note to the artist"))


class UnpublishForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False, label=_("Why (required for staff)")
    )


class VerifyForm(forms.Form):
    sha256 = forms.RegexField(
        regex=r"^[0-9a-fA-F]{64}$",
        required=False,
        label=_("SHA-256 of the file"),
        error_messages={"invalid": _("A SHA-256 is 64 hexadecimal characters.")},
    )
    file = forms.FileField(required=False, label=_("Or the video file itself"))

    def clean(self):
        data = super().clean()
        if not data.get("sha256") and not data.get("file"):
            raise forms.ValidationError(_("Give a SHA-256 or a file."))
        return data
