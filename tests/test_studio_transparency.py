"""The transparency report's Generation section: clips, seconds, median wait, failures by reason, suppressed
below five artists like every other figure."""

import pytest

from studio.providers import local
from tests.conftest import enrol, make_user
from tests.studio_helpers import ask, open_studio, tick
from transparency.report import build

pytestmark = pytest.mark.django_db


def _artists(program, count: int) -> list:
    people = [make_user(f"g{n}@example.com") for n in range(count)]
    for person in people:
        enrol(person, program)
    return people


def test_the_generation_section_counts_clips_seconds_waits_and_failures(program, django_capture_on_commit_callbacks):
    open_studio(program, concurrency_limit=20)
    artists = _artists(program, 6)
    for artist in artists:
        ask(artist, program, duration_seconds=4)
    for artist in artists[:5]:
        ask(artist, program, prompt=f"refused {local.REFUSE_MARK}")
    tick()
    with django_capture_on_commit_callbacks(execute=True):
        tick()
    whole = build(program)["whole_program"]["generation"]
    assert whole["generation_jobs"] == 11
    assert whole["generation_jobs_finished"] == 6 and whole["generation_seconds"] == 24
    assert whole["generation_jobs_failed"] == 5 and whole["generation_failed_safety"] == 5
    assert whole["generation_failure_share"] == "0.4545"
    assert whole["generation_wait_minutes_median"] is not None
    assert whole["generation_failed_timed_out"] == 0


def test_figures_from_fewer_than_five_artists_are_suppressed(program, django_capture_on_commit_callbacks):
    open_studio(program)
    artists = _artists(program, 2)
    for artist in artists:
        ask(artist, program)
    tick()
    with django_capture_on_commit_callbacks(execute=True):
        tick()
    report = build(program)
    whole = report["whole_program"]["generation"]
    assert whole["generation_jobs"] is None and whole["generation_seconds"] is None
    suppressed = {(s["figure"], s["reason"]) for s in report["suppressed"] if s["period"] == "all"}
    assert ("generation_jobs", "fewer_than_5") in suppressed
