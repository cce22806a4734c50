from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.personal_data.deletion import email_matches


class DeleteAccountForm(forms.Form):
    """Typing the account's email is the confirmation: it cannot be done by a stray click."""

    email = forms.CharField(
        label=_("Type your account's email address to confirm"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        typed = self.cleaned_data["email"]
        if not email_matches(self.user, typed):
            raise forms.ValidationError(gettext("That is not this account's email address. Nothing was deleted."))
        return typed
