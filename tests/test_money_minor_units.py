"""Each currency keeps its own decimals from input to every output: JPY has none, EUR two, KWD three (Babel's
ISO 4217 table). Amounts with more decimals than their currency are refused with a message naming the currency;
computed amounts (hours at a rate) are rounded to the currency's smallest unit."""

import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from calls.models import GrantRound
from calls.services.grants import GrantError
from core.money import decimals_rule, in_minor_units, quantum
from programs.forms.compensation import AwardForm, RateCardForm
from programs.models import LedgerLine
from programs.selectors.compensation import balance, money_for, payout_run_csv_rows
from programs.services.compensation import (
    CompensationError,
    award_record,
    payout_record,
    timeentry_approve,
    timeentry_log,
)
from programs.services.payout_runs import payoutrun_confirm, payoutrun_create
from tests.conftest import RATE_CARD_AMOUNTS, make_rate_card
from tests.grants_helpers import apply, make_round
from transparency.report import compute

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "transparency/schema.json").read_text())


# --- The rule --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("currency", "expected_quantum", "rounded"),
    [("JPY", "1", "1111"), ("EUR", "0.01", "1110.83"), ("KWD", "0.001", "1110.833"), ("CLF", "0.001", "1110.833")],
)
def test_the_quantum_and_the_rounding_come_from_the_currency(currency, expected_quantum, rounded):
    assert str(quantum(currency)) == expected_quantum
    assert str(in_minor_units(Decimal(1333) * 50 / 60, currency)) == rounded


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en-gb", ["JPY has no decimals.", "EUR has at most 2 decimals.", "KWD has at most 3 decimals."]),
        ("es", ["JPY no tiene decimales.", "EUR tiene como máximo 2 decimales.", "KWD tiene como máximo 3 decimales."]),
        ("fr", ["JPY n'a pas de décimales.", "EUR a au plus 2 décimales.", "KWD a au plus 3 décimales."]),
    ],
)
def test_the_rule_is_said_in_the_readers_language(language, expected):
    with translation.override(language):
        assert [decimals_rule(code) for code in ("JPY", "EUR", "KWD")] == expected


# --- Input: refused, never rounded ----------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("currency", "rate", "message"),
    [("JPY", "1500.50", "JPY has no decimals."), ("KWD", "1.2345", "KWD has at most 3 decimals.")],
)
def test_a_rate_card_refuses_more_decimals_than_its_currency(program, currency, rate, message):
    with pytest.raises(CompensationError, match=rf"^Hourly rate \(got {rate}\): {message}$"):
        make_rate_card(program, currency=currency, hourly_rate=rate)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("currency", "rate", "message"),
    [("JPY", "1500.50", "JPY has no decimals."), ("EUR", "12.345", "EUR has at most 2 decimals.")],
)
def test_the_rate_card_form_names_the_currencys_decimals_on_the_field(program, currency, rate, message):
    data = {"effective_from": timezone.localdate(), "currency": currency.lower(), "stipend_period": "none"}
    form = RateCardForm(data | RATE_CARD_AMOUNTS | {"hourly_rate": rate}, program=program)
    assert not form.is_valid()
    assert form.errors == {"hourly_rate": [message]}


@pytest.mark.django_db
def test_the_rate_card_form_takes_three_decimals_in_kwd(program):
    data = {"effective_from": timezone.localdate(), "currency": "KWD", "stipend_period": "none"}
    form = RateCardForm(data | RATE_CARD_AMOUNTS | {"hourly_rate": "12.345"}, program=program)
    assert form.is_valid(), form.errors
    assert form.service_kwargs()["amounts"]["hourly_rate"] == Decimal("12.345")


@pytest.mark.django_db
def test_an_award_in_yen_refuses_a_fraction_in_the_form_and_in_the_service(program, artist, staff):
    make_rate_card(program, currency="JPY", hourly_rate="1500")
    data = {"artist": artist.pk, "title": "Prize", "amount": "1000.5", "currency": "JPY", "reason": "Jury."}
    form = AwardForm(data, artists=get_user_model().objects.filter(pk=artist.pk), program=program)
    form.is_valid()
    assert form.errors["amount"] == ["JPY has no decimals."]
    with pytest.raises(CompensationError, match="JPY has no decimals"):  # empty currency: the rate card's
        award_record(
            user=artist, program=program, title="Prize", amount="1000.5", reason="Jury.", idempotency_key="a:1",
            actor=staff,
        )  # fmt: skip
    assert not LedgerLine.objects.exists()


