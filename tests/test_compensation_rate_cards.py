"""Rate cards: versioned, never retroactive, and the version in force prices what happened on each date."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from programs.models import Credit, LedgerLine, RateCard
from programs.selectors.compensation import rate_card_in_force
from programs.services.compensation import CompensationError, credit_record, ratecard_publish
from tests.conftest import RATE_CARD_AMOUNTS, make_rate_card

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 9, 15)


def publish(program, effective_from, *, today=TODAY, **overrides):
    amounts = {**RATE_CARD_AMOUNTS, **overrides.pop("amounts", {})}
    return ratecard_publish(
        program=program,
        effective_from=effective_from,
        currency=overrides.pop("currency", "EUR"),
        amounts=amounts,
        today=today,
        **overrides,
    )


def test_the_first_card_may_start_today_and_versions_count_up(program):
    first = publish(program, TODAY)
    second = publish(program, TODAY + dt.timedelta(days=1), amounts={"hourly_rate": "30.00"})
    assert (first.version, second.version) == (1, 2)
    assert second.hourly_rate == Decimal("30.00")
    assert first.currency == "EUR"


def test_it_refuses_a_card_that_would_apply_to_the_past(program):
    with pytest.raises(CompensationError, match="never apply to the past"):
        publish(program, TODAY - dt.timedelta(days=1))
    assert not RateCard.objects.exists()


def test_it_refuses_a_new_version_starting_today_once_a_card_exists(program):
    publish(program, TODAY)
    with pytest.raises(CompensationError, match="earliest date is 16 Sep 2026"):
        publish(program, TODAY)
    assert RateCard.objects.count() == 1


def test_it_refuses_a_version_that_does_not_start_after_the_latest(program):
    publish(program, dt.date(2026, 10, 1))
    with pytest.raises(CompensationError, match="must start after it"):
        publish(program, dt.date(2026, 9, 20))
    assert RateCard.objects.count() == 1


@pytest.mark.parametrize(
    ("amounts", "message"),
    [
        ({"hourly_rate": "-1.00"}, "zero or more"),
        ({"feedback": "1.005"}, "EUR has at most 2 decimals"),
        ({"feedback": 1.5}, "not a float"),
        ({"video_approved": "lots"}, "not an amount of money"),
        ({"stipend_amount": "100.00"}, "both an amount and a period"),
    ],
)
def test_it_refuses_bad_amounts_with_a_clear_message(program, amounts, message):
    with pytest.raises(CompensationError, match=message):
        publish(program, TODAY, amounts=amounts)
    assert not RateCard.objects.exists()


@pytest.mark.parametrize("currency", ["euro", "XYZ", "E1R", ""])
def test_it_refuses_a_currency_that_is_not_a_code(program, currency):
    with pytest.raises(CompensationError, match="not an ISO 4217 currency code"):
        publish(program, TODAY, currency=currency)
    assert not RateCard.objects.exists()


def test_a_card_is_never_edited_or_deleted(program):
    card = publish(program, TODAY)
    card.hourly_rate = Decimal("1.00")
    with pytest.raises(Exception, match="append-only"):
        card.save()
    with pytest.raises(Exception, match="append-only"):
        RateCard.objects.filter(pk=card.pk).update(hourly_rate=Decimal("1.00"))
    with pytest.raises(Exception, match="append-only"):
        card.delete()
    card.refresh_from_db()
    assert card.hourly_rate == Decimal("25.00")


def test_the_card_in_force_changes_over_on_its_effective_date(program):
    v1 = publish(program, dt.date(2026, 9, 1), today=dt.date(2026, 9, 1))
    v2 = publish(program, dt.date(2026, 10, 1), today=dt.date(2026, 9, 1), amounts={"feedback": "20.00"})
    assert rate_card_in_force(program, dt.date(2026, 8, 31)) is None
    assert rate_card_in_force(program, dt.date(2026, 9, 30)) == v1
    assert rate_card_in_force(program, dt.date(2026, 10, 1)) == v2


def test_credits_are_priced_by_the_card_in_force_on_the_day_with_time_frozen(program, artist):
    make_rate_card(program, effective_from=dt.date(2026, 9, 1))
    make_rate_card(program, effective_from=dt.date(2026, 10, 1), feedback="20.00")
    with time_machine.travel(dt.datetime(2026, 9, 30, 23, 30, tzinfo=dt.UTC), tick=False):
        before = credit_record(
            user=artist, program=program, kind=Credit.Kind.FEEDBACK, idempotency_key="fb:1", source_label="Feedback #1"
        )
    with time_machine.travel(dt.datetime(2026, 10, 1, 0, 30, tzinfo=dt.UTC), tick=False):
        after = credit_record(
            user=artist, program=program, kind=Credit.Kind.FEEDBACK, idempotency_key="fb:2", source_label="Feedback #2"
        )
        late = credit_record(
            user=artist,
            program=program,
            kind=Credit.Kind.FEEDBACK,
            idempotency_key="fb:3",
            source_label="Feedback #3, accepted today for work done in September",
            occurred_on=dt.date(2026, 9, 29),
        )
    assert (before.amount, after.amount, late.amount) == (Decimal("15.00"), Decimal("20.00"), Decimal("15.00"))
    assert (before.rate_card.version, after.rate_card.version, late.rate_card.version) == (1, 2, 1)
    assert [line.booked_on for line in LedgerLine.objects.order_by("pk")] == [
        dt.date(2026, 9, 30),
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 1),
    ]
