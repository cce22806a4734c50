"""Nobody pays themselves: every money action refuses when the person acting is the one who would be paid.

The case reported: staff enrolled as an artist awarded themselves 5,000. Each service that moves money to a
person, each staff page and each admin action that reaches one, is tried by staff on their own account.
"""

import inspect
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from programs.models import Credit, LedgerLine, PayoutRun, PayoutRunItem, TimeEntry
from programs.services import compensation, payout_runs
from programs.services.compensation import CompensationError
from programs.services.roles import program_role_grant
from submissions.services import reports
from tests.conftest import enrol, make_rate_card, make_user, report_in

pytestmark = pytest.mark.django_db
REFUSED = "yourself"


@pytest.fixture
def w(program, staff, artist):
    """Staff `me`, also enrolled as an artist and owed 100 EUR; a colleague; my waiting hours; runs that pay me."""
    make_rate_card(program)
    enrol(staff, program)
    colleague = make_user("colleague@example.com", display_name="Cole League")
    program_role_grant(user=colleague, program=program, role="staff")
    compensation.award_record(user=staff, program=program, title="Prize", amount="100.00", reason="Good.",
                              idempotency_key="mine", actor=colleague)  # fmt: skip
    compensation.award_record(user=artist, program=program, title="Prize", amount="40.00", reason="Good.",
                              idempotency_key="theirs", actor=colleague)  # fmt: skip
    entry = compensation.timeentry_log(user=staff, program=program, worked_on=timezone.localdate(), minutes=60,
                                       category="testing")  # fmt: skip
    draft = payout_runs.payoutrun_create(program=program, currency="EUR", actor=colleague)
    return SimpleNamespace(
        program=program, me=staff, colleague=colleague, artist=artist, entry=entry, draft=draft,
        my_line=LedgerLine.objects.get(user=staff, kind="earned"), my_item=draft.items.get(user=staff),
    )  # fmt: skip


def _paid_run(w):
    """A confirmed run (by the colleague) that paid me; made once."""
    if not hasattr(w, "paid_run"):
        payout_runs.payoutrun_item_include(item=w.my_item, include=True, actor=w.colleague)
        w.paid_run = payout_runs.payoutrun_confirm(run=w.draft, actor=w.colleague)
    return w.paid_run


def _money_state():
    return (Credit.objects.count(), LedgerLine.objects.count(), TimeEntry.objects.filter(status="approved").count(),
            list(PayoutRunItem.objects.order_by("pk").values_list("status", flat=True)),
            list(PayoutRun.objects.order_by("pk").values_list("status", flat=True)))  # fmt: skip


def award(w):
    compensation.award_record(user=w.me, program=w.program, title="Me", amount="5000.00", reason="Mine.",
                              idempotency_key="self", actor=w.me)  # fmt: skip


def credit(w):
    compensation.credit_record(user=w.me, program=w.program, kind="feedback", idempotency_key="self",
                               source_label="My feedback", actor=w.me)  # fmt: skip


def accept_own_bug_report(w):
    report = report_in("confirmed", w.me, w.program, w.me)
    reports.bug_report_accept(report=report, actor=w.me, final_severity="critical")


def accept_own_feedback(w):
    feedback = reports.feedback_submit(author=w.me, program=w.program, kind="idea", body="Pay me.")
    feedback = reports.feedback_answer(feedback=feedback, actor=w.me, reason="Good idea.")
    reports.feedback_accept(feedback=feedback, actor=w.me)


def payout(w):
    compensation.payout_record(user=w.me, program=w.program, amount="100.00", currency="EUR", method="other",
                               idempotency_key="self", actor=w.me)  # fmt: skip


def reverse_own_line(w):
    compensation.line_reverse(line=w.my_line, reason="Oops.", actor=w.me)


def approve_own_hours(w):
    compensation.timeentry_approve(entry=w.entry, actor=w.me)


def include_own_payout(w):
    payout_runs.payoutrun_item_include(item=w.my_item, include=True, actor=w.me)


def confirm_run_that_pays_me(w):
    payout_runs.payoutrun_item_include(item=w.my_item, include=True, actor=w.colleague)
    payout_runs.payoutrun_confirm(run=w.draft, actor=w.me)


def fail_own_payout(w):
    run = _paid_run(w)
    payout_runs.payoutrun_item_fail(item=run.items.get(user=w.me), reason="Say it bounced.", actor=w.me)


SERVICE_ACTIONS = [
    award, credit, accept_own_bug_report, accept_own_feedback, payout, reverse_own_line, approve_own_hours,
    include_own_payout, confirm_run_that_pays_me, fail_own_payout,
]  # fmt: skip


@pytest.mark.parametrize("action", SERVICE_ACTIONS, ids=lambda action: action.__name__)
def test_every_money_service_refuses_paying_the_actor(w, action):
    if action is fail_own_payout:
        _paid_run(w)  # the setup's own writes are not what is measured
    before = _money_state()
    with pytest.raises(CompensationError, match=REFUSED if action is not approve_own_hours else "your own hours"):
        action(w)
    if action not in (accept_own_bug_report, accept_own_feedback):  # their setup writes reports, not money
        assert _money_state() == before


def test_drafting_a_run_leaves_the_drafters_own_payout_out(w):
    payout_runs.payoutrun_cancel(run=w.draft, actor=w.colleague)
    draft = payout_runs.payoutrun_create(program=w.program, currency="EUR", actor=w.me)
    assert draft.items.get(user=w.me).status == "excluded"
    assert draft.items.get(user=w.artist).status == "included"
    assert "another member of staff must include it" in draft.events.get().reason
    run = payout_runs.payoutrun_confirm(run=draft, actor=w.me)
    assert not LedgerLine.objects.filter(kind="paid", user=w.me, payout_run=run).exists()


