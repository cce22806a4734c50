"""The report page, its open data, caching, snapshots and the public face (home page, sitemap)."""

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import time_machine
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from django.utils import timezone

from programs.models.compensation import AppendOnlyError
from programs.services import compensation as comp
from tests.conftest import make_program
from tests.transparency_world import seed_report_world
from transparency.current import CACHE_SECONDS, REFRESH_SECONDS, report_for
from transparency.definitions import FIGURES, MONTHLY, WHOLE
from transparency.models import TransparencyRelease, TransparencySnapshot
from transparency.report import CSV_HEADER
from transparency.services import SnapshotRefused, transparency_snapshot_publish
from transparency.tasks import refresh_transparency_reports

pytestmark = pytest.mark.django_db
SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "transparency/schema.json").read_text())


@pytest.fixture
def world(program, staff):
    return seed_report_world(program, staff)


def url(name, program, **kwargs):
    return reverse(f"transparency:{name}", kwargs={"slug": program.slug, **kwargs})


# --- Page and open data -----------------------------------------------------------------------------------
def test_the_page_shows_figures_charts_tables_and_definitions(client, program, world):
    html = client.get(url("report", program)).text
    assert "<title>Transparency report of Lumen · Glasshouse</title>" in html
    assert 'property="og:title" content="Transparency report: Lumen"' in html
    report = report_for(program)
    assert f"{int(report['whole_program']['people']['artists_active'])}</strong>" in html
    for section in ("People", "Work", "Money", "Approval"):
        assert f">{section}</h2>" in html
    assert html.count("<svg") >= 4 and 'role="img"' in html
    assert '<th scope="row">' in html and "<caption>" in html
    for figure in FIGURES:  # every figure links to its definition, which exists
        assert f'id="def-{figure.name}"' in html
    assert 'href="#def-hours_logged"' in html
    assert "fewer than 5" in html  # the small cells of the seeded world


def test_a_draft_program_has_no_report(client):
    make_program(slug="secret", status="draft")
    for name in ("report", "report_json", "report_csv"):
        assert client.get(reverse(f"transparency:{name}", args=["secret"])).status_code == 404


def test_the_json_matches_the_committed_schema(client, program, world):
    response = client.get(url("report_json", program))
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    jsonschema.Draft202012Validator(SCHEMA).validate(response.json())


def test_the_schema_names_exactly_the_defined_figures():
    """Adding or renaming a figure without updating schema.json (the published contract) fails here."""
    whole = SCHEMA["properties"]["whole_program"]["properties"]
    monthly = SCHEMA["properties"]["months"]["items"]["properties"]
    for scope, sections in ((WHOLE, whole), (MONTHLY, monthly)):
        in_schema = set()
        for section in sections.values() if scope == WHOLE else [v for k, v in sections.items() if k != "month"]:
            props = section["properties"]
            in_schema |= set(props) - {"by_currency"}
            if "by_currency" in props:
                in_schema |= set(props["by_currency"]["additionalProperties"]["properties"])
        assert in_schema == {f.name for f in FIGURES if scope in f.scopes}, scope


def test_the_csv_is_long_format_with_documented_columns(client, program, world):
    response = client.get(url("report_csv", program))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    lines = response.text.splitlines()
    assert lines[0] == ",".join(CSV_HEADER)
    assert any(line.startswith("all,money,earned,EUR,") for line in lines)
    assert any(",fewer_than_5," in line for line in lines)
    report = report_for(program)
    hours = report["whole_program"]["work"]["hours_logged"]
    assert f"all,work,hours_logged,,{hours},published,hours,Hours logged" in lines


# --- Freshness: releases of at least five artists' events -------------------------------------------------------
def pay(staff, program, people, key: str, amount: str = "2.00") -> None:
    for i, person in enumerate(people):
        comp.payout_record(
            user=person, program=program, amount=amount, currency="EUR", method="bank_transfer",
            idempotency_key=f"{key}:{i}", actor=staff,
        )  # fmt: skip


def paid(client, program) -> str:
    return client.get(url("report_json", program)).json()["whole_program"]["money"]["by_currency"]["EUR"]["paid"]


def test_a_new_payment_shows_with_the_next_release_once_five_artists_changed(client, program, staff, world):
    """Was: a new payment shows within a minute. One artist's payment alone would be read off by difference, so it
    waits for a release: when the artists changed since the last one reach five."""
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        before = paid(client, program)
        clock.shift(dt.timedelta(seconds=1))  # events after the release's time count towards the next one
        pay(staff, program, world[:1], "alone")
        clock.shift(dt.timedelta(seconds=CACHE_SECONDS + 1))
        assert paid(client, program) == before  # checked again, not released: one artist changed
        pay(staff, program, world[1:5], "batch")
        clock.shift(dt.timedelta(seconds=CACHE_SECONDS + 1))
        after = paid(client, program)
    assert comp.money(after, what="paid", currency="EUR") == comp.money(before, what="paid", currency="EUR") + 10


