"""The demo is one consistent story, because every record in it was written by the services (issue 14).

Each credit points at the record that earned it, nothing is credited twice, every status is the end of the history
its services wrote, and each artist's statements add up to their ledger.
"""

import ast
import datetime as dt
from collections import Counter
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest
from django.db.models import F
from django.utils import timezone

from calls.models import GrantApplication, Rsvp
from demo.calendar import story_day
from demo.story import Story, days_ago
from programs.models import (
    Application,
    Credit,
    Enrolment,
    LedgerLine,
    PayoutRun,
    PendingCredit,
    TimeEntry,
)
from programs.selectors.compensation import balance, statement_for, statement_months
from submissions.models import BugReport, Feedback, Video
from tests.conftest import DEMO_SEEDED_AT

REPORT_KINDS = {Credit.Kind.BUG_REPORT, Credit.Kind.BUG_REPORT_DUPLICATE}
VIDEO_KINDS = {Credit.Kind.VIDEO_APPROVED: "approved", Credit.Kind.VIDEO_SHOWCASED: "published"}


def _reference(key: str) -> str:
    """What a credit's key names (credit_key: kind, program, reference)."""
    return key.split(":", 2)[2]


def _earner(kind: str, reference: str):
    """The record a credit of `kind` was earned by, and who earned it."""
    if kind in REPORT_KINDS:
        report = BugReport.objects.get(pk=reference)
        return report, report.reporter_id
    if kind == Credit.Kind.FEEDBACK:
        feedback = Feedback.objects.get(pk=reference)
        return feedback, feedback.author_id
    video = Video.objects.get(pk=reference)
    return video, video.artist_id


@pytest.mark.django_db
def test_every_credit_points_at_the_artists_own_record_and_none_is_credited_twice(demo):
    credits = list(Credit.objects.filter(program=demo).exclude(kind=Credit.Kind.AWARD))
    assert {credit.kind for credit in credits} == set(Credit.Kind.values) - {Credit.Kind.AWARD}
    for credit in credits:
        record, earner = _earner(credit.kind, _reference(credit.idempotency_key))
        assert earner == credit.user_id, credit.source_label
        if credit.kind in VIDEO_KINDS:  # the video really reached the state that pays
            assert record.events.filter(to_status=VIDEO_KINDS[credit.kind]).exists(), credit.source_label
        else:  # the report or feedback was accepted, and this is its credit
            assert record.credit_id == credit.pk, credit.source_label
    for pending in PendingCredit.objects.filter(program=demo):
        assert _earner(pending.kind, pending.reference)[1] == pending.user_id, pending.source_label
    families = Counter(
        ("report" if credit.kind in REPORT_KINDS else credit.kind, _reference(credit.idempotency_key))
        for credit in credits
    )
    assert max(families.values()) == 1
    assert Credit.objects.filter(program=demo, kind=Credit.Kind.AWARD).exclude(reason="").count() == 2
    for line in LedgerLine.objects.filter(program=demo, source=LedgerLine.Source.CREDIT).select_related("credit"):
        assert (line.credit.user_id, line.credit.amount) == (line.user_id, line.amount)


def _history(rows, status_of=lambda row: (row.from_status, row.to_status)) -> list[tuple[str, str]]:
    return [status_of(row) for row in rows.order_by("created_at", "pk")]


def run_moves(run: PayoutRun):
    """A run's own moves (its history also records what happened to each payout in it)."""
    return run.events.filter(to_status__in=PayoutRun.Status.values).exclude(from_status=F("to_status"))


def _check_chain(name: str, status: str, moves: list[tuple[str, str]]) -> None:
    """The history starts from nothing, each move starts where the last ended, and the last ends in `status`."""
    assert moves, f"{name} has no history"
    assert moves[0][0] == "", (name, moves)
    for (_before, after), (source, _target) in pairwise(moves):
        assert source == after, (name, moves)
    assert moves[-1][1] == status, (name, moves)


HISTORIES = [
    (Video, lambda v: _history(v.events.all())),
    (Enrolment, lambda e: _history(e.events.all())),
    (Application, lambda a: _history(a.events.all())),
    (TimeEntry, lambda t: _history(t.events.all())),
    (PayoutRun, lambda r: _history(run_moves(r))),
    (GrantApplication, lambda a: _history(a.events.filter(to_status__in=GrantApplication.Status.values))),
    (Rsvp, lambda r: _history(r.events.all())),
    (BugReport, lambda r: _history(r.events.filter(kind="status"), lambda e: (e.from_status, e.to_status))),
    (Feedback, lambda f: _history(f.events.filter(kind="status"), lambda e: (e.from_status, e.to_status))),
]


@pytest.mark.django_db
def test_every_status_is_where_the_history_written_by_its_services_ends_and_all_of_it_is_past(demo):
    for model, history in HISTORIES:
        records = model.objects.all()
        if model is BugReport:
            records = records.exclude(status=BugReport.Status.DRAFT)  # a draft has no history until it is sent
        assert records.exists(), model.__name__
        for record in records:
            _check_chain(f"{model.__name__} #{record.pk}", record.status, history(record))
    for model in (Video, Enrolment, Application, TimeEntry, BugReport, Feedback, LedgerLine, Credit):
        assert not model.objects.filter(created_at__gt=DEMO_SEEDED_AT).exists(), model.__name__


@pytest.mark.django_db
def test_each_artists_statements_add_up_to_their_ledger(demo):
    today = DEMO_SEEDED_AT.date()
    artists = {line.user for line in LedgerLine.objects.filter(program=demo).select_related("user")}
    assert len(artists) > 10
    for artist in artists:
        months = sorted(statement_months(artist, demo, today=today))
        statements = [statement_for(artist, demo, month.year, month.month) for month in months]
        rows = [row for statement in statements for cur in statement.currencies for row in cur.rows]
        assert len(rows) == LedgerLine.objects.filter(program=demo, user=artist).count(), artist
        closing = statements[-1].currencies[0]
        assert closing.closing == balance(artist, demo, "EUR"), artist
        assert sum((row.amount for row in rows), Decimal(0)) == closing.closing, artist


def test_the_story_plays_its_steps_in_time_order_on_their_moments_with_todays_calendar():
    today, seen = timezone.localdate(), []
    story = Story()
    for days in (3, 30, 1):
        story.at(days_ago(days), lambda days=days: seen.append((days, timezone.localdate(), story_day(2026, 10, 5))))
    story.at(timezone.now() + dt.timedelta(days=9), lambda: seen.append(("ahead", timezone.localdate(), None)))
    assert story.play() == 4
    shifted = story_day(2026, 10, 5)
    assert seen == [
        (30, today - dt.timedelta(days=30), shifted),
        (3, today - dt.timedelta(days=3), shifted),
        (1, today - dt.timedelta(days=1), shifted),
        ("ahead", today, None),  # a moment still ahead is played today
    ]


def test_no_other_app_imports_the_demo():
    root = Path(__file__).resolve().parent.parent
    for app in ("core", "portal", "programs", "submissions"):
        for path in (root / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
                if isinstance(node, ast.ImportFrom) and node.module:
                    names = [node.module]
                assert not any(name == "demo" or name.startswith("demo.") for name in names), path
