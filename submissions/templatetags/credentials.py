"""How a video's Content Credentials read on its pages."""

from django import template
from django.utils.translation import gettext_lazy as _

from submissions import credentials
from submissions.credentials import verification

register = template.Library()

PROVIDER_LABELS = {
    credentials.TRUSTED: _("present and valid"),
    credentials.VALID: _("present and valid"),
    credentials.INVALID: _("present but invalid"),
    credentials.ABSENT: _("absent"),
    credentials.UNREADABLE: _("absent (this format cannot carry them)"),
}


@register.filter
def provider_credentials_label(video) -> str:
    """ "Provider credentials: present and valid / invalid / absent" for the file as it was received."""
    state = (video.provider_credentials or {}).get("state")
    return str(PROVIDER_LABELS.get(state, _("not checked yet")))


@register.filter
def training_rows(training: dict) -> list[tuple[str, str]]:
    return verification.training_rows(training)
