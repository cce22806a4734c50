"""Grants (issue 17): apply, decide with a published reason, milestones paid once through the ledger, missed
deadlines shown in public, and the pages' access and refusals."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from calls.models import GrantApplication, GrantMilestone
from calls.services import grants as services
from programs.models import LedgerLine
from programs.selectors.compensation import statement_for
from tests.grants_helpers import apply, award, make_round, plans

pytestmark = pytest.mark.django_db
S = GrantApplication.Status


@pytest.fixture
def round(program):
    return make_round(program)


def test_an_artist_applies_and_the_decision_is_due_after_the_rounds_days(round, artist):
    application = apply(round, artist)
    assert application.status == S.SUBMITTED
    assert application.budget == Decimal("1500.00")
    due = application.decision_due_at - application.created_at
    assert dt.timedelta(days=13, hours=23) < due <= dt.timedelta(days=14)
    assert [e.to_status for e in application.events.all()] == [S.SUBMITTED]


def test_sending_the_form_twice_keeps_one_application(round, artist):
    assert apply(round, artist) == apply(round, artist)
    assert GrantApplication.objects.count() == 1


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        ("-100", "must be more than zero"),
        ("0", "must be more than zero"),
        ("lots", "is not a number"),
        ("NaN", "is not a number"),
        ("", "is not a number"),
        ("12.345", "EUR has at most 2 decimals"),
        ("2000.01", "at most"),
    ],
)
def test_a_bad_budget_is_refused_with_a_clear_message_and_nothing_is_stored(round, artist, budget, message):
    with pytest.raises(services.GrantError, match=message):
        apply(round, artist, budget=budget)
    assert not GrantApplication.objects.exists()


def test_the_apply_page_shows_the_refusal_and_keeps_what_was_typed(client, round, artist):
    client.force_login(artist)
    url = reverse("calls:grant_apply", args=[round.pk])
    response = client.post(
        url,
        {
            "project_title": "Tidewater",
            "project_description": "x",
            "budget": "-5",
            "budget_breakdown": "x",
            "schedule": "x",
        },
    )
    assert response.status_code == 200
    assert "The budget must be more than zero." in response.content.decode()
    assert 'value="Tidewater"' in response.content.decode()
    assert not GrantApplication.objects.exists()


def test_only_artists_of_the_program_apply_while_the_round_is_open(round, reviewer, artist):
    with pytest.raises(services.GrantError, match="for its artists"):
        apply(round, reviewer)
    round.closes_at = timezone.now() - dt.timedelta(minutes=1)
    round.save(update_fields=["closes_at"])
    with pytest.raises(services.GrantError, match="closed"):
        apply(round, artist)


def test_an_application_is_private_to_its_applicant_and_staff(client, round, artist, other_artist, staff):
    application = apply(round, artist)
    url = reverse("calls:grant_application", args=[application.pk])
    client.force_login(other_artist)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 200
    client.force_login(artist)
    assert "Tidewater" in client.get(url).content.decode()


def test_an_award_is_paid_in_milestones_each_booked_once(round, artist, staff):
    application = award(apply(round, artist), staff, "600.00", "400.00")
    assert application.status == S.AWARDED and application.amount_awarded == Decimal("1000.00")
    first, second = application.milestones.all()
    services.milestone_confirm(milestone=first, actor=staff)
    with pytest.raises(services.GrantMoveRefused, match="already confirmed"):
        services.milestone_confirm(milestone=GrantMilestone.objects.get(pk=first.pk), actor=staff)
    line = LedgerLine.objects.get(source=LedgerLine.Source.GRANT)
    assert (line.amount, line.currency, line.user, line.idempotency_key) == (
        Decimal("600.00"),
        "EUR",
        artist,
        f"grant_milestone:{first.pk}",
    )
    second.refresh_from_db()
    assert second.status == GrantMilestone.Status.PENDING
    today = timezone.localdate()
    statement = statement_for(artist, round.program, today.year, today.month)
    assert any("Tidewater" in row.label and "Step 1" in row.label for row in statement.currencies[0].rows)


def test_a_double_click_on_confirm_pays_one_line(client, round, artist, staff):
    milestone = award(apply(round, artist), staff, "700.00").milestones.get()
    client.force_login(staff)
    url = reverse("calls:grant_milestone_confirm", args=[milestone.pk])
    for _ in range(2):
        assert client.post(url).status_code == 302
    assert LedgerLine.objects.filter(source=LedgerLine.Source.GRANT).count() == 1


def test_a_decision_needs_a_reason_from_the_published_list_that_fits(round, artist, staff):
    application = apply(round, artist)
    with pytest.raises(services.GrantError, match="published list"):
        services.grant_decline(application=application, actor=staff, reason="meets_criteria")
    with pytest.raises(services.GrantError, match="published list"):
        services.grant_award(application=application, actor=staff, reason="because", milestones=plans("10.00"))
    declined = services.grant_decline(application=application, actor=staff, reason="outside_criteria", note="Sorry.")
    assert declined.status == S.DECLINED and declined.get_reason_display() == "Outside the round's criteria"
    with pytest.raises(services.GrantMoveRefused, match="already decided"):
        award(GrantApplication.objects.get(pk=application.pk), staff)


def test_awards_stay_within_the_rounds_budget(program, artist, other_artist, staff):
    round = make_round(program, budget=Decimal("1500.00"))
    award(apply(round, artist), staff, "1000.00")
    with pytest.raises(services.GrantError, match="left of the round's budget"):
        award(apply(round, other_artist), staff, "600.00")
    with pytest.raises(services.GrantError, match="not a number"):
        award(GrantApplication.objects.get(applicant=other_artist), staff, "six hundred")


def test_only_staff_decide_and_nobody_pays_themselves(round, artist, other_artist):
    application = apply(round, artist)
    with pytest.raises(services.GrantError, match="Only the program's staff"):
        award(application, other_artist)


def test_a_late_decision_is_shown_publicly_as_missed(client, round, artist, other_artist, staff):
    late = apply(round, artist)
    services.grant_decline(
        application=late, actor=staff, reason="incomplete", now=late.decision_due_at + dt.timedelta(days=2)
    )
    on_time = apply(round, other_artist)
    award(on_time, staff)
    page = client.get(reverse("calls:grant_round", args=[round.pk])).content.decode()
    assert "Missed for 1 application" in page
    assert "1 decided late" in page
    assert "Tidewater" not in page  # the public sees counts, never who applied


def test_the_applicant_withdraws_before_a_decision(round, artist, other_artist):
    application = apply(round, artist)
    with pytest.raises(services.GrantError, match="Only the applicant"):
        services.grant_withdraw(application=application, actor=other_artist)
    assert services.grant_withdraw(application=application, actor=artist).status == S.WITHDRAWN


def test_staff_award_through_the_page_with_milestones(client, round, artist, staff):
    application = apply(round, artist)
    client.force_login(staff)
    due = (timezone.localdate() + dt.timedelta(days=40)).isoformat()
    response = client.post(
        reverse("calls:grant_decide", args=[application.pk]),
        {
            "outcome": "award",
            "reason": "partial_funding",
            "milestone_1_title": "Script",
            "milestone_1_amount": "300",
            "milestone_1_due": due,
            "milestone_2_title": "Cut",
            "milestone_2_amount": "200",
            "milestone_2_due": due,
        },
        follow=True,
    )
    assert "Awarded." in response.content.decode()
    application.refresh_from_db()
    assert application.amount_awarded == Decimal("500.00")
    assert [m.title for m in application.milestones.all()] == ["Script", "Cut"]
