"""The ledger: append-only, positive amounts, payouts recorded once and never above the balance."""

import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.models import Credit, LedgerLine
from programs.models.compensation import AppendOnlyError
from programs.selectors.compensation import balance, money_for
from programs.services.compensation import (
    CompensationError,
    award_record,
    credit_record,
    line_reverse,
    payout_record,
)
from tests.conftest import make_rate_card

pytestmark = pytest.mark.django_db


def earn(user, program, amount="100.00", key="award:1"):
    return award_record(
        user=user, program=program, title="Prize", amount=amount, reason="Good work.", idempotency_key=key, actor=None
    ).line


def pay(user, program, amount, key="payout:1", actor=None):
    return payout_record(
        user=user,
        program=program,
        amount=amount,
        currency="EUR",
        method="bank_transfer",
        idempotency_key=key,
        actor=actor,
        external_reference="BANK-123",
    )


def test_a_payout_is_recorded_with_method_and_reference(program, artist, staff, rate_card):
    earn(artist, program)
    line, created = pay(artist, program, "60.00", actor=staff)
    assert created
    assert (line.kind, line.amount, line.method, line.external_reference) == (
        "paid",
        Decimal("60.00"),
        "bank_transfer",
        "BANK-123",
    )
    money = money_for(artist, program)["EUR"]
    assert (money.earned, money.paid, money.owed) == (Decimal("100.00"), Decimal("60.00"), Decimal("40.00"))


def test_a_double_submit_records_one_payout(program, artist, staff, rate_card):
    earn(artist, program)
    first, created_first = pay(artist, program, "60.00")
    second, created_second = pay(artist, program, "60.00")
    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert LedgerLine.objects.filter(kind="paid").count() == 1
    assert balance(artist, program, "EUR") == Decimal("40.00")


def test_it_refuses_a_key_reused_for_a_different_payout(program, artist, rate_card):
    earn(artist, program)
    pay(artist, program, "60.00")
    with pytest.raises(CompensationError, match="already used for a different line"):
        pay(artist, program, "30.00")
    assert LedgerLine.objects.filter(kind="paid").count() == 1


def test_it_refuses_a_payout_above_the_balance(program, artist, rate_card):
    earn(artist, program)
    with pytest.raises(CompensationError, match=r"above what .* owes them \(€100.00\)"):
        pay(artist, program, "100.01")
    assert not LedgerLine.objects.filter(kind="paid").exists()


def test_a_second_payout_of_the_same_money_under_a_new_key_is_refused(program, artist, rate_card):
    earn(artist, program)
    pay(artist, program, "100.00", key="payout:1")
    with pytest.raises(CompensationError, match="above what"):
        pay(artist, program, "100.00", key="payout:2")
    assert LedgerLine.objects.filter(kind="paid").count() == 1


@pytest.mark.parametrize(("amount", "message"), [("-10.00", "more than zero"), ("0", "more than zero")])
def test_it_refuses_a_payout_that_is_not_positive(program, artist, rate_card, amount, message):
    earn(artist, program)
    with pytest.raises(CompensationError, match=message):
        pay(artist, program, amount)
    assert LedgerLine.objects.count() == 1


def test_it_refuses_a_payout_without_a_key(program, artist, rate_card):
    earn(artist, program)
    with pytest.raises(CompensationError, match="idempotency key is required"):
        pay(artist, program, "10.00", key=" ")
    assert LedgerLine.objects.count() == 1


def test_reversing_a_failed_payout_restores_the_balance(program, artist, staff, rate_card):
    earn(artist, program)
    paid, _ = pay(artist, program, "100.00")
    assert balance(artist, program, "EUR") == Decimal("0.00")
    reversal = line_reverse(line=paid, reason="The bank returned the transfer.", actor=staff)
    assert (reversal.kind, reversal.reverses, reversal.amount) == ("reversed", paid, Decimal("100.00"))
    assert balance(artist, program, "EUR") == Decimal("100.00")
    paid.refresh_from_db()
    assert paid.kind == "paid" and paid.amount == Decimal("100.00")  # the original stays as it was


def test_reversing_an_earned_line_lowers_the_balance(program, artist, staff, rate_card):
    line = earn(artist, program)
    line_reverse(line=line, reason="Awarded to the wrong artist.", actor=staff)
    assert balance(artist, program, "EUR") == Decimal("0.00")


def test_it_refuses_to_reverse_twice_a_reversal_or_without_reason(program, artist, staff, rate_card):
    line = earn(artist, program)
    with pytest.raises(CompensationError, match="needs a reason"):
        line_reverse(line=line, reason="", actor=staff)
    reversal = line_reverse(line=line, reason="Wrong artist.", actor=staff)
    with pytest.raises(CompensationError, match="already reversed"):
        line_reverse(line=line, reason="Again.", actor=staff)
    with pytest.raises(CompensationError, match="itself a reversal"):
        line_reverse(line=reversal, reason="Undo.", actor=staff)
    assert LedgerLine.objects.count() == 2


