"""Accepted reports and feedback become credits exactly once (double-click and concurrent), priced by the
program's rate card; the first reporter of a duplicate keeps the full credit."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from programs.models import Credit, LedgerLine
from programs.services.compensation import CompensationError
from submissions.models import BugReport, BugReportEvent, Feedback, ReportNotice, ReportSettings
from submissions.services import reports as services
from submissions.services.reports import ReportError
from tests.conftest import file_report, make_rate_card, report_in

S = BugReport.Status


@pytest.mark.django_db
def test_accepting_a_confirmed_report_records_one_priced_credit_in_the_same_transaction(
    artist, staff, program, rate_card
):
    report = report_in(S.CONFIRMED, artist, program, staff)
    report = services.bug_report_accept(report=report, actor=staff, final_severity="high")
    credit = Credit.objects.get()
    assert report.credit == credit and report.accepted_by == staff and report.accepted_at is not None
    assert (credit.user, credit.program, credit.kind, credit.severity) == (artist, program, "bug_report", "high")
    assert credit.idempotency_key == f"bug_report:{report.program_id}:{report.pk}"
    assert (credit.amount, credit.currency) == (Decimal("80.00"), "EUR")
    assert credit.source_url == reverse("submissions:report_detail", args=[report.pk])
    assert credit.source_label.startswith(f"Bug report #{report.pk}: ")
    assert LedgerLine.objects.get(credit=credit).amount == Decimal("80.00")
    assert report.events.filter(kind=BugReportEvent.Kind.CREDIT, to_status="bug_report").count() == 1
    assert "accepted for credit" in ReportNotice.objects.filter(user=artist).latest("pk").subject


@pytest.mark.django_db
def test_a_second_accept_double_click_is_refused_and_credits_nothing_twice(artist, staff, program, rate_card):
    report = report_in(S.FIXED, artist, program, staff)
    services.bug_report_accept(report=report, actor=staff, final_severity="low")
    with pytest.raises(ReportError, match="already accepted"):
        services.bug_report_accept(report=report, actor=staff, final_severity="low")
    assert Credit.objects.count() == 1 and LedgerLine.objects.count() == 1
    assert report.events.filter(kind=BugReportEvent.Kind.CREDIT).count() == 1


@pytest.mark.django_db
def test_a_double_post_of_the_accept_button_credits_once(client, artist, staff, program, rate_card):
    report = report_in(S.CONFIRMED, artist, program, staff)
    client.force_login(staff)
    url = reverse("submissions:report_accept", args=[report.pk])
    first = client.post(url, {"final_severity": "medium"}, follow=True)
    second = client.post(url, {"final_severity": "medium"}, follow=True)
    assert "accepted for credit" in first.content.decode()
    assert "already accepted" in second.content.decode()
    assert Credit.objects.filter(idempotency_key=f"bug_report:{report.program_id}:{report.pk}").count() == 1


@pytest.mark.django_db
def test_the_first_reporter_keeps_the_credit_and_the_duplicate_gets_the_duplicate_rate(
    artist, other_artist, staff, program, rate_card
):
    first = report_in(S.CONFIRMED, other_artist, program, staff)
    later = report_in(S.DUPLICATE, artist, program, staff, original=first)
    services.bug_report_accept(report=first, actor=staff, final_severity="high")
    services.bug_report_accept(report=later, actor=staff, final_severity="high")
    original_credit, duplicate_credit = Credit.objects.get(user=other_artist), Credit.objects.get(user=artist)
    assert (original_credit.kind, original_credit.amount) == ("bug_report", Decimal("80.00"))
    assert (duplicate_credit.kind, duplicate_credit.amount) == ("bug_report_duplicate", Decimal("5.00"))
    assert "the earlier reporter keeps the full credit" in ReportNotice.objects.filter(user=artist).latest("pk").message


@pytest.mark.django_db
def test_a_duplicate_priced_at_zero_counts_but_moves_no_money(artist, other_artist, staff, program):
    make_rate_card(program, bug_report_duplicate="0.00")
    first = report_in(S.CONFIRMED, other_artist, program, staff)
    later = report_in(S.DUPLICATE, artist, program, staff, original=first)
    services.bug_report_accept(report=later, actor=staff, final_severity="low")
    assert Credit.objects.get(user=artist).amount == Decimal("0.00")
    assert not LedgerLine.objects.filter(user=artist).exists()


@pytest.mark.django_db
def test_a_program_can_refuse_credits_for_duplicates(artist, other_artist, staff, program, rate_card):
    ReportSettings.objects.create(program=program, credit_duplicates=False)
    first = file_report(other_artist, program)
    later = report_in(S.DUPLICATE, artist, program, staff, original=first)
    with pytest.raises(ReportError, match="does not credit duplicate"):
        services.bug_report_accept(report=later, actor=staff, final_severity="low")
    later.refresh_from_db()
    assert not later.is_accepted and later.final_severity == ""  # the severity set on the way rolled back too
    assert not Credit.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("status", [S.NEW, S.TRIAGED, S.NEEDS_INFO, S.NOT_A_BUG, S.WONT_FIX])
def test_only_confirmed_fixed_or_duplicate_reports_are_credited(artist, staff, program, rate_card, status):
    report = report_in(status, artist, program, staff)
    with pytest.raises(ReportError, match="Only confirmed, fixed or duplicate"):
        services.bug_report_accept(report=report, actor=staff, final_severity="low")
    assert not Credit.objects.exists()


@pytest.mark.django_db
def test_accepting_needs_a_final_severity(artist, staff, program, rate_card):
    report = report_in(S.CONFIRMED, artist, program, staff)
    with pytest.raises(ReportError, match="Set a final severity first"):
        services.bug_report_accept(report=report, actor=staff)
    services.bug_report_set_severity(report=report, actor=staff, severity="critical")
    services.bug_report_accept(report=report, actor=staff)
    assert Credit.objects.get().amount == Decimal("150.00")


@pytest.mark.django_db
def test_once_credited_the_severity_and_the_duplicate_link_are_frozen(artist, other_artist, staff, program, rate_card):
    earlier = file_report(other_artist, program)
    report = report_in(S.FIXED, artist, program, staff)
    services.bug_report_accept(report=report, actor=staff, final_severity="medium")
    with pytest.raises(ReportError, match="cannot change now"):
        services.bug_report_set_severity(report=report, actor=staff, severity="critical")
    reopened = services.bug_report_reopen(report=report, actor=staff, reason="Regression")
    with pytest.raises(ReportError):
        services.bug_report_mark_duplicate(report=reopened, actor=staff, original=earlier, reason="Same")


@pytest.mark.django_db
def test_without_a_rate_card_in_force_nothing_is_accepted(artist, staff, program):
    report = report_in(S.CONFIRMED, artist, program, staff)
    with pytest.raises(CompensationError, match="no rate card"):
        services.bug_report_accept(report=report, actor=staff, final_severity="low")
    report.refresh_from_db()
    assert not report.is_accepted and report.credit is None
    assert not report.events.filter(kind=BugReportEvent.Kind.CREDIT).exists()


@pytest.mark.django_db
def test_the_refusal_of_the_ledger_is_shown_on_the_page(client, artist, staff, program):
    report = report_in(S.CONFIRMED, artist, program, staff)
    client.force_login(staff)
    response = client.post(
        reverse("submissions:report_accept", args=[report.pk]), {"final_severity": "low"}, follow=True
    )
    assert "no rate card in force" in response.content.decode()


@pytest.mark.django_db
def test_only_program_staff_accept(artist, other_artist, program, rate_card, staff):
    report = report_in(S.CONFIRMED, artist, program, staff)
    with pytest.raises(ReportError, match="Only program staff"):
        services.bug_report_accept(report=report, actor=other_artist, final_severity="low")


@pytest.mark.django_db
def test_feedback_is_credited_once_after_staff_read_it(artist, staff, program, rate_card):
    feedback = services.feedback_submit(author=artist, program=program, kind="idea", body="Loop mode")
    with pytest.raises(ReportError, match="Read the feedback first"):
        services.feedback_accept(feedback=feedback, actor=staff)
    feedback = services.feedback_plan(feedback=feedback, actor=staff, reason="In 0.9.4")
    feedback = services.feedback_accept(feedback=feedback, actor=staff)
    credit = Credit.objects.get()
    assert feedback.credit == credit
    assert (credit.kind, credit.amount, credit.idempotency_key) == (
        "feedback",
        Decimal("15.00"),
        f"feedback:{feedback.program_id}:{feedback.pk}",
    )
    with pytest.raises(ReportError, match="already accepted"):
        services.feedback_accept(feedback=feedback, actor=staff)
    assert Credit.objects.count() == 1


def _race(target, n: int = 2):
    """Run `target` in n threads released at the same instant; return what each returned or raised."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = target()
        except Exception as exc:  # a thread reports whatever it hit; the test inspects it
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_of_one_report_record_one_credit(artist, staff, program):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL")
    make_rate_card(program)
    report = report_in(S.CONFIRMED, artist, program, staff)
    results = _race(lambda: services.bug_report_accept(report=report, actor=staff, final_severity="medium"), n=4)
    accepted = [r for r in results if isinstance(r, BugReport)]
    refused = [r for r in results if isinstance(r, ReportError)]
    assert len(accepted) == 1 and len(refused) == 3, results
    assert Credit.objects.filter(idempotency_key=f"bug_report:{report.program_id}:{report.pk}").count() == 1
    assert LedgerLine.objects.filter(user=artist).count() == 1
    assert BugReportEvent.objects.filter(report=report, kind=BugReportEvent.Kind.CREDIT).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_of_one_feedback_record_one_credit(artist, staff, program):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL")
    make_rate_card(program)
    feedback = services.feedback_submit(author=artist, program=program, kind="praise", body="Lovely grain")
    feedback = services.feedback_acknowledge(feedback=feedback, actor=staff)
    results = _race(lambda: services.feedback_accept(feedback=feedback, actor=staff), n=4)
    assert sum(isinstance(r, Feedback) for r in results) == 1, results
    assert Credit.objects.filter(kind="feedback").count() == 1
