"""Credits: each contribution earns money exactly once, priced from the rate card, with its ledger line."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from programs.models import Credit, LedgerLine
from programs.selectors.compensation import balance
from programs.services.compensation import CompensationError, award_record, credit_record
from tests.conftest import make_rate_card, make_user

pytestmark = pytest.mark.django_db


def record(user, program, **extra):
    fields = {
        "kind": Credit.Kind.BUG_REPORT,
        "idempotency_key": "bugreport:1:accepted",
        "source_label": "Bug report #1: faces melt at 24 fps",
        "source_url": "/reports/1/",
        "severity": "high",
    }
    return credit_record(user=user, program=program, **{**fields, **extra})


@pytest.mark.parametrize(
    ("kind", "severity", "amount"),
    [
        (Credit.Kind.BUG_REPORT, "low", "20.00"),
        (Credit.Kind.BUG_REPORT, "critical", "150.00"),
        (Credit.Kind.BUG_REPORT_DUPLICATE, "", "5.00"),
        (Credit.Kind.FEEDBACK, "", "15.00"),
        (Credit.Kind.VIDEO_APPROVED, "", "30.00"),
        (Credit.Kind.VIDEO_SHOWCASED, "", "200.00"),
    ],
)
def test_it_prices_each_kind_from_the_rate_card(program, artist, rate_card, kind, severity, amount):
    credit = record(artist, program, kind=kind, severity=severity)
    assert credit.amount == Decimal(amount)
    assert credit.currency == "EUR"
    assert credit.rate_card == rate_card
    line = LedgerLine.objects.get(credit=credit)
    assert (line.kind, line.amount, line.user, line.source_url) == ("earned", Decimal(amount), artist, "/reports/1/")
    assert "faces melt" in line.label
    assert balance(artist, program, "EUR") == Decimal(amount)


def test_the_same_key_returns_the_existing_credit_and_writes_nothing(program, artist, rate_card):
    first = record(artist, program)
    again = record(artist, program)
    assert again.pk == first.pk
    assert Credit.objects.count() == 1
    assert LedgerLine.objects.count() == 1


def test_it_refuses_a_key_reused_for_someone_else(program, artist, other_artist, rate_card):
    record(artist, program)
    with pytest.raises(CompensationError, match="already used for a different credit"):
        record(other_artist, program)
    assert Credit.objects.count() == 1


def test_it_refuses_a_bug_report_without_a_final_severity(program, artist, rate_card):
    with pytest.raises(CompensationError, match="final severity"):
        record(artist, program, severity="")
    with pytest.raises(CompensationError, match="final severity"):
        record(artist, program, severity="catastrophic")
    assert not Credit.objects.exists()
    assert not LedgerLine.objects.exists()


def test_it_refuses_when_no_rate_card_is_in_force(program, artist):
    make_rate_card(program, effective_from=timezone.localdate() + dt.timedelta(days=3))
    with pytest.raises(CompensationError, match="no rate card in force"):
        record(artist, program)
    assert not Credit.objects.exists()


def test_it_refuses_someone_who_was_never_enrolled(program, rate_card):
    stranger = make_user("stranger@example.com")
    with pytest.raises(CompensationError, match="not enrolled"):
        record(stranger, program)
    assert not Credit.objects.exists()


def test_it_refuses_a_contribution_dated_in_the_future(program, artist, rate_card):
    with pytest.raises(CompensationError, match="future"):
        record(artist, program, occurred_on=timezone.localdate() + dt.timedelta(days=1))
    assert not Credit.objects.exists()


def test_it_refuses_awards_without_an_amount(program, artist, rate_card):
    with pytest.raises(CompensationError, match="Awards have no rate-card price"):
        record(artist, program, kind=Credit.Kind.AWARD)


def test_a_zero_price_counts_the_credit_but_moves_no_money(program, artist):
    make_rate_card(program, feedback="0.00")
    credit = record(artist, program, kind=Credit.Kind.FEEDBACK, severity="")
    assert credit.amount == Decimal("0.00")
    assert not LedgerLine.objects.exists()


def test_an_award_records_the_amount_and_reason(program, artist, staff, rate_card):
    award = award_record(
        user=artist,
        program=program,
        title="Selected for the Rotterdam screening",
        amount="500.00",
        reason="Jury selection for the festival's AI shorts night.",
        idempotency_key="award:rotterdam:1",
        actor=staff,
    )
    assert (award.kind, award.amount, award.currency, award.actor) == ("award", Decimal("500.00"), "EUR", staff)
    assert award.line.amount == Decimal("500.00")
    assert balance(artist, program, "EUR") == Decimal("500.00")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"amount": "-5.00"}, "more than zero"),
        ({"amount": "0"}, "more than zero"),
        ({"reason": ""}, "needs a reason"),
        ({"title": " "}, "needs a title"),
    ],
)
def test_it_refuses_an_incomplete_award(program, artist, staff, rate_card, fields, message):
    base = {"title": "Prize", "amount": "100.00", "reason": "Because.", "idempotency_key": "award:1"}
    with pytest.raises(CompensationError, match=message):
        award_record(user=artist, program=program, actor=staff, **{**base, **fields})
    assert not Credit.objects.exists()
    assert not LedgerLine.objects.exists()


def test_credits_are_append_only(program, artist, rate_card):
    credit = record(artist, program)
    with pytest.raises(Exception, match="append-only"):
        Credit.objects.filter(pk=credit.pk).update(amount=Decimal("1.00"))
    with pytest.raises(Exception, match="append-only"):
        credit.delete()