def test_lines_are_never_updated_or_deleted(program, artist, rate_card):
    line = earn(artist, program)
    line.amount = Decimal("1.00")
    with pytest.raises(AppendOnlyError):
        line.save()
    with pytest.raises(AppendOnlyError):
        LedgerLine.objects.filter(pk=line.pk).update(amount=Decimal("1.00"))
    with pytest.raises(AppendOnlyError):
        LedgerLine.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        line.delete()
    assert LedgerLine.objects.get().amount == Decimal("100.00")


@pytest.mark.parametrize("amount", ["-1.00", "0.00"])
def test_the_database_refuses_a_line_that_is_not_positive(program, artist, rate_card, amount):
    line = LedgerLine(
        program=program,
        user=artist,
        kind="earned",
        source="credit",
        amount=Decimal(amount),
        currency="EUR",
        booked_on="2026-09-01",
        idempotency_key="raw:1",
        label="Bypassing the services",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        line.save()
    assert not LedgerLine.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_of_one_payout_record_one_line(program, artist, rate_card):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL")
    earn(artist, program, amount="100.00")
    results, errors = _race(lambda: pay(artist, program, "70.00", key="payout:race"))
    assert not errors
    assert (
        sorted(created for _, created in results) == [False, True, True, True, True][:0]
        or sum(created for _, created in results) == 1
    )
    assert len({line.pk for line, _ in results}) == 1
    assert LedgerLine.objects.filter(kind="paid").count() == 1
    assert balance(artist, program, "EUR") == Decimal("30.00")


@pytest.mark.django_db(transaction=True)
def test_concurrent_payouts_under_different_keys_never_overdraw(program, artist, rate_card):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL")
    earn(artist, program, amount="100.00")
    counter = iter(range(100))
    results, errors = _race(lambda: pay(artist, program, "70.00", key=f"payout:{next(counter)}"))
    assert len(results) == 1
    assert all(isinstance(error, CompensationError) for error in errors)
    assert balance(artist, program, "EUR") == Decimal("30.00")


@pytest.mark.django_db(transaction=True)
def test_concurrent_credits_with_one_key_record_one_credit(program, artist, rate_card):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL")
    results, errors = _race(
        lambda: credit_record(
            user=artist,
            program=program,
            kind=Credit.Kind.FEEDBACK,
            idempotency_key="feedback:9:accepted",
            source_label="Feedback #9",
        )
    )
    assert not errors
    assert len({credit.pk for credit in results}) == 1
    assert Credit.objects.count() == 1
    assert LedgerLine.objects.count() == 1


def _race(work, threads: int = 5):
    """Run `work` in several threads released at the same moment; return (results, errors)."""
    barrier = threading.Barrier(threads)
    results, errors = [], []
    lock = threading.Lock()

    def run():
        try:
            barrier.wait()
            outcome = work()
            with lock:
                results.append(outcome)
        except Exception as error:  # collected and asserted on by the caller
            with lock:
                errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=30)
    return results, errors


# --- Property: any sequence of earn / pay / reverse keeps the books straight ------------------------
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000.00"), places=2)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("earn"), amounts),
        st.tuples(st.just("pay"), amounts),
        st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=50)),
    ),
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_any_sequence_keeps_balance_equal_to_the_lines_and_payouts_never_overdraw(program, artist, ops):
    with transaction.atomic():
        make_rate_card(program)
        expected = Decimal("0.00")
        for step, (op, value) in enumerate(ops):
            before = balance(artist, program, "EUR")
            try:
                if op == "earn":
                    earn(artist, program, amount=value, key=f"award:{step}")
                elif op == "pay":
                    pay(artist, program, value, key=f"payout:{step}")
                else:
                    lines = list(LedgerLine.objects.filter(user=artist).exclude(kind="reversed").order_by("pk"))
                    if lines:
                        line_reverse(line=lines[value % len(lines)], reason="Property test.", actor=None)
            except CompensationError:
                assert balance(artist, program, "EUR") == before  # a refusal writes nothing
                if op == "pay":
                    assert value > before
                continue
            if op == "pay":
                assert before >= value
                assert balance(artist, program, "EUR") >= 0
        for line in LedgerLine.objects.filter(user=artist).select_related("reverses"):
            if line.kind == "earned" or (line.kind == "reversed" and line.reverses.kind == "paid"):
                expected += line.amount
            else:
                expected -= line.amount
            assert line.amount > 0
        assert balance(artist, program, "EUR") == expected
        money = money_for(artist, program).get("EUR")
        assert money is None or money.owed == expected
        transaction.set_rollback(True)


def test_the_database_itself_refuses_to_update_a_line(program, artist, rate_card):
    line = earn(artist, program)
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE programs_ledgerline SET amount = 1 WHERE id = %s", [line.pk])
    assert LedgerLine.objects.get().amount == Decimal("100.00")


def test_on_postgresql_the_database_refuses_to_delete_a_line(program, artist, rate_card):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (SQLite keeps DELETE for Django's test flush)")
    line = earn(artist, program)
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM programs_ledgerline WHERE id = %s", [line.pk])
    assert LedgerLine.objects.filter(pk=line.pk).exists()
