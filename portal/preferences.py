"""Links on a person's profile are web addresses: http or https only (no javascript: or data: links)."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_link(url: str) -> None:
    if url and urlsplit(url).scheme.lower() not in ("http", "https"):
        raise ValidationError(_("Give a web address starting with https:// or http://."), code="link_scheme")


def link_field(verbose_name, help_text) -> models.URLField:
    """A bounded web address on the profile (empty allowed; rows inserted by raw SQL take the empty default)."""
    return models.URLField(
        verbose_name, max_length=300, blank=True, db_default="", validators=[validate_link], help_text=help_text
    )
