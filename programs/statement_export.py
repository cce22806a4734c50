"""A monthly statement as CSV rows and as a PDF (fpdf2, pure Python, with the DejaVu font shipped in
programs/fonts so names and labels outside Latin-1 print correctly: é, ñ, ç, œ, €, Cyrillic, Greek).

Both speak the active language (the requester's): labels translated, dates in its format; the PDF shows amounts
as core.money formats them, the CSV keeps plain numbers (a dot, no grouping) beside their currency code."""

import copy
import functools
import pickle
from pathlib import Path

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

from core.money import format_money
from programs.selectors.compensation import Statement

FONTS = Path(__file__).resolve().parent / "fonts"
CSV_HEADER = [
    gettext_lazy("date"),
    gettext_lazy("currency"),
    gettext_lazy("kind"),
    gettext_lazy("description"),
    gettext_lazy("source"),
    gettext_lazy("amount"),
    gettext_lazy("balance"),
    gettext_lazy("reason"),
]


def _absolute(url: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{url}" if url.startswith("/") else url


def statement_csv_rows(statement: Statement) -> list[list[str]]:
    """The rows of the statement CSV; written through core.csv, which neutralises formulas."""
    rows = [[str(name) for name in CSV_HEADER]]
    for part in statement.currencies:
        rows.append(
            [
                f"{statement.first_day:%Y-%m-%d}",
                part.currency,
                "opening",
                _("Opening balance"),
                "",
                "",
                f"{part.opening}",
                "",
            ]
        )
        for row in part.rows:
            rows.append(
                [
                    f"{row.booked_on:%Y-%m-%d}",
                    part.currency,
                    row.kind,
                    row.label,
                    _absolute(row.url),
                    f"{row.amount}",
                    f"{row.balance}",
                    row.reason,
                ]
            )
        rows.append(["", part.currency, "closing", _("Closing balance"), "", "", f"{part.closing}", ""])
    return rows


def statement_pdf(statement: Statement, language: str | None = None) -> bytes:
    """The statement as a PDF in `language` (by default the active one: the person asking for it)."""
    with translation.override(language or translation.get_language()):
        return _statement_pdf(statement)


def _statement_pdf(statement: Statement) -> bytes:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(statement.title)
    pdf.set_author("Glasshouse")
    for style in FONT_FILES:
        _add_parsed_font(pdf, style)
    pdf.set_auto_page_break(auto=True, margin=BOTTOM_MARGIN)
    pdf.add_page()
    pdf.set_font(FAMILY, "", 16)
    pdf.cell(0, 9, statement.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 10)
    artist = _("Artist: %(name)s <%(email)s>") % {"name": statement.user.get_full_name(), "email": statement.user.email}
    pdf.cell(0, 6, artist, new_x="LMARGIN", new_y="NEXT")
    if not statement.currencies:
        pdf.ln(4)
        pdf.cell(0, 6, _("No money was recorded for you in this program up to the end of this month."))
    for part in statement.currencies:
        pdf.ln(4)
        pdf.set_font(FAMILY, "", 11.5)
        pdf.cell(0, 7, _balances(part), new_x="LMARGIN", new_y="NEXT")
        _LinesTable(pdf, part.currency).draw(part.rows)
        pdf.set_font(FAMILY, "", 9)
        pdf.cell(0, 6, _totals(part), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _balances(part) -> str:
    return _("%(currency)s: opening balance %(opening)s, closing balance %(closing)s") % {
        "currency": part.currency,
        "opening": format_money(part.opening, part.currency),
        "closing": format_money(part.closing, part.currency),
    }


def _totals(part) -> str:
    return _("Earned %(earned)s · paid %(paid)s · reversals %(reversed)s · owed %(owed)s") % {
        "earned": format_money(part.earned, part.currency),
        "paid": format_money(part.paid, part.currency),
        "reversed": format_money(part.reversed, part.currency),
        "owed": format_money(part.closing, part.currency),
    }


# --- Fonts, parsed once per process -----------------------------------------------------------------------------

FAMILY = "DejaVu"
# One face: a second (bold) doubled the cost of every document; headings stand out by size and shading.
FONT_FILES = {"": "DejaVuSans.ttf"}
UNUSED_TABLES = ("GSUB", "GPOS", "GDEF", "MATH", "kern", "FFTM")  # layout features, for shaping engines only


@functools.cache
def _parsed_font(style: str) -> tuple[TTFFont, bytes]:
    """The font as fpdf2 reads it (metrics, character map), and its fontTools tables pickled: reading the two
    1.4 MB files took most of a short statement's time."""
    reader = FPDF()
    reader.add_font(FAMILY, style, FONTS / FONT_FILES[style])
    font = reader.fonts[f"{FAMILY.lower()}{style}"]
    for tag in UNUSED_TABLES:  # without text shaping nothing reads them; subsetting them cost most of the output
        if tag in font.ttfont:
            del font.ttfont[tag]
    return font, pickle.dumps(font.ttfont)


def _add_parsed_font(pdf: FPDF, style: str) -> None:
    """What pdf.add_font does, from the parsed font: its metrics shared, its own fontTools tables (the output
    prunes them to the characters used), and a fresh subset of the characters used."""
    parsed, tables = _parsed_font(style)
    font = copy.copy(parsed)  # metrics and character map shared: they are only read
    font.ttfont = pickle.loads(tables)  # noqa: S301  (pickled above, in this process, from our own font file)
    font.subset, font.missing_glyphs, font.biggest_size_pt = SubsetMap(font), [], 0
    font.i = len(pdf.fonts) + 1
    pdf.fonts[font.fontkey] = font


# --- The table of lines, laid out by hand ----------------------------------------------------------------------

BOTTOM_MARGIN = 15
HEADINGS = (
    gettext_lazy("Date"),
    gettext_lazy("Kind"),
    gettext_lazy("What it is for"),
    gettext_lazy("Amount"),
    gettext_lazy("Balance"),
)
WIDTHS = (20, 18, 96, 22, 24)  # mm
RIGHT_ALIGNED = (False, False, False, True, True)
TEXT_SIZE, LINE_HEIGHT, PADDING = 8, 3.6, 1.2  # pt, mm, mm


class _LinesTable:
    """The statement's lines as a plain table: text placed at computed positions, the description wrapped by
    the font's widths. fpdf2's table() measured every character again for every line break (~7 s at 1,000
    lines); this is one pass over the text."""

    def __init__(self, pdf: FPDF, currency: str):
        self.pdf, self.currency = pdf, currency

    def draw(self, rows) -> None:
        self._heading()
        for row in rows:
            description = [row.label]
            if row.url:
                description.append(_("Source: %(url)s") % {"url": _absolute(row.url)})
            if row.reason:
                description.append(_("Reason: %(reason)s") % {"reason": row.reason})
            day = formats.date_format(row.booked_on, "SHORT_DATE_FORMAT")
            amounts = format_money(row.amount, self.currency), format_money(row.balance, self.currency)
            self._row((day, str(row.kind_label), description, *amounts), heading=False)
        self.pdf.ln(2)

    def _heading(self) -> None:
        self._row([str(heading) for heading in HEADINGS], heading=True)

    def _row(self, cells, *, heading: bool) -> None:
        pdf = self.pdf
        pdf.set_font(FAMILY, "", TEXT_SIZE)
        lines = [self._wrap(cell, width - 2 * PADDING) for cell, width in zip(cells, WIDTHS, strict=True)]
        height = max(len(cell_lines) for cell_lines in lines) * LINE_HEIGHT + 2 * PADDING
        if pdf.get_y() + height > pdf.h - BOTTOM_MARGIN:
            pdf.add_page()
            if not heading:
                self._heading()
                pdf.set_font(FAMILY, "", TEXT_SIZE)
        top, x = pdf.get_y(), pdf.l_margin
        if heading:
            pdf.set_fill_color(234, 238, 242)
            pdf.rect(x, top, sum(WIDTHS), height, style="F")
        for cell_lines, width, right in zip(lines, WIDTHS, RIGHT_ALIGNED, strict=True):
            for index, line in enumerate(cell_lines):
                left = x + width - PADDING - self._width(line) if right else x + PADDING
                pdf.text(left, top + PADDING + (index + 0.8) * LINE_HEIGHT, line)
            x += width
        pdf.set_draw_color(200, 205, 210)
        pdf.line(pdf.l_margin, top + height, pdf.l_margin + sum(WIDTHS), top + height)
        pdf.set_y(top + height)

    def _width(self, text: str) -> float:
        widths = self.pdf.current_font.cw
        return sum(widths[ord(char)] for char in text) * self.pdf.font_size / 1000

    def _wrap(self, cell, width: float) -> list[str]:
        """Greedy wrapping by words, each measured once; a word wider than the column (a long address) is cut
        where it must be."""
        space, lines = self._width(" "), []
        for paragraph in [cell] if isinstance(cell, str) else cell:
            line, used = [], 0.0
            for word in paragraph.split(" "):
                size = self._width(word)
                if line and used + space + size <= width:
                    line.append(word)
                    used += space + size
                    continue
                if line:
                    lines.append(" ".join(line))
                while size > width and len(word) > 1:
                    head = self._fitting(word, width)
                    lines.append(head)
                    word = word[len(head) :]
                    size = self._width(word)
                line, used = [word], size
            lines.append(" ".join(line))
        return lines or [""]

    def _fitting(self, word: str, width: float) -> str:
        widths, scale, used = self.pdf.current_font.cw, self.pdf.font_size / 1000, 0.0
        for index, char in enumerate(word):
            used += widths[ord(char)] * scale
            if used > width:
                return word[: max(1, index)]
        return word
