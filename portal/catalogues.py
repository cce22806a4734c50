"""The compiled catalogues (locale/<lang>/LC_MESSAGES/*.mo) are committed, so the portal runs (`make run`) on a
machine without GNU gettext; `make messages` compiles them with Babel's pure-Python writer, which gives the same
bytes for the same .po on every machine (tests/test_translations.py checks they match). Fuzzy and untranslated
entries are left out, as msgfmt does."""

import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def compiled(po_path: Path) -> bytes:
    with po_path.open("rb") as po:
        catalog = read_po(po)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def catalogues(locale_dir: Path) -> list[Path]:
    return sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))


def compile_all(locale_dir: Path) -> list[Path]:
    """Write each .po's .mo next to it; returns the .mo files written."""
    written = []
    for po_path in catalogues(locale_dir):
        mo_path = po_path.with_suffix(".mo")
        mo_path.write_bytes(compiled(po_path))
        written.append(mo_path)
    return written
