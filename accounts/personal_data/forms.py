from django import forms

from accounts.personal_data.deletion import email_matches


class DeleteAccountForm(forms.Form):
    """Typing the account's email is the confirmation: it cannot be done by a stray click."""

    email = forms.CharField(
        label="Type your account's email address to confirm",
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        typed = self.cleaned_data["email"]
        if not email_matches(self.user, typed):
            raise forms.ValidationError("That is not this account's email address. Nothing was deleted.")
        return typed
