"""Two staff publishing the same call's results at once (or a double click reaching two workers) book each prize
once: the call's row lock lets one through, and the ledger's unique key stops any second line (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from calls.models import Call, Entry
from calls.services import calls as services
from core.errors import DomainError
from programs.models import LedgerLine
from tests.calls_helpers import approved_video, open_call, to_judging

pytestmark = pytest.mark.django_db(transaction=True)


def _judged_call(program, staff, artist, other_artist, reviewer) -> Call:
    call = open_call(program, staff, jurors=[reviewer])
    for person in (artist, other_artist):
        video = approved_video(person, program)
        services.entry_submit(call=call, artist=person, video_id=video.pk, statement="Mine.")
    call = to_judging(call, staff)
    juror = call.jurors.get()
    for value, entry in enumerate(call.entries.all(), start=5):
        services.scores_record(juror=juror, entry=entry, scores={c.pk: (value, "") for c in call.criteria.all()})
    return call


def _race(action) -> list:
    start, results = threading.Barrier(2), []

    def run():
        start.wait()
        try:
            results.append(action())
        except DomainError as error:
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_publications_at_once_book_each_prize_once(program, staff, artist, other_artist, reviewer):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks: set DATABASE_URL (the services run of .ci/run does)")
    call = _judged_call(program, staff, artist, other_artist, reviewer)
    results = _race(lambda: services.call_publish_results(call=Call.objects.get(pk=call.pk), actor=staff))
    assert sum(isinstance(r, Call) for r in results) == 1, results
    assert sum(isinstance(r, DomainError) for r in results) == 1, results
    assert LedgerLine.objects.filter(source=LedgerLine.Source.PRIZE).count() == 2
    assert call.events.filter(to_status=Call.Status.RESULTS).count() == 1


def test_two_bookings_at_once_write_one_line_per_prize(program, staff, artist, other_artist, reviewer):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks: set DATABASE_URL (the services run of .ci/run does)")
    call = _judged_call(program, staff, artist, other_artist, reviewer)
    # Results as publication leaves them, no line booked yet (as after a crash between the two): both race to insert.
    first, runner_up = call.prize_tiers.all()
    for entry, tier in zip(call.entries.order_by("pk"), (first, runner_up), strict=True):
        Entry.objects.filter(pk=entry.pk).update(prize=tier)
    Call.objects.filter(pk=call.pk).update(status=Call.Status.RESULTS)
    results = _race(lambda: services.prizes_book(call=call, actor=staff))
    assert len(results) == 2 and all(isinstance(r, list) and len(r) == 2 for r in results), results
    assert {line.pk for line in results[0]} == {line.pk for line in results[1]}
    assert LedgerLine.objects.filter(source=LedgerLine.Source.PRIZE).count() == 2
