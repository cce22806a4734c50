"""Exits: whatever is still pending when an artist deletes their account is settled or withdrawn, as the deletion
page says, and no payout run ever includes an account that cannot be paid."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.personal_data.deletion import REASON, account_delete
from programs.models import Enrolment, LedgerLine, PendingCredit, TimeEntry
from programs.selectors.compensation import unpayable_reason
from programs.services import compensation, payout_runs
from programs.services.compensation import CompensationError
from programs.services.credit_bookings import credit_book
from tests.conftest import make_rate_card

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaving(program, artist, other_artist, staff):
    """The artist owes nothing and is owed: approved hours, an award, waiting and queried hours, a correction
    waiting, a pending credit, and a place in a payout run under review."""
    make_rate_card(program)
    today = timezone.localdate()
    log = lambda minutes: compensation.timeentry_log(  # noqa: E731
        user=artist, program=program, worked_on=today, minutes=minutes, category="testing"
    )
    approved = log(60)
    compensation.timeentry_approve(entry=approved, actor=staff)
    waiting, queried = log(30), log(45)
    compensation.timeentry_query(entry=queried, actor=staff, reason="Which build?")
    correction = compensation.timeentry_log(user=artist, program=program, worked_on=today, minutes=90,
                                            category="testing", corrects=approved)  # fmt: skip
    for person, key in ((artist, "a"), (other_artist, "b")):
        compensation.award_record(user=person, program=program, title="Prize", amount="25.00", reason="Good.",
                                  idempotency_key=key, actor=staff)  # fmt: skip
    credit_book(user=artist, program=program, kind="feedback", reference="old", source_label="Feedback",
                occurred_on=today.replace(year=today.year - 3))  # fmt: skip
    run = payout_runs.payoutrun_create(program=program, currency="EUR", actor=staff)
    return {"waiting": [waiting, queried, correction], "approved": approved, "run": run}


def test_deletion_withdraws_waiting_hours_and_takes_the_account_out_of_runs(program, artist, staff, leaving):
    account_delete(user=artist)
    for entry in leaving["waiting"]:
        entry.refresh_from_db()
        assert entry.status == TimeEntry.Status.WITHDRAWN
        assert entry.events.last().reason == REASON
    leaving["approved"].refresh_from_db()
    assert leaving["approved"].status == TimeEntry.Status.APPROVED  # approved work stays on the record
    item = leaving["run"].items.get(user=artist)
    assert (item.status, item.failure_reason) == ("excluded", REASON)
    assert "Ada" not in " ".join(leaving["run"].events.values_list("reason", flat=True))
    assert PendingCredit.objects.get(user=artist).status == PendingCredit.Status.DROPPED
    with pytest.raises(CompensationError, match="cannot be made: the account was deleted"):
        payout_runs.payoutrun_item_include(item=item, include=True, actor=staff)
    run = payout_runs.payoutrun_confirm(run=leaving["run"], actor=staff)
    assert not LedgerLine.objects.filter(user=artist, kind="paid").exists()
    assert run.items.get(user__email="other@example.com").status == "paid"


def test_no_new_run_includes_a_deleted_account_and_nothing_more_is_paid_to_it(program, artist, staff, leaving):
    payout_runs.payoutrun_cancel(run=leaving["run"], actor=staff)
    account_delete(user=artist)
    artist.refresh_from_db()
    assert "deleted" in unpayable_reason(artist)
    run = payout_runs.payoutrun_create(program=program, currency="EUR", actor=staff)
    assert list(run.items.values_list("user__email", flat=True)) == ["other@example.com"]
    refusals = [
        lambda: compensation.award_record(user=artist, program=program, title="Late", amount="5.00", reason="Late.",
                                          idempotency_key="late", actor=staff),
        lambda: compensation.credit_record(user=artist, program=program, kind="feedback", idempotency_key="late",
                                           source_label="Late feedback", actor=staff),
        lambda: compensation.payout_record(user=artist, program=program, amount="5.00", currency="EUR",
                                           method="other", idempotency_key="late", actor=staff),
    ]  # fmt: skip
    for refused in refusals:
        with pytest.raises(CompensationError, match="account was deleted"):
            refused()


def test_an_account_deleted_after_the_draft_is_not_paid_when_the_run_is_confirmed(program, artist, staff, leaving):
    Enrolment.objects.filter(user=artist).update(status=Enrolment.Status.LEFT)  # leaving alone never stops pay
    artist.refresh_from_db()
    assert unpayable_reason(artist) is None
    run = leaving["run"]
    # Deleted behind the run's back (not through account_delete, which would take it out of the run first).
    type(artist).objects.filter(pk=artist.pk).update(deleted_at=timezone.now())
    payout_runs.payoutrun_confirm(run=run, actor=staff)
    item = run.items.get(user=artist)
    assert item.status == "not_paid" and "deleted" in item.failure_reason
    assert not LedgerLine.objects.filter(user=artist, kind="paid").exists()


def test_the_deletion_page_says_what_happens_to_each_pending_record(client, artist):
    client.force_login(artist)
    page = client.get(reverse("personal_data:delete")).text
    for promise in ("Hours waiting for approval or queried by staff are withdrawn", "no payout run includes a deleted",
                    "taken out of it", "waiting to be booked are dropped", "can no longer earn credit"):  # fmt: skip
        assert promise in page