def test_bulk_approval_refuses_the_actors_own_hours_and_approves_the_rest(w, program):
    theirs = compensation.timeentry_log(user=w.artist, program=program, worked_on=timezone.localdate(), minutes=30,
                                        category="testing")  # fmt: skip
    approved, refused = compensation.timeentry_approve_many(entries=[w.entry, theirs], actor=w.me)
    assert [e.pk for e in approved] == [theirs.pk] and [e.pk for e, _ in refused] == [w.entry.pk]


# Every public function of the two money modules: tested above, or why it pays nobody.
NOT_A_PAYMENT = {
    "money": "parses an amount", "currency_code": "parses a code", "credit_key": "makes a key",
    "refuse_self_payment": "the guard itself", "refuse_deleted_account": "a guard",
    "ratecard_publish": "prices for everyone, never retroactive; no beneficiary",
    "timeentry_log": "the artist logs their own hours (approval is the money action)",
    "timeentry_resubmit": "the artist edits their own hours", "timeentry_withdraw": "gives money up",
    "timeentry_query": "asks a question; no money moves", "timeentry_approve_many": "each through timeentry_approve",
    "stipend_period_of": "a date calculation", "stipend_accrue": "automatic (no actor), per the rate card",
    "payoutrun_create": "the drafter's own payout starts excluded (tested)", "payoutrun_cancel": "pays nobody",
    "payoutrun_items_withdraw": "takes a deleted account out of runs",
}  # fmt: skip
TESTED = {
    "award_record": award, "credit_record": credit, "payout_record": payout, "line_reverse": reverse_own_line,
    "timeentry_approve": approve_own_hours, "payoutrun_item_include": include_own_payout,
    "payoutrun_confirm": confirm_run_that_pays_me, "payoutrun_item_fail": fail_own_payout,
}  # fmt: skip


def test_every_money_service_is_covered():
    for module in (compensation, payout_runs):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                assert name in TESTED or name in NOT_A_PAYMENT, f"{module.__name__}.{name}: who may it pay?"


# --- The staff pages and the admin actions that reach these services ---------------------------------------


def _url(name, w, **kwargs):
    return reverse(f"programs:{name}", kwargs={"slug": w.program.slug, **kwargs})


def page_award(client, w):
    form = client.get(_url("award_new", w)).context["form"]
    data = {"artist": w.me.pk, "title": "Me", "amount": "5000.00", "reason": "Mine.",
            "submission_token": form.fields["submission_token"].initial}  # fmt: skip
    return client.post(_url("award_create", w), data)


def page_approve_hours(client, w):
    return client.post(_url("hours_approve", w), {"entry": [w.entry.pk]}, follow=True)


def page_include_own(client, w):
    return client.post(_url("payoutrun_item_toggle", w, pk=w.draft.pk, item_pk=w.my_item.pk), {"include": "1"},
                       follow=True)  # fmt: skip


def page_confirm(client, w):
    payout_runs.payoutrun_item_include(item=w.my_item, include=True, actor=w.colleague)
    return client.post(_url("payoutrun_confirm", w, pk=w.draft.pk), follow=True)


def page_fail_own(client, w):
    run = _paid_run(w)
    item = run.items.get(user=w.me)
    return client.post(_url("payoutrun_item_fail", w, pk=run.pk, item_pk=item.pk), {"reason": "Bounced."}, follow=True)


def _admin(model):
    return reverse(f"admin:programs_{model._meta.model_name}_changelist")


def admin_reverse(client, w):
    data = {"action": "reverse_lines", "_selected_action": [w.my_line.pk], "confirmed": "1", "reason": "Oops"}
    return client.post(_admin(LedgerLine), data, follow=True)


def admin_approve_hours(client, w):
    return client.post(_admin(TimeEntry), {"action": "approve_entries", "_selected_action": [w.entry.pk]}, follow=True)


def admin_confirm(client, w):
    payout_runs.payoutrun_item_include(item=w.my_item, include=True, actor=w.colleague)
    return client.post(_admin(PayoutRun), {"action": "confirm_runs", "_selected_action": [w.draft.pk]}, follow=True)


def admin_fail_own(client, w):
    item = _paid_run(w).items.get(user=w.me)
    data = {"action": "mark_failed", "_selected_action": [item.pk], "confirmed": "1", "reason": "Bounced"}
    return client.post(_admin(PayoutRunItem), data, follow=True)


PAGE_ACTIONS = [page_award, page_approve_hours, page_include_own, page_confirm, page_fail_own, admin_reverse,
                admin_approve_hours, admin_confirm, admin_fail_own]  # fmt: skip


@pytest.mark.parametrize("action", PAGE_ACTIONS, ids=lambda action: action.__name__)
def test_every_staff_page_and_admin_action_refuses_paying_the_actor(client, w, action):
    client.force_login(w.me)
    response = action(client, w)
    shown = response.content.decode() + " ".join(m.message for m in get_messages(response.wsgi_request))
    assert REFUSED in shown or "your own hours" in shown, shown[:2000]
    mine = LedgerLine.objects.filter(user=w.me)
    assert not Credit.objects.filter(user=w.me, actor=w.me).exists()
    assert not TimeEntry.objects.filter(pk=w.entry.pk, status="approved").exists()
    assert not mine.filter(actor=w.me).exists(), "no line for me was written by me"
    assert sum(mine.filter(kind="earned").values_list("amount", flat=True)) == Decimal("100.00")
