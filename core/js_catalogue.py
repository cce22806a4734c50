"""The scripts' translation catalogue (`/jsi18n/`), cacheable by browsers: its address names the language and a
digest of the compiled catalogues, so a new language or a new release is a new address and the old copy is never
read again."""

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from django.views.i18n import JavaScriptCatalog

A_YEAR = 365 * 24 * 3600


@functools.cache
def catalogue_digest() -> str:
    """What the compiled script catalogues hold, in twelve hex digits (read once per process)."""
    digest = hashlib.sha256()
    for folder in settings.LOCALE_PATHS:
        for path in sorted(Path(folder).glob("*/LC_MESSAGES/djangojs.mo")):
            digest.update(path.parent.parent.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


@method_decorator(cache_control(max_age=A_YEAR, immutable=True), name="get")
class CachedJavaScriptCatalog(JavaScriptCatalog):
    """Django's catalogue in the active language; the page asks for it at `catalogue_url`."""
