"""A monthly statement as CSV rows and as a PDF (fpdf2, pure Python, with the DejaVu font shipped in
programs/fonts so names and labels outside Latin-1 print correctly)."""

from pathlib import Path

from django.conf import settings
from fpdf import FPDF
from fpdf.fonts import FontFace

from programs.selectors.compensation import Statement

FONTS = Path(__file__).resolve().parent / "fonts"
CSV_HEADER = ["date", "currency", "kind", "description", "source", "amount", "balance", "reason"]


def _absolute(url: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{url}" if url.startswith("/") else url


def statement_csv_rows(statement: Statement) -> list[list[str]]:
    """The rows of the statement CSV; written through core.csv, which neutralises formulas."""
    rows = [CSV_HEADER]
    for part in statement.currencies:
        rows.append(
            [
                f"{statement.first_day:%Y-%m-%d}",
                part.currency,
                "opening",
                "Opening balance",
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
        rows.append(["", part.currency, "closing", "Closing balance", "", "", f"{part.closing}", ""])
    return rows


def statement_pdf(statement: Statement) -> bytes:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(statement.title)
    pdf.set_author("Glasshouse")
    pdf.add_font("DejaVu", "", FONTS / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 15)
    pdf.cell(0, 9, statement.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.cell(0, 6, f"Artist: {statement.user.get_full_name()} <{statement.user.email}>", new_x="LMARGIN", new_y="NEXT")
    if not statement.currencies:
        pdf.ln(4)
        pdf.cell(0, 6, "No money was recorded for you in this program up to the end of this month.")
    for part in statement.currencies:
        pdf.ln(4)
        pdf.set_font("DejaVu", "B", 11)
        pdf.cell(
            0,
            7,
            f"{part.currency}: opening balance {part.opening}, closing balance {part.closing}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font("DejaVu", "", 8)
        widths = (20, 18, 96, 22, 24)
        headings = FontFace(emphasis="BOLD", fill_color=(234, 238, 242))
        with pdf.table(
            col_widths=widths,
            text_align=("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT"),
            headings_style=headings,
            line_height=4.5,
        ) as table:
            table.row(("Date", "Kind", "What it is for", "Amount", "Balance"))
            for row in part.rows:
                description = row.label + (f"\nSource: {_absolute(row.url)}" if row.url else "")
                description += f"\nReason: {row.reason}" if row.reason else ""
                table.row((f"{row.booked_on:%d %b %Y}", row.kind_label, description, f"{row.amount}", f"{row.balance}"))
        pdf.set_font("DejaVu", "", 9)
        pdf.cell(
            0,
            6,
            f"Earned {part.earned} · paid {part.paid} · reversals {part.reversed} · owed {part.closing}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return bytes(pdf.output())
