"""How a person is credited publicly (gallery, approval records, shared reports): a public credit name, or the
explicit choice to be credited as an anonymous artist. Asked when an artist joins a program; the profile page
(accounts) asks it again with the display name."""

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.models import User


class CreditForm(forms.Form):
    """Asked when an artist joins a program (with the agreement) and on the profile page."""

    credit_name = forms.CharField(
        label=_("Public credit"),
        max_length=120,
        required=False,
        help_text=_("The name shown with your published videos and your reports, e.g. your artist name."),
    )
    credit_anonymous = forms.BooleanField(
        label=_("Credit me as an anonymous artist instead"),
        required=False,
        help_text=_("Your videos and reports are then shown as by “Anonymous artist”. You can change this later."),
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["credit_name"] = " ".join(cleaned.get("credit_name", "").split())
        if not cleaned["credit_name"] and not cleaned.get("credit_anonymous"):
            raise forms.ValidationError(
                _("Give the name to credit you by, or choose to be credited as an anonymous artist."),
                code="credit_missing",
            )
        return cleaned

    @classmethod
    def for_user(cls, user: User, data=None) -> "CreditForm":
        initial = {"credit_name": user.credit_name or user.display_name, "credit_anonymous": user.credit_anonymous}
        return cls(data, initial=initial, prefix="credit")


@transaction.atomic
def user_profile_update(
    *, user: User, credit_name: str, credit_anonymous: bool, display_name: str | None = None
) -> User:
    """Set how `user` is credited (and named, when `display_name` is given)."""
    user.credit_name, user.credit_anonymous = credit_name.strip(), credit_anonymous
    fields = ["credit_name", "credit_anonymous"]
    if display_name is not None:
        user.display_name = display_name.strip()
        fields.append("display_name")
    user.save(update_fields=fields)
    return user
