"""core.lifecycle and core.history: the one way a status moves, and the history it leaves."""

import datetime as dt
import threading
import time

import pytest
from django.db import DatabaseError, connection, connections, transaction

from core import lifecycle
from core.errors import TransitionRefused
from programs.models import Enrolment, EnrolmentEvent, Invitation, InvitationEvent, PayoutRunItem
from programs.services.compensation import award_record
from programs.services.invitations import invitation_send
from programs.services.payout_runs import payoutrun_confirm, payoutrun_create, payoutrun_items_withdraw
from submissions.models import BugReport, BugReportEvent
from submissions.services import reports
from tests.conftest import file_report, make_user

S = Enrolment.Status
NEEDS_POSTGRESQL = (
    "needs PostgreSQL's row locks and DELETE triggers: set DATABASE_URL (the services run of .ci/run does)"
)


def _enrolment(artist) -> Enrolment:
    return Enrolment.objects.get(user=artist)


@pytest.mark.django_db
def test_a_refused_move_names_the_states_by_their_labels(artist):
    enrolment = _enrolment(artist)
    lifecycle.move(enrolment, S.LEFT, actor=artist)
    with pytest.raises(TransitionRefused) as refused:
        lifecycle.move(enrolment, S.PAUSED, actor=artist)
    assert refused.value.message == "This enrolment is left, so it cannot become paused."


@pytest.mark.django_db
def test_a_refusal_uses_labels_that_differ_from_the_codes(artist, program):
    report = file_report(artist, program, submit=False)
    with pytest.raises(TransitionRefused) as refused:
        lifecycle.move(report, BugReport.Status.NOT_A_BUG)
    assert refused.value.message == "This bug report is draft, so it cannot become not a bug."
    assert "not_a_bug" not in refused.value.message


@pytest.mark.django_db
def test_a_state_can_explain_itself_instead(artist, program, staff, rate_card):
    from programs.models import TimeEntry
    from programs.services.compensation import timeentry_approve, timeentry_log

    entry = timeentry_log(
        user=artist, program=program, worked_on=program.created_at.date(), minutes=30, category="testing"
    )
    timeentry_approve(entry=entry, actor=staff)
    with pytest.raises(TransitionRefused, match="approved, so it cannot be changed: log a correction instead"):
        lifecycle.move(entry, TimeEntry.Status.QUERIED, actor=staff)


@pytest.mark.django_db
def test_each_move_writes_exactly_one_history_row(artist, staff):
    enrolment = _enrolment(artist)
    before = EnrolmentEvent.objects.filter(enrolment=enrolment).count()
    lifecycle.move(enrolment, S.PAUSED, actor=staff, reason="A break.")
    lifecycle.move(enrolment, S.ACTIVE, actor=staff)
    events = list(EnrolmentEvent.objects.filter(enrolment=enrolment).order_by("pk"))[before:]
    assert [(e.from_status, e.to_status, e.actor, e.reason) for e in events] == [
        (S.ACTIVE, S.PAUSED, staff, "A break."),
        (S.PAUSED, S.ACTIVE, staff, ""),
    ]
    assert (events[0].from_label, events[0].to_label) == ("Active", "Paused")


@pytest.mark.django_db
def test_a_refused_move_writes_nothing(artist):
    enrolment = _enrolment(artist)
    before = EnrolmentEvent.objects.count()
    with pytest.raises(TransitionRefused):
        lifecycle.move(enrolment, S.INVITED)
    enrolment.refresh_from_db()
    assert (enrolment.status, EnrolmentEvent.objects.count()) == (S.ACTIVE, before)


@pytest.mark.django_db
def test_a_stale_copy_never_overwrites_a_newer_status(artist, staff):
    stale = _enrolment(artist)
    lifecycle.move(_enrolment(artist), S.LEFT, actor=artist)
    assert stale.status == S.ACTIVE
    with pytest.raises(TransitionRefused, match="is left, so it cannot become paused"):
        lifecycle.move(stale, S.PAUSED, actor=staff)
    assert _enrolment(artist).status == S.LEFT


@pytest.mark.django_db
def test_a_conditional_move_leaves_a_row_that_no_longer_matches(artist):
    enrolment = _enrolment(artist)
    assert lifecycle.move(enrolment, S.PAUSED, when={"status": S.INVITED}) is None
    assert _enrolment(artist).status == S.ACTIVE