@pytest.mark.django_db
def test_a_yen_grant_round_refuses_fractions(program, artist):
    round = make_round(program, currency="JPY", budget=Decimal("500000"), max_request=Decimal("200000"))
    with pytest.raises(GrantError, match=r"\(got 1500.5\): JPY has no decimals"):
        apply(round, artist, budget="1500.5")
    assert apply(round, artist, budget="150000").budget == Decimal("150000")
    bad = GrantRound(program=program, currency="JPY", budget=Decimal("1000.5"), max_request=Decimal("10.25"))
    with pytest.raises(ValidationError, match="JPY has no decimals") as refused:
        bad.clean()
    assert set(refused.value.message_dict) == {"budget", "max_request"}


# --- Computed: rounded to the currency's unit -----------------------------------------------------------------
@pytest.mark.django_db
def test_hours_at_a_yen_rate_come_to_whole_yen(program, artist, staff):
    make_rate_card(program, currency="JPY", hourly_rate="1333")
    today = timezone.localdate()
    entry = timeentry_log(user=artist, program=program, worked_on=today, minutes=50, category="testing", today=today)
    timeentry_approve(entry=entry, actor=staff, today=today)
    line = LedgerLine.objects.get()
    assert line.amount == Decimal("1111")  # 1333 * 50 / 60 = 1110.83…
    assert "at 1333 JPY/h" in line.label
    assert str(balance(artist, program, "JPY")) == "1111"


@pytest.mark.django_db
def test_a_kwd_amount_keeps_three_decimals_from_the_rate_card_to_the_report(client, program, artist, staff):
    make_rate_card(program, currency="KWD", hourly_rate="12.345")
    today = timezone.localdate()
    entry = timeentry_log(user=artist, program=program, worked_on=today, minutes=90, category="testing", today=today)
    timeentry_approve(entry=entry, actor=staff, today=today)
    award_record(
        user=artist, program=program, title="Prize", amount="0.125", reason="Jury.", idempotency_key="a:1", actor=staff
    )
    payout_record(
        user=artist, program=program, amount="10.001", currency="KWD", method="bank_transfer",
        idempotency_key="pay:1", actor=staff,
    )  # fmt: skip
    hours = LedgerLine.objects.get(time_entry=entry)
    assert hours.amount == Decimal("18.518")  # 12.345 * 1.5 = 18.5175, half up
    assert "at 12.345 KWD/h" in hours.label
    [money] = money_for(artist, program).values()
    assert (str(money.earned), str(money.paid), str(money.owed)) == ("18.643", "10.001", "8.642")

    client.force_login(artist)
    month = {"slug": program.slug, "year": today.year, "month": today.month}
    page = client.get(reverse("compensation:statement", kwargs=month)).text
    assert "KWD18.518" in page and "KWD8.642" in page
    csv = client.get(reverse("compensation:statement_csv", kwargs=month)).text
    assert ",18.518,18.518," in csv and ",0.125,18.643," in csv and ",-10.001,8.642," in csv
    pdf = client.get(reverse("compensation:statement_pdf", kwargs=month)).content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "KWD18.518" in text and "KWD8.642" in text

    cells = compute(program).cells
    figures = {name: cells[("all", name, "KWD")].value for name in ("earned", "paid", "owed", "awards_total")}
    assert {name: str(value) for name, value in figures.items()} == {
        "earned": "18.643",
        "paid": "10.001",
        "owed": "8.642",
        "awards_total": "0.125",
    }
    pattern = SCHEMA["$defs"]["money"]["pattern"]
    assert all(re.fullmatch(pattern, str(value)) for value in figures.values())
    assert all(re.fullmatch(pattern, text) for text in ("1111", "-18.50", "0.125"))


@pytest.mark.django_db
def test_the_payout_file_has_each_currencys_decimals(program, artist, staff):
    make_rate_card(program, currency="KWD", hourly_rate="12.345")
    today = timezone.localdate()
    entry = timeentry_log(user=artist, program=program, worked_on=today, minutes=60, category="testing", today=today)
    timeentry_approve(entry=entry, actor=staff, today=today)
    run = payoutrun_create(program=program, currency="KWD", method="payment_provider", actor=staff)
    payoutrun_confirm(run=run, actor=staff)
    [_header, row] = payout_run_csv_rows(run)
    assert row[4:6] == ["12.345", "KWD"]
