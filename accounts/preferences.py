"""How a person reads the portal and its mail: pronouns and links shown with their name, their language and time
zone, and which optional mail they take (core.mail: mail with a legal or money effect is always sent)."""

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.time_zones import time_zone_names
from portal.models import User

FIELDS = [
    "pronouns",
    "portfolio_url",
    "social_url",
    "language",
    "time_zone",
    "mail_decisions",
    "mail_reminders",
    "mail_digests",
]


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(time_zone_names())]


class PreferencesForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        help_text=_("Times on every page and in your mail are shown in this zone."),
    )

    class Meta:
        model = User
        fields = FIELDS
        labels = {
            "pronouns": _("Pronouns"),
            "portfolio_url": _("Portfolio"),
            "social_url": _("Social profile"),
            "language": _("Language"),
            "mail_decisions": _("Mail me decisions and replies on my applications, bug reports and feedback"),
            "mail_reminders": _("Mail me reminders of review deadlines"),
            "mail_digests": _("Mail me digests"),
        }
        help_texts = {
            "pronouns": _("Shown with your name to program staff and reviewers, e.g. she/her or they/them."),
            "portfolio_url": _("Your own site, starting with https://."),
            "social_url": _("One social profile, starting with https://."),
            "language": _("The portal's pages, your mail and your documents are in this language."),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "prefs")
        super().__init__(*args, **kwargs)

    def clean_pronouns(self) -> str:
        return " ".join(self.cleaned_data.get("pronouns", "").split())


@transaction.atomic
def user_preferences_update(*, user: User, **values) -> User:
    """Save the person's preferences (values already validated by PreferencesForm)."""
    for field in FIELDS:
        setattr(user, field, values[field])
    user.save(update_fields=FIELDS)
    return user


def user_language_set(*, user: User, language: str) -> None:
    """The footer's language switcher, for a signed-in person: their pages and mail follow it from now on."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
