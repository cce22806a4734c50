"""Staff pages and the admin: bulk approval, rate cards, awards, payout runs; the ledger is never edited."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.celery import app
from programs.models import Credit, LedgerLine, PayoutRun, RateCard, TimeEntry
from programs.selectors.compensation import balance
from programs.services.compensation import award_record, timeentry_log
from programs.tasks.compensation import accrue_stipends
from tests.conftest import RATE_CARD_AMOUNTS, make_rate_card

pytestmark = pytest.mark.django_db


def award(program, user, amount="120.00", key="award:1"):
    return award_record(
        user=user, program=program, title="Prize", amount=amount, reason="Good.", idempotency_key=key, actor=None
    )


def log(program, user, minutes=60):
    return timeentry_log(
        user=user, program=program, worked_on=timezone.localdate(), minutes=minutes, category="testing"
    )


def test_staff_approve_hours_in_bulk_and_query_one(client, program, artist, other_artist, staff, rate_card):
    first, second, third = log(program, artist), log(program, other_artist, 30), log(program, artist, 15)
    client.force_login(staff)
    page = client.get(reverse("programs:hours_queue", args=[program.slug])).content.decode()
    assert f'value="{first.pk}"' in page and f'value="{second.pk}"' in page
    response = client.post(
        reverse("programs:hours_approve", args=[program.slug]), {"entry": [first.pk, second.pk]}, follow=True
    )
    assert "Approved 2 entries." in response.content.decode()
    response = client.post(
        reverse("programs:hours_query", args=[program.slug, third.pk]), {"reason": "Which build?"}, follow=True
    )
    assert "queried" in response.content.decode()
    statuses = dict(TimeEntry.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "approved", second.pk: "approved", third.pk: "queried"}
    assert balance(artist, program, "EUR") == Decimal("25.00")
    assert balance(other_artist, program, "EUR") == Decimal("12.50")


def test_a_double_submitted_bulk_approval_pays_once(client, program, artist, staff, rate_card):
    entry = log(program, artist)
    client.force_login(staff)
    url = reverse("programs:hours_approve", args=[program.slug])
    client.post(url, {"entry": [entry.pk]})
    response = client.post(url, {"entry": [entry.pk]}, follow=True)
    assert "approved, so it cannot be changed" in response.content.decode()
    assert LedgerLine.objects.count() == 1


def test_a_query_needs_a_reason(client, program, artist, staff, rate_card):
    entry = log(program, artist)
    client.force_login(staff)
    response = client.post(reverse("programs:hours_query", args=[program.slug, entry.pk]), {"reason": ""}, follow=True)
    assert "Say what is unclear" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == "pending"


def test_staff_publish_a_rate_card_and_a_past_date_is_refused(client, program, staff, rate_card):
    client.force_login(staff)
    url = reverse("programs:ratecard_create", args=[program.slug])
    data = {**RATE_CARD_AMOUNTS, "currency": "EUR", "stipend_period": "none", "note": "Raise for everyone."}
    response = client.post(url, {**data, "effective_from": timezone.localdate().isoformat()})
    assert response.status_code == 400
    assert "never apply to the past" in response.content.decode()
    assert RateCard.objects.count() == 1
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(url, {**data, "hourly_rate": "31.00", "effective_from": tomorrow.isoformat()})
    assert response.status_code == 302
    assert RateCard.objects.get(version=2).hourly_rate == Decimal("31.00")


def test_staff_record_an_award_once_even_when_submitted_twice(client, program, artist, staff, rate_card):
    client.force_login(staff)
    form = client.get(reverse("programs:award_new", args=[program.slug])).context["form"]
    data = {
        "artist": artist.pk,
        "title": "Best short",
        "amount": "250.00",
        "reason": "Festival jury.",
        "submission_token": form.fields["submission_token"].initial,
    }
    url = reverse("programs:award_create", args=[program.slug])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Credit.objects.filter(kind="award").count() == 1
    assert balance(artist, program, "EUR") == Decimal("250.00")


def test_a_payout_run_from_draft_to_csv_and_a_failure(client, program, artist, other_artist, staff, rate_card):
    award(program, artist, "120.00", "a:1")
    award(program, other_artist, "80.00", "a:2")
    client.force_login(staff)
    response = client.post(
        reverse("programs:payoutrun_new", args=[program.slug]), {"currency": "EUR", "method": "payment_provider"}
    )
    run = PayoutRun.objects.get()
    assert response["Location"] == reverse("programs:payoutrun_detail", args=[program.slug, run.pk])
    csv_url = reverse("programs:payoutrun_csv", args=[program.slug, run.pk])
    assert client.get(csv_url).status_code == 302  # a draft is not exported
    confirm = reverse("programs:payoutrun_confirm", args=[program.slug, run.pk])
    client.post(confirm)
    client.post(confirm)  # double click
    assert LedgerLine.objects.filter(kind="paid").count() == 2
    export = client.get(csv_url)
    rows = export.content.decode().strip().splitlines()
    assert export["Content-Type"].startswith("text/csv") and len(rows) == 3
    assert "artist@example.com,120.00,EUR" in export.content.decode()
    item = run.items.get(user=artist)
    fail = reverse("programs:payoutrun_item_fail", args=[program.slug, run.pk, item.pk])
    client.post(fail, {"reason": "Account closed"})
    assert balance(artist, program, "EUR") == Decimal("120.00")
    assert balance(other_artist, program, "EUR") == Decimal("0.00")


def test_staff_see_an_artists_statement_and_other_staff_do_not(client, program, artist, other_artist, staff, rate_card):
    award(program, artist)
    today = timezone.localdate()
    url = reverse("programs:artist_statement", args=[program.slug, artist.pk, today.year, today.month])
    client.force_login(other_artist)
    assert client.get(url).status_code == 403
    client.force_login(staff)
    assert "120.00" in client.get(url).content.decode()


def test_staff_of_another_program_cannot_manage_this_one(client, program, artist, rate_card):
    from programs.models import ProgramRole
    from tests.conftest import make_program, make_user

    elsewhere = make_user("elsewhere@example.com", is_staff=True)
    ProgramRole.objects.create(user=elsewhere, program=make_program(slug="other"), role=ProgramRole.Role.STAFF)
    award(program, artist)
    client.force_login(elsewhere)
    assert client.get(reverse("programs:compensation_staff", args=[program.slug])).status_code == 403
    assert client.post(reverse("programs:payoutrun_new", args=[program.slug]), {"currency": "EUR"}).status_code == 403
    assert not PayoutRun.objects.exists()


# --- The admin -----------------------------------------------------------------------------------


def test_the_admin_never_edits_or_deletes_ledger_lines(client, program, artist, superuser, rate_card):
    line = award(program, artist).line
    client.force_login(superuser)
    change = reverse("admin:programs_ledgerline_change", args=[line.pk])
    assert client.get(change).status_code == 200  # view only
    assert client.post(change, {"amount": "1.00"}).status_code == 403
    assert client.post(reverse("admin:programs_ledgerline_delete", args=[line.pk]), {"post": "yes"}).status_code == 403
    changelist = reverse("admin:programs_ledgerline_changelist")
    client.post(changelist, {"action": "delete_selected", "_selected_action": [line.pk], "post": "yes"})
    assert LedgerLine.objects.get().amount == Decimal("120.00")
    assert client.get(reverse("admin:programs_ledgerline_add")).status_code == 403


def test_the_admin_reverses_lines_only_with_a_reason(client, program, artist, superuser, rate_card):
    line = award(program, artist).line
    client.force_login(superuser)
    changelist = reverse("admin:programs_ledgerline_changelist")
    page = client.post(changelist, {"action": "reverse_lines", "_selected_action": [line.pk]})
    assert "Reason" in page.content.decode()
    assert LedgerLine.objects.count() == 1
    client.post(
        changelist,
        {"action": "reverse_lines", "_selected_action": [line.pk], "confirmed": "1", "reason": "Wrong artist"},
    )
    assert LedgerLine.objects.get(reverses=line).reason == "Wrong artist"
    assert balance(artist, program, "EUR") == Decimal("0.00")


def test_the_admin_approves_hours_in_bulk(client, program, artist, superuser, rate_card):
    entries = [log(program, artist, 60), log(program, artist, 30)]
    client.force_login(superuser)
    client.post(
        reverse("admin:programs_timeentry_changelist"),
        {"action": "approve_entries", "_selected_action": [e.pk for e in entries]},
    )
    assert set(TimeEntry.objects.values_list("status", flat=True)) == {"approved"}
    assert balance(artist, program, "EUR") == Decimal("37.50")


# --- Stipends on a schedule ----------------------------------------------------------------------


def test_the_stipend_job_is_scheduled_and_idempotent(program, artist, other_artist, monkeypatch):
    from django.conf import settings

    monkeypatch.setattr(app.conf, "task_always_eager", True)  # run in-process even where a broker is configured

    entry = settings.CELERY_BEAT_SCHEDULE["accrue-stipends"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    make_rate_card(program, stipend_amount="200.00", stipend_period="monthly")
    accrue_stipends.delay()
    accrue_stipends.delay()
    assert LedgerLine.objects.filter(source="stipend").count() == 2
    assert balance(artist, program, "EUR") == Decimal("200.00")
