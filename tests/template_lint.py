"""Visible text in templates outside {% translate %}/{% blocktranslate %}: the lint of tests/test_translations.py.

Each template is read with Django's own Lexer. Text inside blocktranslate, comments and <script>/<style> is left
out; tags, template variables and template tags are blanked (keeping line breaks, for the line numbers); what is
left with letters in it, and the user-visible attributes (aria-label, title, alt, placeholder, the value of an
<input> button) with literal letters, is an offence unless every word is a brand name or a code (ALLOWED) or a unit
symbol (UNITS). Keys in <kbd> are keys, not words (the key is the same in every language), and a <button>'s value is
never shown (its content is), so a machine value there is no offence.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from django.template.base import Lexer, TokenType

ALLOWED = {
    "glasshouse",
    "c2pa",
    "sha-256",
    "mp4",
    "iso",
    "json",
    "csv",
    "pdf",
    "api",
    "url",
    "http",
    "https",
    "html",
    "utc",
    "iana",
    "totp",
    "id",
    "zip",
    "x",
}
# Unit symbols written after a number: the same in every language.
UNITS = {"s", "ms", "px", "fps", "bit/s", "kbit/s", "mbit/s"}
SKIP_BLOCKS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans", "comment": "endcomment"}
VISIBLE_ATTRIBUTES = re.compile(r"""\b(aria-label|title|alt|placeholder)\s*=\s*(["'])(.*?)\2""", re.S)
BUTTON_VALUE = re.compile(r"""\bvalue\s*=\s*(["'])(.*?)\1""", re.S)
IS_BUTTON = re.compile(r"""^<input\b[^>]*\btype\s*=\s*["']?(submit|button|reset)""", re.I)
HIDDEN = re.compile(r"<!--.*?-->|<(script|style|kbd)\b[^>]*>.*?</\1\s*>", re.S | re.I)
TAG = re.compile(r"</?[a-zA-Z][^>]*>|<!DOCTYPE[^>]*>", re.S)
ENTITY = re.compile(r"&[#a-zA-Z0-9]+;")
WORD = re.compile(r"\S+")
LETTER = re.compile(r"[^\W\d_]")
CODE_LIKE = re.compile(r"^(https?://\S+|[\w.+-]+@[\w.-]+|#\w+|\w+\.\w{2,4}|[A-Z0-9]+([-./][A-Z0-9]+)*)$")
BLANK = "\x00"
PUNCTUATION = ".,:;!?()[]«»“”\"'·/-\u2013\u2014"


@dataclass(frozen=True)
class Offence:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text}"


def template_files(base_dir: Path) -> list[Path]:
    roots = [base_dir / "templates", *sorted(base_dir.glob("*/templates"))]
    return sorted(p for root in roots for p in root.rglob("*") if p.suffix in (".html", ".txt") and p.is_file())


def _blanked(token_text: str) -> str:
    return BLANK + "\n" * token_text.count("\n")


def visible_source(source: str) -> str:
    """The template with everything that is not literal, untranslated text blanked (line breaks kept)."""
    parts, closing = [], None
    for token in Lexer(source).tokenize():
        raw = token.contents
        name = raw.split()[0] if token.token_type == TokenType.BLOCK and raw.split() else ""
        if closing:
            parts.append(_blanked(raw))
            closing = None if name == closing else closing
        elif token.token_type == TokenType.TEXT:
            parts.append(raw)
        else:
            parts.append(_blanked(raw))
            closing = SKIP_BLOCKS.get(name)
    return "".join(parts)


def _keep_lines(match: re.Match) -> str:
    return " " + "\n" * match.group(0).count("\n")


def _has_words(text: str) -> bool:
    text = ENTITY.sub(" ", text.replace(BLANK, " "))
    return any(
        LETTER.search(word)
        and word.strip(PUNCTUATION).lower() not in ALLOWED
        and word.strip(PUNCTUATION).lower() not in UNITS
        and not CODE_LIKE.match(word.strip(".,:;()[]"))
        for word in WORD.findall(text)
    )


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def offences_in(path: Path, base_dir: Path) -> list[Offence]:
    name = str(path.relative_to(base_dir))
    text = HIDDEN.sub(_keep_lines, visible_source(path.read_text()))
    found = []
    for tag in TAG.finditer(text):
        values = [m.group(3) for m in VISIBLE_ATTRIBUTES.finditer(tag.group(0))]
        if IS_BUTTON.match(tag.group(0)):
            values += [m.group(2) for m in BUTTON_VALUE.finditer(tag.group(0))]
        found += [Offence(name, _line_of(text, tag.start()), v.strip()) for v in values if _has_words(v)]
    text = TAG.sub(_keep_lines, text)
    for number, line in enumerate(text.split("\n"), start=1):
        if _has_words(line):
            found.append(Offence(name, number, " ".join(line.replace(BLANK, "…").split())))
    return sorted(found, key=lambda o: o.line)


def offences(base_dir: Path, only: set[str] | None = None) -> list[Offence]:
    files = [p for p in template_files(base_dir) if only is None or str(p.relative_to(base_dir)) in only]
    return [offence for path in files for offence in offences_in(path, base_dir)]
