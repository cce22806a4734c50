"""Stipends and payout runs: accrue once per period; draft, review, confirm, export, reconcile failures."""

import datetime as dt
from decimal import Decimal

import pytest

from programs.models import Enrolment, LedgerLine, PayoutRun, PayoutRunItem
from programs.selectors.compensation import balance, payout_run_csv_rows
from programs.services.compensation import CompensationError, award_record, stipend_accrue
from programs.services.payout_runs import (
    payoutrun_cancel,
    payoutrun_confirm,
    payoutrun_create,
    payoutrun_item_fail,
    payoutrun_item_include,
)
from tests.conftest import make_rate_card

pytestmark = pytest.mark.django_db


def earn(user, program, amount, key):
    award_record(
        user=user, program=program, title="Prize", amount=amount, reason="Good.", idempotency_key=key, actor=None
    )


def test_a_monthly_stipend_is_accrued_once_per_artist_and_month(program, artist, other_artist):
    make_rate_card(program, effective_from=dt.date(2026, 8, 1), stipend_amount="250.00", stipend_period="monthly")
    Enrolment.objects.filter(user=other_artist).update(status=Enrolment.Status.LEFT)
    first = stipend_accrue(program=program, on=dt.date(2026, 9, 1), today=dt.date(2026, 9, 1))
    again = stipend_accrue(program=program, on=dt.date(2026, 9, 17), today=dt.date(2026, 9, 17))
    october = stipend_accrue(program=program, on=dt.date(2026, 10, 1), today=dt.date(2026, 10, 1))
    assert [(line.user, line.amount, line.label) for line in first] == [
        (artist, Decimal("250.00"), "Monthly stipend for 2026-09 (rate card v1)")
    ]
    assert again == []
    assert len(october) == 1
    assert balance(artist, program, "EUR") == Decimal("500.00")
    assert balance(other_artist, program, "EUR") == Decimal("0.00")


def test_no_stipend_without_one_on_the_card(program, artist, rate_card):
    assert stipend_accrue(program=program) == []
    assert not LedgerLine.objects.exists()


def test_a_payout_run_pays_everyone_owed_once(program, artist, other_artist, staff, rate_card):
    earn(artist, program, "120.00", "a:1")
    earn(other_artist, program, "80.00", "a:2")
    run = payoutrun_create(program=program, currency="EUR", actor=staff)
    assert [(item.user, item.amount) for item in run.items.order_by("-amount")] == [
        (artist, Decimal("120.00")),
        (other_artist, Decimal("80.00")),
    ]
    payoutrun_item_include(item=run.items.get(user=other_artist), include=False, actor=staff)
    payoutrun_confirm(run=run, actor=staff)
    payoutrun_confirm(run=run, actor=staff)  # a double submit records nothing new
    run.refresh_from_db()
    assert run.status == "confirmed"
    paid = LedgerLine.objects.get(kind="paid")
    assert (paid.user, paid.amount, paid.payout_run, paid.idempotency_key) == (
        artist,
        Decimal("120.00"),
        run,
        f"{run.idempotency_key}:{artist.pk}",
    )
    assert paid.external_reference == run.reference
    assert balance(artist, program, "EUR") == Decimal("0.00")
    assert balance(other_artist, program, "EUR") == Decimal("80.00")
    rows = payout_run_csv_rows(run)
    assert rows[0] == ["run_reference", "payout_key", "payee_name", "payee_email", "amount", "currency", "method"]
    assert rows[1:] == [
        [run.reference, paid.idempotency_key, "Ada Artist", "artist@example.com", "120.00", "EUR", "payment_provider"]
    ]


def test_it_refuses_a_second_draft_and_a_run_with_nobody_owed(program, artist, staff, rate_card):
    with pytest.raises(CompensationError, match="nothing to pay"):
        payoutrun_create(program=program, currency="EUR", actor=staff)
    earn(artist, program, "10.00", "a:1")
    payoutrun_create(program=program, currency="EUR", actor=staff)
    with pytest.raises(CompensationError, match="still under review"):
        payoutrun_create(program=program, currency="EUR", actor=staff)
    assert PayoutRun.objects.count() == 1


def test_a_payout_whose_balance_dropped_is_not_paid_and_the_others_are(program, artist, other_artist, staff, rate_card):
    earn(artist, program, "50.00", "a:1")
    earn(other_artist, program, "40.00", "a:2")
    run = payoutrun_create(program=program, currency="EUR", actor=staff)
    from programs.services.compensation import line_reverse

    line_reverse(line=LedgerLine.objects.get(user=artist), reason="Given in error.", actor=staff)
    payoutrun_confirm(run=run, actor=staff)
    run.refresh_from_db()
    assert run.status == "confirmed"
    dropped, paid = run.items.get(user=artist), run.items.get(user=other_artist)
    assert (dropped.status, paid.status) == ("not_paid", "paid")
    assert "above what Lumen owes them" in dropped.failure_reason
    assert list(LedgerLine.objects.filter(kind="paid").values_list("user", flat=True)) == [other_artist.pk]
    assert run.events.filter(to_status="not_paid", reason__contains="above what").exists()


def test_a_failed_payout_is_reconciled_by_reversal(program, artist, staff, rate_card):
    earn(artist, program, "75.00", "a:1")
    run = payoutrun_confirm(run=payoutrun_create(program=program, currency="EUR", actor=staff), actor=staff)
    item = run.items.get()
    with pytest.raises(CompensationError, match="Say why"):
        payoutrun_item_fail(item=item, reason="", actor=staff)
    payoutrun_item_fail(item=item, reason="IBAN rejected by the bank", actor=staff)
    item.refresh_from_db()
    assert (item.status, item.failure_reason) == ("failed", "IBAN rejected by the bank")
    reversal = LedgerLine.objects.get(kind="reversed")
    assert reversal.reverses.payout_run == run
    assert reversal.reason == "Payout failed: IBAN rejected by the bank"
    assert balance(artist, program, "EUR") == Decimal("75.00")
    with pytest.raises(CompensationError, match="Only a paid item can fail"):
        payoutrun_item_fail(item=item, reason="Again", actor=staff)
    assert run.events.filter(to_status="failed").count() == 1


def test_a_cancelled_run_cannot_be_confirmed(program, artist, staff, rate_card):
    earn(artist, program, "75.00", "a:1")
    run = payoutrun_cancel(run=payoutrun_create(program=program, currency="EUR", actor=staff), actor=staff)
    with pytest.raises(CompensationError, match="cancelled"):
        payoutrun_confirm(run=run, actor=staff)
    with pytest.raises(CompensationError, match="Only a run under review"):
        payoutrun_item_include(item=PayoutRunItem.objects.get(), include=False, actor=staff)
    assert not LedgerLine.objects.filter(kind="paid").exists()


def test_a_stipend_starts_with_the_artists_cohort(program, artist):
    from programs.models import Cohort

    make_rate_card(program, effective_from=dt.date(2026, 8, 1), stipend_amount="250.00", stipend_period="monthly")
    Cohort.objects.filter(enrolments__user=artist).update(starts_on=dt.date(2026, 10, 5))
    assert stipend_accrue(program=program, on=dt.date(2026, 10, 1), today=dt.date(2026, 10, 1)) == []
    assert len(stipend_accrue(program=program, on=dt.date(2026, 10, 5), today=dt.date(2026, 10, 5))) == 1