@pytest.mark.django_db
def test_history_rows_refuse_to_be_updated(artist, staff):
    lifecycle.move(_enrolment(artist), S.PAUSED, actor=staff, reason="A break.")
    event = EnrolmentEvent.objects.filter(to_status=S.PAUSED).get()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        EnrolmentEvent.objects.filter(pk=event.pk).update(reason="Something else.")
    event.refresh_from_db()
    assert event.reason == "A break."


@pytest.mark.django_db
def test_only_the_time_of_a_history_row_may_be_set_back(artist, staff):
    """The demo and the fixtures date their stories; nothing else of a row changes."""
    lifecycle.move(_enrolment(artist), S.PAUSED, actor=staff)
    event = EnrolmentEvent.objects.filter(to_status=S.PAUSED).get()
    earlier = event.created_at - dt.timedelta(days=30)
    EnrolmentEvent.objects.filter(pk=event.pk).update(created_at=earlier)
    for change in ({"to_status": S.LEFT}, {"actor": None}, {"from_status": ""}):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            EnrolmentEvent.objects.filter(pk=event.pk).update(**change)
    event.refresh_from_db()
    assert (event.created_at, event.to_status, event.actor) == (earlier, S.PAUSED, staff)


@pytest.mark.django_db
def test_history_rows_refuse_to_be_deleted_on_their_own(artist, staff):
    if connection.vendor != "postgresql":
        pytest.skip(NEEDS_POSTGRESQL)
    lifecycle.move(_enrolment(artist), S.PAUSED, actor=staff)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        EnrolmentEvent.objects.filter(to_status=S.PAUSED).delete()
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the check runs at commit; the test never commits
    assert EnrolmentEvent.objects.filter(to_status=S.PAUSED).exists()


@pytest.mark.django_db
def test_a_record_deleted_whole_takes_its_history_with_it(artist, program):
    draft = file_report(artist, program, submit=False)
    assert BugReportEvent.objects.filter(report=draft).count() == 1
    with transaction.atomic():
        reports.bug_report_discard_draft(report=draft, actor=artist)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert not BugReportEvent.objects.filter(report_id=draft.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_erasure_racing_a_confirmation_never_unpays_a_paid_item(program, artist, staff, rate_card):
    """The old code read the account's items, then locked the run and overwrote their status: a run confirmed in
    between had its paid item turned back to "excluded" while the ledger kept the payment."""
    if connection.vendor != "postgresql":
        pytest.skip(NEEDS_POSTGRESQL)
    award_record(
        user=artist, program=program, title="Prize", amount="50.00", reason="Good.", idempotency_key="k", actor=None
    )
    run = payoutrun_create(program=program, currency="EUR", actor=staff)
    confirmed, withdrawn = threading.Event(), {}

    def confirm():
        try:
            with transaction.atomic():
                payoutrun_confirm(run=run, actor=staff)
                confirmed.set()
                time.sleep(1)  # the erasure reads the item meanwhile, then waits for the run's lock
        finally:
            connections.close_all()

    def erase():
        try:
            confirmed.wait(10)
            with transaction.atomic():  # as in account_delete
                withdrawn["count"] = payoutrun_items_withdraw(user=artist, reason="The artist deleted their account.")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm), threading.Thread(target=erase)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert withdrawn == {"count": 0}
    assert PayoutRunItem.objects.get(run=run, user=artist).status == PayoutRunItem.Status.PAID


@pytest.mark.django_db
def test_erasure_declines_pending_invitations_with_a_history_row(program, staff):
    from accounts.personal_data.deletion import account_delete

    invitee = make_user("invitee@example.com")
    invitation = invitation_send(program=program, cohort=program.cohorts.get(), email=invitee.email, actor=staff)
    account_delete(user=invitee)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    events = InvitationEvent.objects.filter(invitation=invitation)
    assert [(e.from_status, e.to_status, e.actor_id) for e in events] == [
        ("", Invitation.Status.PENDING, staff.pk),
        (Invitation.Status.PENDING, Invitation.Status.DECLINED, invitee.pk),
    ]