def test_the_beat_job_keeps_public_reports_warm_and_releases_when_due(program, staff, world, django_assert_num_queries):
    make_program(slug="draft-program", status="draft")  # a draft program has no report to keep warm
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert refresh_transparency_reports.delay().get() == 1  # the public program only, not the draft
        with django_assert_num_queries(0):  # a visitor reads the refreshed report from the cache
            paid_before = report_for(program)["whole_program"]["money"]["by_currency"]["EUR"]["paid"]
        clock.shift(dt.timedelta(seconds=1))
        pay(staff, program, world[:5], "warm")
        clock.shift(dt.timedelta(seconds=REFRESH_SECONDS))
        refresh_transparency_reports.delay()
        with django_assert_num_queries(0):
            paid_after = report_for(program)["whole_program"]["money"]["by_currency"]["EUR"]["paid"]
    assert (
        comp.money(paid_after, what="paid", currency="EUR") == comp.money(paid_before, what="paid", currency="EUR") + 10
    )
    assert REFRESH_SECONDS < CACHE_SECONDS  # the job runs before a visitor would find the entry stale
    assert TransparencyRelease.objects.filter(program=program).count() == 2


# --- Snapshots ---------------------------------------------------------------------------------------------
def test_staff_publish_a_snapshot_that_is_listed_and_never_changes(client, program, staff, world):
    client.force_login(staff)
    response = client.post(url("publish", program))
    today = timezone.localdate()
    assert response.status_code == 302
    assert response["Location"] == url("snapshot", program, published_on=today)
    snapshot = TransparencySnapshot.objects.get(program=program)
    assert snapshot.published_by == staff and snapshot.published_on == today
    paid_then = snapshot.data["whole_program"]["money"]["by_currency"]["EUR"]["paid"]
    comp.payout_record(
        user=world[0], program=program, amount="9.00", currency="EUR", method="bank_transfer",
        idempotency_key="after-snapshot", actor=staff,
    )  # fmt: skip
    client.logout()
    page = client.get(url("report", program)).text
    assert url("snapshot", program, published_on=today) in page
    stored = client.get(url("snapshot_json", program, published_on=today)).json()
    assert stored["whole_program"]["money"]["by_currency"]["EUR"]["paid"] == paid_then
    html = client.get(url("snapshot", program, published_on=today)).text
    assert "published snapshot" in html and "Publish today" not in html
    jsonschema.Draft202012Validator(SCHEMA).validate(stored)


def test_a_snapshot_cannot_be_changed_or_replaced(program, staff, world):
    snapshot = transparency_snapshot_publish(program=program, actor=staff)
    with pytest.raises(SnapshotRefused, match="already published"):
        transparency_snapshot_publish(program=program, actor=staff)
    snapshot.data = {"tampered": True}
    with pytest.raises(AppendOnlyError):
        snapshot.save()
    with pytest.raises(AppendOnlyError):
        TransparencySnapshot.objects.filter(pk=snapshot.pk).update(data={})
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE programs_transparencysnapshot SET data = '{}' WHERE id = %s", [snapshot.pk])
    assert TransparencySnapshot.objects.get(pk=snapshot.pk).data["schema"] == "glasshouse-transparency/1"


def test_a_double_click_publishes_once(client, program, staff, world):
    client.force_login(staff)
    client.post(url("publish", program))
    response = client.post(url("publish", program), follow=True)
    assert TransparencySnapshot.objects.filter(program=program).count() == 1
    assert "already published" in response.text


def test_only_program_staff_may_publish(client, program, artist, reviewer, world):
    for user in (artist, reviewer):
        client.force_login(user)
        assert client.post(url("publish", program)).status_code == 403
    assert not TransparencySnapshot.objects.exists()
    client.logout()
    assert client.post(url("publish", program)).status_code == 302  # to the login page


def test_an_unknown_snapshot_day_is_404(client, program):
    assert client.get(url("snapshot", program, published_on=dt.date(2020, 1, 1))).status_code == 404
    assert client.get(f"/programs/{program.slug}/transparency/2026-02-31/").status_code == 404


# --- Public face -----------------------------------------------------------------------------------------------
def test_the_home_page_explains_the_model_and_shows_live_figures(client, program, world):
    html = client.get("/").text
    for topic in ("Paid, always", "Reasoned approvals", "Deadlines that bind", "Appeals"):
        assert topic in html
    report = report_for(program)
    hours = report["whole_program"]["work"]["hours_logged"]
    assert f"{float(hours):,.1f} h" in html
    assert url("report", program) in html


def test_the_sitemap_lists_reports_and_snapshots(client, program, staff, world):
    transparency_snapshot_publish(program=program, actor=staff)
    make_program(slug="hidden", status="draft")
    body = client.get("/sitemap.xml").text
    assert f"/programs/{program.slug}/transparency/</loc>" in body
    assert f"/programs/{program.slug}/transparency/{timezone.localdate():%Y-%m-%d}/</loc>" in body
    assert "hidden" not in body
