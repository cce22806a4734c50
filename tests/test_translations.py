"""The translation check of issue 19: no visible text in templates escapes translation; the committed catalogues
hold every string of the code, each translated and checked (nothing empty, nothing fuzzy); the committed .mo files
are what `make messages` compiles from them (portal/catalogues.py: Babel, so `make run` needs no GNU gettext)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

from portal.catalogues import catalogues, compiled
from tests.template_lint import offences

LOCALE = Path(settings.LOCALE_PATHS[0])
BASE = Path(settings.BASE_DIR)
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
NOT_COPIED = (".git", ".venv", "node_modules", "media", "staticfiles", "test-artifacts", "demo-mail", "*.sqlite3*")


def read(po_path: Path):
    with po_path.open("rb") as po:
        return read_po(po)


def keys(catalog) -> set[tuple[str | None, str]]:
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id}


def test_every_visible_text_in_a_template_is_translatable():
    found = offences(BASE)
    assert not found, f"{len(found)} untranslated texts in templates:\n" + "\n".join(map(str, found))


def test_each_language_has_its_catalogues():
    for language in LANGUAGES:
        assert (LOCALE / language / "LC_MESSAGES" / "django.po").exists(), language


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory) -> Path:
    """`make messages` run on a copy of the project: its locale/ is what the committed one should already be."""
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed: makemessages cannot run here (apt-get install gettext)")
    copy = tmp_path_factory.mktemp("project") / "glasshouse"
    shutil.copytree(BASE, copy, ignore=shutil.ignore_patterns(*NOT_COPIED))
    os.symlink(sys.prefix, copy / ".venv")
    # -o: the venv is the one running these tests; make must not try to install it again.
    command = ["make", "-s", "-o", ".venv/bin/.installed", "messages"]
    subprocess.run(command, cwd=copy, check=True, capture_output=True, timeout=600)
    return copy / "locale"


def test_the_catalogues_hold_every_string_of_the_code(fresh_catalogues):
    missing = []
    for fresh in catalogues(fresh_catalogues):
        committed = LOCALE / fresh.relative_to(fresh_catalogues)
        have = keys(read(committed)) if committed.exists() else set()
        missing += [f"{committed.relative_to(BASE)}: {msgid!r}" for _ctx, msgid in sorted(keys(read(fresh)) - have)]
    assert not missing, "Run `make messages` and translate:\n" + "\n".join(missing)


def test_every_entry_is_translated_and_checked():
    untranslated = []
    for po_path in catalogues(LOCALE):
        for message in list(read(po_path))[1:]:  # the first is the header
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy or not all(strings):
                first = message.id if isinstance(message.id, str) else message.id[0]
                untranslated.append(f"{po_path.relative_to(BASE)}: {'fuzzy ' if message.fuzzy else ''}{first!r}")
    assert not untranslated, f"{len(untranslated)} entries to translate:\n" + "\n".join(untranslated)


def test_the_committed_mo_files_are_compiled_from_the_po_files():
    for po_path in catalogues(LOCALE):
        mo_path = po_path.with_suffix(".mo")
        assert mo_path.exists(), f"{mo_path} is missing: run `make messages`"
        assert mo_path.read_bytes() == compiled(po_path), f"{mo_path} is stale: run `make messages`"


TRANSLATED_APPS = ("core", "programs", "submissions", "studio", "calls", "transparency", "portal", "accounts")


def project_models():
    from django.apps import apps

    return [model for app in TRANSLATED_APPS for model in apps.get_app_config(app).get_models()]


def test_every_model_names_itself_in_the_readers_language():
    from django.utils.functional import Promise

    untranslated = [
        f"{model._meta.label}.{option}"
        for model in project_models()
        for option in ("verbose_name", "verbose_name_plural")
        if not isinstance(model._meta.original_attrs.get(option), Promise)
    ]
    assert not untranslated, "model names without gettext_lazy in Meta:\n" + "\n".join(untranslated)


def test_a_refusal_names_the_video_in_spanish():
    from django.utils import translation

    from core.lifecycle import refusal_message
    from submissions.models import Video

    with translation.override("es"):
        message = refusal_message(Video, Video.Status.WITHDRAWN, Video.Status.APPROVED)
        assert str(Video._meta.verbose_name_plural) == "vídeos"
    assert "(vídeo)" in message
    assert "video" not in message.replace("vídeo", "")
    with translation.override("fr"):
        assert "(vidéo)" in refusal_message(Video, Video.Status.WITHDRAWN, Video.Status.APPROVED)
