"""The public report over time: no version differs from the previous one by one artist's event (the differencing
attack of issue 12 §4), snapshots included; one computation at a time; a visitor never waits for a rebuild."""

import datetime as dt
import re
import threading
import time

import pytest
import time_machine
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from programs.models import TimeEntry
from programs.services import compensation as comp
from submissions.services import approvals
from tests.approval_helpers import setup_review, video_in_review
from tests.conftest import make_user
from tests.transparency_world import seed_report_world
from transparency import current
from transparency.current import CACHE_SECONDS, report_for
from transparency.models import TransparencyRelease
from transparency.report import compute
from transparency.services import transparency_snapshot_publish
from transparency.tasks import refresh_transparency_reports

pytestmark = pytest.mark.django_db


# --- What a reader of the public report can see -----------------------------------------------------------------
def public_view(client, program) -> dict:
    """Every public surface of the report, as an outsider reads it: JSON, CSV, the page and the home page."""
    slug = program.slug

    def text(path):
        return re.sub(
            r'nonce="[^"]*"|"X-CSRFToken": "[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"', "", client.get(path).text
        )

    return {
        "json": client.get(reverse("transparency:report_json", args=[slug])).json(),
        "csv": text(reverse("transparency:report_csv", args=[slug])),
        "page": text(reverse("transparency:report", args=[slug])),
        "home": text("/"),
    }


def hour_approved(world, staff, program, reviewer) -> None:
    entry = comp.timeentry_log(
        user=world["victim"], program=program, worked_on=timezone.localdate(), minutes=60, category="testing"
    )
    comp.timeentry_approve(entry=entry, actor=staff)


def payment(world, staff, program, reviewer) -> None:
    comp.payout_record(
        user=world["victim"], program=program, amount="2.00", currency="EUR", method="bank_transfer",
        idempotency_key="victim-payment", actor=staff,
    )  # fmt: skip


def rejection(world, staff, program, reviewer) -> None:
    approvals.review_decide(
        video_id=world["video"].pk, reviewer=reviewer, outcome="reject", reason_code=world["code"], note="No."
    )


EVENTS = {"an approved hour entry": hour_approved, "a payment": payment, "a rejection with a reason code": rejection}


@pytest.fixture
def world(program, staff, reviewer):
    people = seed_report_world(program, staff)
    rules = setup_review(program, safety=[reviewer], lead=[make_user("lead@example.com")])
    victim = people[1]  # active, owed money: a payment to them is possible
    return {"people": people, "victim": victim, "video": video_in_review(victim, program), "code": rules["code"]}


def next_reading(clock) -> None:
    """Long enough for the cache to be checked again, and the beat job's refresh in between."""
    clock.shift(dt.timedelta(seconds=CACHE_SECONDS + 1))
    refresh_transparency_reports.delay()


# --- The differencing attack ----------------------------------------------------------------------------------
@pytest.mark.parametrize("event", EVENTS)
def test_reading_before_and_after_one_artists_event_shows_no_difference(client, program, staff, reviewer, world, event):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        before = public_view(client, program)
        clock.shift(dt.timedelta(seconds=1))
        EVENTS[event](world, staff, program, reviewer)
        next_reading(clock)
        after = public_view(client, program)
        assert after == before, f"{event} shows by difference"
        clock.shift(dt.timedelta(days=1))  # however long nobody else does anything
        next_reading(clock)
        assert public_view(client, program) == before
    assert TransparencyRelease.objects.filter(program=program).count() == 1


@pytest.mark.parametrize("event", EVENTS)
def test_two_snapshots_around_one_artists_event_are_identical(program, staff, reviewer, world, event):
    day = timezone.now()
    with time_machine.travel(day, tick=False) as clock:
        first = transparency_snapshot_publish(program=program, actor=staff)
        clock.shift(dt.timedelta(seconds=1))
        EVENTS[event](world, staff, program, reviewer)
        clock.shift(dt.timedelta(days=1))
        second = transparency_snapshot_publish(program=program, actor=staff)
    assert second.published_on > first.published_on
    assert second.data == first.data


def test_a_release_comes_only_with_five_artists_changes_and_mixes_them(client, program, staff, reviewer, world):
    """The victim's event shows only together with four other artists' events, in one batch: the difference is
    five artists' hours, never one artist's."""
    others = [p for p in world["people"][:9] if p != world["victim"]][:4]
    with time_machine.travel(timezone.now(), tick=False) as clock:
        before = report_for(program)
        clock.shift(dt.timedelta(seconds=1))
        hour_approved(world, staff, program, reviewer)
        for i, person in enumerate(others[:3]):
            hour_approved({"victim": person}, staff, program, reviewer)
            next_reading(clock)
            assert report_for(program) == before, f"released after {i + 2} artists"
        hour_approved({"victim": others[3]}, staff, program, reviewer)
        next_reading(clock)
        after = report_for(program)
    hours = {r: float(r_["whole_program"]["work"]["hours_approved"]) for r, r_ in (("b", before), ("a", after))}
    assert hours["a"] - hours["b"] == 5.0  # five artists' hours in one step: no single artist's to read off
    release = TransparencyRelease.objects.filter(program=program).latest()
    assert release.artists_changed == 5


