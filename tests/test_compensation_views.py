"""The artist's compensation pages and statements: own money only, refusals shown, nothing leaked."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from programs.forms.compensation import NewTimeEntryForm
from programs.models import Credit, Enrolment, TimeEntry
from programs.services.compensation import award_record, credit_record, payout_record, timeentry_approve
from tests.conftest import bulk_ledger_lines, make_rate_card


def TOKEN() -> dict:
    """The token the server puts in each hours form it shows."""
    return {"form_token": NewTimeEntryForm.base_fields["form_token"].issue()}


pytestmark = pytest.mark.django_db


@pytest.fixture
def earnings(program, artist, other_artist, staff, rate_card):
    """The artist earned a bug report and an award and was paid part; the other artist earned something else."""
    credit_record(
        user=artist,
        program=program,
        kind=Credit.Kind.BUG_REPORT,
        severity="critical",
        idempotency_key="bug:7",
        source_label="Bug report #7: <script>alert(1)</script> hands melt",
        source_url="/reports/7/",
    )
    award_record(
        user=artist,
        program=program,
        title="Screening selection",
        amount="333.33",
        reason="Jury pick.",
        idempotency_key="award:1",
        actor=staff,
    )
    payout_record(
        user=artist,
        program=program,
        amount="100.00",
        currency="EUR",
        method="bank_transfer",
        idempotency_key="pay:1",
        actor=staff,
        external_reference="SEPA-991",
    )
    award_record(
        user=other_artist,
        program=program,
        title="Other prize",
        amount="777.77",
        reason="Secret.",
        idempotency_key="award:2",
        actor=staff,
    )


def month_kwargs(program):
    today = timezone.localdate()
    return {"slug": program.slug, "year": today.year, "month": today.month}


def test_the_overview_shows_earned_paid_owed_and_the_effective_rate(client, program, artist, earnings):
    client.force_login(artist)
    body = client.get(reverse("compensation:overview")).content.decode()
    assert "483.33" in body  # earned: 150.00 + 333.33
    assert "100.00" in body  # paid
    assert "383.33" in body  # owed
    assert "no hours logged" in body
    assert "777.77" not in body


def test_an_artist_never_sees_another_artists_money(client, program, artist, other_artist, earnings):
    client.force_login(other_artist)
    for url in (
        reverse("compensation:overview"),
        reverse("compensation:program", args=[program.slug]),
        reverse("compensation:statement", kwargs=month_kwargs(program)),
        reverse("compensation:statement_csv", kwargs=month_kwargs(program)),
    ):
        body = client.get(url).content.decode()
        assert "777.77" in body
        assert "333.33" not in body and "hands melt" not in body, url


def test_reviewers_and_staff_without_an_enrolment_see_no_money(client, program, reviewer, earnings):
    client.force_login(reviewer)
    body = client.get(reverse("compensation:overview")).content.decode()
    assert "You have no compensation records" in body
    assert "333.33" not in body and "777.77" not in body
    assert client.get(reverse("compensation:statement", kwargs=month_kwargs(program))).status_code == 404


def test_the_statement_traces_every_line_to_its_source_and_escapes_text(client, program, artist, earnings):
    client.force_login(artist)
    body = client.get(reverse("compensation:statement", kwargs=month_kwargs(program))).content.decode()
    assert '<a href="/reports/7/">' in body
    assert "&lt;script&gt;" in body and "<script>alert" not in body
    assert "Award: Screening selection" in body
    assert "Payout by bank transfer, reference SEPA-991" in body
    assert "383.33" in body  # closing balance


def test_the_statement_csv_has_every_line_and_neutralises_formulas(client, program, artist, staff, rate_card):
    credit_record(
        user=artist,
        program=program,
        kind=Credit.Kind.FEEDBACK,
        idempotency_key="fb:1",
        source_label='=HYPERLINK("http://evil")',
    )
    client.force_login(artist)
    response = client.get(reverse("compensation:statement_csv", kwargs=month_kwargs(program)))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    lines = text.strip().splitlines()
    assert lines[0] == "date,currency,kind,description,source,amount,balance,reason"
    assert "opening" in lines[1] and "closing" in lines[-1]
    assert "'Accepted feedback: =HYPERLINK" not in text  # the label starts with the kind, so it is safe as text
    assert ",15.00,15.00," in text


def test_the_statement_pdf_is_a_real_pdf_with_the_lines(client, program, artist, earnings):
    client.force_login(artist)
    response = client.get(reverse("compensation:statement_pdf", kwargs=month_kwargs(program)))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "statement" in text
    assert "Screening selection" in text
    assert "SEPA-991" in text
    assert "383.33" in text


def test_an_artist_logs_hours_from_the_page(client, program, artist, rate_card):
    client.force_login(artist)
    day = timezone.localdate()
    response = client.post(
        reverse("compensation:log_hours", args=[program.slug]),
        {
            "worked_on": day.isoformat(),
            "hours": "1.75",
            "category": "waiting_on_review",
            "note": "Queue was slow.",
            **TOKEN(),
        },
    )
    entry = TimeEntry.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#entry-{entry.pk}")
    assert (entry.minutes, entry.category, entry.status) == (105, "waiting_on_review", "pending")


def test_a_refused_entry_is_shown_and_nothing_is_written(client, program, artist, rate_card):
    client.force_login(artist)
    future = timezone.localdate() + dt.timedelta(days=2)
    response = client.post(
        reverse("compensation:log_hours", args=[program.slug]),
        {"worked_on": future.isoformat(), "hours": "2", "category": "testing", **TOKEN()},
        follow=True,
    )
    assert f"to {timezone.localdate():%-d %b %Y} (today)" in response.content.decode()
    assert not TimeEntry.objects.exists()
    response = client.post(reverse("compensation:log_hours", args=[program.slug]), {"hours": "-1"})
    assert response.status_code == 400
    assert not TimeEntry.objects.exists()


def test_editing_an_approved_entry_is_refused_with_a_message(client, program, artist, staff, rate_card):
    client.force_login(artist)
    day = timezone.localdate()
    client.post(
        reverse("compensation:log_hours", args=[program.slug]),
        {"worked_on": day, "hours": "2", "category": "testing", **TOKEN()},
    )
    entry = TimeEntry.objects.get()
    timeentry_approve(entry=entry, actor=staff)
    response = client.post(
        reverse("compensation:update_hours", args=[program.slug, entry.pk]),
        {"worked_on": day, "hours": "5", "category": "testing"},
        follow=True,
    )
    assert "approved, so it cannot be changed: log a correction instead" in response.content.decode()
    entry.refresh_from_db()
    assert entry.minutes == 120
    response = client.post(
        reverse("compensation:correct_hours", args=[program.slug, entry.pk]),
        {"worked_on": day, "hours": "1.5", "category": "testing", "note": "Logged twice by mistake."},
        follow=True,
    )
    assert "replaces" in response.content.decode()
    assert TimeEntry.objects.get(corrects=entry).minutes == 90


def test_another_artist_cannot_touch_my_entries(client, program, artist, other_artist, rate_card):
    client.force_login(artist)
    client.post(
        reverse("compensation:log_hours", args=[program.slug]),
        {"worked_on": timezone.localdate(), "hours": "2", "category": "testing", **TOKEN()},
    )
    entry = TimeEntry.objects.get()
    client.force_login(other_artist)
    for name in ("update_hours", "withdraw_hours", "correct_hours"):
        url = reverse(f"compensation:{name}", args=[program.slug, entry.pk])
        assert (
            client.post(url, {"worked_on": timezone.localdate(), "hours": "9", "category": "other"}).status_code == 404
        )
    entry.refresh_from_db()
    assert (entry.status, entry.minutes) == ("pending", 120)


def test_an_artist_who_left_still_sees_statements_but_cannot_log_hours(client, program, artist, earnings):
    Enrolment.objects.filter(user=artist).update(status=Enrolment.Status.LEFT)
    client.force_login(artist)
    page = client.get(reverse("compensation:program", args=[program.slug])).content.decode()
    assert 'name="worked_on"' not in page and "Your place in" in page and "ended on" in page
    assert client.get(reverse("compensation:statement", kwargs=month_kwargs(program))).status_code == 200
    response = client.post(
        reverse("compensation:log_hours", args=[program.slug]),
        {"worked_on": timezone.localdate(), "hours": "1", "category": "testing", **TOKEN()},
        follow=True,
    )
    refusal = response.content.decode()  # why (her place ended), and where to see whether she can come back
    assert "Your place in" in refusal and "ended on" in refusal
    assert f'<a href="{reverse("programs:detail", args=[program.slug])}">' in refusal
    assert not TimeEntry.objects.exists()


def test_mutating_views_refuse_get(client, program, artist):
    client.force_login(artist)
    assert client.get(reverse("compensation:log_hours", args=[program.slug])).status_code == 405


def test_an_impossible_month_is_404(client, program, artist, earnings):
    client.force_login(artist)
    assert client.get(reverse("compensation:statement", args=[program.slug, 2026, 13])).status_code == 404


def test_the_program_page_shows_the_rate_card_before_anyone_applies(client, program):
    make_rate_card(program, hourly_rate="27.50")
    make_rate_card(program, effective_from=timezone.localdate() + dt.timedelta(days=30), hourly_rate="30.00")
    body = client.get(reverse("programs:detail", args=[program.slug])).content.decode()
    assert "What the program pays" in body
    assert "€27.50" in body and "€30.00" in body
    assert "work you have already done is always paid at the" in body


def test_the_statement_page_runs_a_constant_number_of_queries(client, program, artist, rate_card):
    client.force_login(artist)
    url = reverse("compensation:statement", kwargs=month_kwargs(program))
    bulk_ledger_lines(artist, program, 10)
    client.get(url)  # the first request of a session also records the session (allauth usersessions)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    bulk_ledger_lines(artist, program, 200, start=10)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.content.decode().count("<tr>") >= 210
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
