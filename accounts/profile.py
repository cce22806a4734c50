"""How a person is named: their display name (for staff and reviewers) and their public credit (see
programs.public_credit)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import User
from programs.public_credit import CreditForm


class ProfileForm(CreditForm):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=120,
        required=False,
        help_text=_("How program staff and reviewers see you (unless a review is blind). Never shown publicly."),
    )
    field_order = ["display_name", "credit_name", "credit_anonymous"]

    @classmethod
    def for_user(cls, user: User, data=None) -> "ProfileForm":
        form = super().for_user(user, data)
        form.initial["display_name"] = user.display_name
        return form
