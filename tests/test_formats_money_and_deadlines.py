"""Money with each currency's own decimals in every language, currency codes checked against ISO 4217, and
deadlines in the reader's zone with the zone named, plus the program's time when its clock differs."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import timezone, translation

from core.money import CurrencyCodeField, format_money, validate_currency_code
from core.templatetags.deadline import deadline_text
from core.time_zones import validate_time_zone
from programs.forms.compensation import AwardForm
from programs.models import LedgerLine, PayoutRun, Program, RateCard

AMOUNT = Decimal("1234.5")
# language -> currency -> how 1234.5 reads: JPY has no decimals, EUR two, KWD three.
EXPECTED = {
    "en-gb": {"JPY": "JP¥1,234", "EUR": "€1,234.50", "KWD": "KWD1,234.500"},
    "es": {"JPY": "1.234\xa0JPY", "EUR": "1.234,50\xa0€", "KWD": "1.234,500\xa0KWD"},
    "fr": {"JPY": "1\u202f234\xa0JPY", "EUR": "1\u202f234,50\xa0€", "KWD": "1\u202f234,500\xa0KWD"},
}
DECIMALS = {"JPY": "", "EUR": "50", "KWD": "500"}


@pytest.mark.parametrize("language", EXPECTED)
@pytest.mark.parametrize("currency", ["JPY", "EUR", "KWD"])
def test_each_currency_has_its_own_decimals_in_each_language(language, currency):
    assert format_money(AMOUNT, currency, language) == EXPECTED[language][currency]
    with translation.override(language):
        shown = Template("{% load money %}{{ amount|money:currency }}").render(
            Context({"amount": AMOUNT, "currency": currency})
        )
    assert shown == EXPECTED[language][currency]
    separator = "." if language == "en-gb" else ","
    assert (separator + DECIMALS[currency] in shown) == bool(DECIMALS[currency])


@pytest.mark.parametrize("code", ["EUR", "JPY", "KWD", "USD"])
def test_iso_codes_pass(code):
    validate_currency_code(code)


@pytest.mark.parametrize("code", ["XYZ", "eur", "EURO", "", "E1R"])
def test_other_codes_are_refused_with_a_message(code):
    with pytest.raises(ValidationError, match="not an ISO 4217 currency code"):
        validate_currency_code(code)


@pytest.mark.parametrize(
    ("model", "field"),
    [(RateCard, "currency"), (LedgerLine, "currency"), (PayoutRun, "currency"), ("studio", "cost_currency")],
)
def test_every_currency_field_validates_its_code(model, field):
    if model == "studio":
        from studio.models import GenerationModel as model
    assert validate_currency_code in model._meta.get_field(field).validators


def test_the_form_field_reads_lower_case_and_names_a_wrong_code():
    field = CurrencyCodeField()
    assert field.clean(" jpy ") == "JPY"
    with pytest.raises(ValidationError, match="XYZ is not an ISO 4217 currency code"):
        field.clean("xyz")


@pytest.mark.django_db
def test_the_award_form_shows_the_currency_error(program):
    form = AwardForm({"currency": "ABC", "amount": "10", "title": "t", "reason": "r"}, artists=None, program=program)
    form.fields["artist"].queryset = program.enrolments.none()
    assert not form.is_valid()
    assert form.errors["currency"] == ["ABC is not an ISO 4217 currency code."]


# --- Time zones and deadlines ---------------------------------------------------------------------------------
MOMENT = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)


def test_program_time_zones_are_iana_names():
    validate_time_zone("Asia/Tokyo")
    with pytest.raises(ValidationError, match="is not a known time zone"):
        validate_time_zone("CET+9")
    assert Program._meta.get_field("time_zone").default == "UTC"


def test_a_reader_in_tokyo_sees_the_deadline_in_jst_and_the_programs_time():
    with translation.override("en-gb"), timezone.override("Asia/Tokyo"):
        text = deadline_text(MOMENT, "Europe/Paris")
    assert text == "5 Dec 2026, 6 p.m. JST (program time: 5 Dec 2026, 10 a.m. CET)"


def test_the_programs_time_is_left_out_when_the_clocks_agree():
    with translation.override("en-gb"), timezone.override("Europe/Madrid"):
        assert deadline_text(MOMENT, "Europe/Paris") == "5 Dec 2026, 10 a.m. CET"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("es", "5 de diciembre de 2026 a las 18:00 JST (hora del programa: 5 de diciembre de 2026 a las 09:00 UTC)"),
        ("fr", "5 décembre 2026 18:00 JST (heure du programme : 5 décembre 2026 09:00 UTC)"),
    ],
)
def test_the_deadline_tag_speaks_the_readers_language(language, expected):
    program = Program(name="Lumen", slug="lumen", time_zone="UTC")
    with translation.override(language), timezone.override("Asia/Tokyo"):
        html = Template("{% load deadline %}{% deadline moment program %}").render(
            Context({"moment": MOMENT, "program": program})
        )
    assert html.startswith('<time datetime="2026-12-05T09:00:00+00:00">')
    assert expected in html


@pytest.mark.django_db
def test_the_artist_sees_the_review_and_appeal_deadlines_in_both_zones(client, program, artist, reviewer, settings):
    from django.urls import reverse

    from submissions.services import approvals
    from tests.approval_helpers import setup_review, video_in_review

    program.time_zone = "Asia/Tokyo"
    program.save(update_fields=["time_zone"])
    rules = setup_review(program, safety=[reviewer], lead=[reviewer], distinct_people=False)
    video = video_in_review(artist, program)
    client.force_login(artist)
    waiting = client.get(reverse("submissions:video_detail", args=[video.pk])).content.decode()
    assert "Deadline: <time" in waiting and "UTC (program time: " in waiting and "JST)</time>" in waiting
    approvals.review_decide(
        video_id=video.pk, reviewer=reviewer, outcome="reject", reason_code=rules["code"], note="No."
    )
    rejected = client.get(reverse("submissions:video_detail", args=[video.pk])).content.decode()
    assert re.search(r"You can appeal until <time [^>]+>[^<]+ UTC \(program time: [^<]+ JST\)</time>", rejected)
