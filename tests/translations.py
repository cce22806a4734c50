"""The Spanish and French catalogues compiled for tests that render in those languages: .po files are the source
(committed), .mo files are built from them here when missing or older."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import trans_real


def _stale(po: Path) -> bool:
    mo = po.with_suffix(".mo")
    return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime


@pytest.fixture(scope="session")
def compiled_catalogues() -> None:
    catalogues = [po for path in settings.LOCALE_PATHS for po in Path(path).glob("*/LC_MESSAGES/*.po")]
    if any(_stale(po) for po in catalogues):
        call_command("compilemessages", verbosity=0, ignore_patterns=[".venv", "node_modules"])
        trans_real._translations.clear()  # the catalogues read before compiling are empty
        translation.trans_real._default = None