# --- One computation at a time ---------------------------------------------------------------------------------
def read_concurrently(program, readers: int) -> list:
    results, start = [], threading.Barrier(readers)

    def read():
        start.wait()
        try:
            results.append(report_for(program))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=read) for _ in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def counted_builds(monkeypatch):
    """Counts the report computations (the real one runs, slowed a little so that readers overlap it)."""
    calls = []
    real = current.build

    def build(program, **kwargs):
        calls.append(threading.get_ident())
        threading.Event().wait(0.3)
        return real(program, **kwargs)

    monkeypatch.setattr(current, "build", build)
    return calls


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_readers_share_one_computation(program, staff, counted_builds):
    seed_report_world(program, staff, artists=6)
    results = read_concurrently(program, readers=6)
    assert len(results) == 6 and len(counted_builds) == 1
    assert all(result == results[0] for result in results)  # the others waited for it
    assert TransparencyRelease.objects.filter(program=program).count() == 1


@pytest.mark.django_db(transaction=True)
def test_readers_of_a_stale_report_get_the_last_one_while_one_refresh_runs(program, staff, counted_builds):
    people = seed_report_world(program, staff, artists=8)
    first = report_for(program)
    current.forget(program)  # the cache expired (or was flushed): the release is still in the database
    for i, person in enumerate(people[:5]):  # five artists changed: a new release is due
        comp.credit_record(
            user=person, program=program, kind="feedback", idempotency_key=f"due:{i}", source_label="Feedback",
            today=timezone.localdate(),
        )  # fmt: skip
    results = read_concurrently(program, readers=6)
    assert len(counted_builds) == 2  # the first release, and exactly one refresh for six readers
    assert TransparencyRelease.objects.filter(program=program).count() == 2
    latest = TransparencyRelease.objects.filter(program=program).latest().data
    assert all(result in (first, latest) for result in results)


@pytest.mark.django_db(transaction=True)
def test_with_a_worker_a_stale_reader_is_served_at_once_while_the_worker_releases(
    program, staff, celery_worker, counted_builds
):
    """Issue 22: the first request after the cache expires does not wait for a cold build; the worker does it."""
    people = seed_report_world(program, staff, artists=8)
    first = report_for(program)
    current.forget(program)
    for i, person in enumerate(people[:5]):
        comp.credit_record(
            user=person, program=program, kind="feedback", idempotency_key=f"worker:{i}", source_label="Feedback",
            today=timezone.localdate(),
        )  # fmt: skip
    assert report_for(program) == first  # served from the database at once; the refresh is queued
    deadline = time.monotonic() + 30
    while TransparencyRelease.objects.filter(program=program).count() < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(counted_builds) == 2
    assert report_for(program) == TransparencyRelease.objects.filter(program=program).latest().data != first


# --- Bounded by the program's life ---------------------------------------------------------------------------------
def test_hours_dated_year_1_or_far_ahead_count_in_the_programs_own_months(program, staff):
    seed_report_world(program, staff, artists=6)
    worker = TimeEntry.objects.filter(program=program).first().user
    for worked_on, status in ((dt.date(1, 1, 1), "approved"), (dt.date(1, 6, 1), "withdrawn"),
                              (dt.date(9999, 12, 31), "pending")):  # fmt: skip
        TimeEntry.objects.create(
            program=program, user=worker, worked_on=worked_on, minutes=60, category="testing", status=status
        )
    report = current.build(program)
    months = [m["month"] for m in report["months"]]
    assert report["first_month"] == min(months) >= "2020-01"  # the program's start, not year 1
    assert report["last_month"] == timezone.localdate().strftime("%Y-%m") == months[-1]
    assert len(months) == len(set(months)) <= 12
    result = compute(program)
    logged = [result.cells[(m, "hours_logged", "")].value for m in months]
    assert sum(logged) == result.cells[("all", "hours_logged", "")].value  # nothing fell outside the months


def test_the_cost_does_not_grow_with_the_span_of_the_program(program, staff):
    """The same records over three months and over five years: the same queries (one grouped query per figure),
    and months from the program's start."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seed_report_world(program, staff, artists=6)
    with CaptureQueriesContext(connection) as short:
        current.build(program)
    five_years_ago = timezone.now() - dt.timedelta(days=5 * 365)
    type(program).objects.filter(pk=program.pk).update(created_at=five_years_ago)
    program.refresh_from_db()
    with CaptureQueriesContext(connection) as long:
        report = current.build(program)
    assert len(report["months"]) >= 60
    assert len(long.captured_queries) == len(short.captured_queries)


# --- While a program's very first report is being computed elsewhere ----------------------------------------------
@pytest.mark.parametrize("name", ["report", "report_json", "report_csv"])
def test_past_a_short_wait_for_the_first_report_the_answer_is_503_to_retry(client, program, monkeypatch, name):
    from django.core.cache import cache

    monkeypatch.setattr(current, "WAIT_SECONDS", 0.2)
    cache.add(current._cache_key(program) + ":lock", 1, 60)  # another process is computing it
    response = client.get(reverse(f"transparency:{name}", args=[program.slug]))
    assert response.status_code == 503 and response["Retry-After"] == str(current.REFRESH_SECONDS)
    assert "being computed" in response.text
    home = client.get("/")  # the home page never waits: the program shows without figures
    assert home.status_code == 200 and program.name in home.text
    assert not TransparencyRelease.objects.exists()
