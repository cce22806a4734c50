"""Text written for one person (a mail, a notice) is in their language, whoever's request or task writes it."""

from contextlib import contextmanager

from django.conf import settings
from django.utils import translation


def language_of(user) -> str:
    """The person's own language where the account records one, else the site's default."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


@contextmanager
def in_language_of(user):
    with translation.override(language_of(user)):
        yield
