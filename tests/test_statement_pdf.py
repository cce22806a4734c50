"""The statement PDF laid out by hand: every line, headings on every page, any script DejaVu covers, long
addresses cut, and fonts parsed once per process without one document's characters leaking into the next."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import translation
from pypdf import PdfReader

from portal.models import User
from programs.models import Program
from programs.selectors.compensation import CurrencyStatement, Statement, StatementRow
from programs.statement_export import statement_pdf

LONG_URL = "https://glasshouse.example/feedback/" + "x" * 150 + "/end"


def statement(name: str, lines: int, *, label: str = "Accepted feedback") -> Statement:
    rows = [
        StatementRow(
            booked_on=dt.date(2026, 9, 1 + n % 28),
            kind="earned",
            kind_label="Earned",
            label=f"{label} #{n} on motion presets",
            url=LONG_URL if n == 0 else f"/feedback/{n}/",
            amount=Decimal("12.50"),
            balance=Decimal("12.50") * (n + 1),
            reason="Bank returned it." if n == 1 else "",
        )
        for n in range(lines)
    ]
    part = CurrencyStatement(currency="EUR", opening=Decimal("0"), rows=rows, earned=Decimal("12.50") * lines)
    user = User(email="artist@example.com", display_name=name)
    return Statement(program=Program(name="Lumen", slug="lumen"), user=user, first_day=dt.date(2026, 9, 1),
                     currencies=[part])  # fmt: skip


def pages_text(data: bytes) -> list[str]:
    assert data.startswith(b"%PDF-")
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_every_line_is_printed_with_headings_on_every_page():
    pages = pages_text(statement_pdf(statement("Ada Artist", 300)))
    text = "\n".join(pages)
    assert len(pages) > 5
    assert all("What it is for" in page and "Balance" in page for page in pages)
    for n in (0, 1, 150, 299):
        assert f"Accepted feedback #{n} on motion presets" in text
    assert "€3,750.00" in text  # the last balance, as core.money writes it in English
    assert "Reason: Bank returned it." in text
    assert "x" * 40 in text and "/end" in text  # the long address is cut across lines, not lost


def test_names_in_other_scripts_print_and_documents_do_not_share_their_characters():
    first = "\n".join(pages_text(statement_pdf(statement("Зоя Ünal", 3, label="Отзыв"))))
    second = "\n".join(pages_text(statement_pdf(statement("Ελένη Şahin", 3, label="Σχόλιο"))))
    assert "Зоя Ünal" in first and "Отзыв #2" in first
    assert "Ελένη Şahin" in second and "Σχόλιο #2" in second
    assert "Зоя" not in second


@pytest.mark.parametrize(
    ("language", "labels", "amount"),
    [
        ("es", ["Fecha", "Saldo", "Artista: Íñigo Muñoz", "Extracto de Lumen", "septiembre de 2026"], "3.750,00\xa0€"),
        ("fr", ["Date", "Solde", "Artiste : François Lœb", "Relevé Lumen", "septembre 2026"], "3\u202f750,00\xa0€"),
    ],
)
def test_the_statement_speaks_the_requesters_language_with_its_characters(language, labels, amount):
    name = "Íñigo Muñoz" if language == "es" else "François Lœb"
    text = "\n".join(pages_text(statement_pdf(statement(name, 300, label="Comentario aceptado, reçu"), language)))
    for label in labels:
        assert label in text
    assert amount in text and "reçu" in text
    assert "01/09/2026" in text  # dates in the language's short format
    assert "What it is for" not in text and "Balance" not in text


def test_the_language_defaults_to_the_active_one():
    with translation.override("es"):
        text = "\n".join(pages_text(statement_pdf(statement("Ana", 1))))
    assert "Fecha" in text and "12,50\xa0€" in text
