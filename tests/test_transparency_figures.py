"""The report's figures equal a recomputation from the raw rows, written here in plain Python, independently."""

import statistics
from collections import defaultdict
from decimal import Decimal

import pytest
from django.utils import timezone

from programs.models import Credit, Enrolment, EnrolmentEvent, LedgerLine, TimeEntry
from submissions.models import BugReport, Feedback, FeedbackEvent, FeedbackResponse
from tests.transparency_world import other_program_with_records, seed_report_world
from transparency.report import build, compute

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(program, staff):
    people = seed_report_world(program, staff)
    other_program_with_records(staff)
    return people


def month(value) -> str:
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m")


def raw_rows(program) -> dict:
    return {
        "enrolments": list(Enrolment.objects.filter(program=program).values()),
        "events": list(EnrolmentEvent.objects.filter(enrolment__program=program).values()),
        "entries": list(TimeEntry.objects.filter(program=program).values()),
        "lines": list(LedgerLine.objects.filter(program=program).values()),
        "credits": list(Credit.objects.filter(program=program).values()),
        "reports": list(BugReport.objects.filter(program=program).values()),
        "feedback": list(Feedback.objects.filter(program=program).values()),
        "responses": list(FeedbackResponse.objects.filter(feedback__program=program).values()),
        "feedback_events": list(FeedbackEvent.objects.filter(feedback__program=program).values()),
    }


def recompute(rows: dict) -> dict:
    """Every checked figure from the rows alone, following the definitions' wording."""
    expected = {}
    enrolments, events = rows["enrolments"], rows["events"]
    expected["artists_invited"] = len(enrolments)
    for name, status in (("artists_active", "active"), ("artists_paused", "paused"), ("artists_left", "left"),
                         ("artists_awaiting", "invited"), ("artists_removed", "removed")):  # fmt: skip
        expected[name] = sum(1 for e in enrolments if e["status"] == status)
    invited_month = defaultdict(int)
    for e in enrolments:
        invites = [ev["created_at"] for ev in events if ev["enrolment_id"] == e["id"] and ev["to_status"] == "invited"]
        invited_month[month(min(invites) if invites else e["created_at"])] += 1
    expected["invited_by_month"] = dict(invited_month)
    activated = {ev["enrolment_id"] for ev in events if ev["to_status"] == "active"}
    took_part = {e["user_id"] for e in enrolments if e["id"] in activated or e["status"] in ("active", "paused")}
    expected["artists_taking_part"] = len(took_part)

    logged = [r for r in rows["entries"] if r["status"] in ("pending", "queried", "approved")]
    approved = [r for r in rows["entries"] if r["status"] == "approved"]
    expected["hours_logged"] = Decimal(sum(r["minutes"] for r in logged)) / 60
    expected["hours_approved"] = Decimal(sum(r["minutes"] for r in approved)) / 60
    by_month = defaultdict(int)
    for r in logged:
        by_month[month(r["worked_on"])] += r["minutes"]
    expected["hours_logged_by_month"] = {m: Decimal(v) / 60 for m, v in by_month.items()}

    filed = [r for r in rows["reports"] if r["status"] != "draft"]
    expected["bug_reports_filed"] = len(filed)
    expected["bug_reports_confirmed"] = sum(1 for r in filed if r["status"] in ("confirmed", "fixed"))
    expected["bug_reports_fixed"] = sum(1 for r in filed if r["status"] == "fixed")
    expected["bug_reports_duplicate"] = sum(1 for r in filed if r["status"] == "duplicate")
    expected["bug_reports_declined"] = sum(1 for r in filed if r["status"] in ("not_a_bug", "wont_fix"))
    expected["bug_reports_waiting"] = sum(1 for r in filed if r["status"] in ("new", "triaged", "needs_info"))

    waits = []
    answered = 0
    for f in rows["feedback"]:
        times = [r["created_at"] for r in rows["responses"] if r["feedback_id"] == f["id"] and r["from_staff"]]
        times += [
            ev["created_at"]
            for ev in rows["feedback_events"]
            if ev["feedback_id"] == f["id"]
            and ev["kind"] == "status"
            and ev["to_status"] in ("answered", "planned", "declined")
        ]
        if times:
            answered += 1
            waits.append((min(times) - f["created_at"]).total_seconds() / 3600)
    expected["feedback_items"] = len(rows["feedback"])
    expected["feedback_answered"] = answered
    expected["feedback_response_hours_median"] = statistics.median(waits)

    lines = {line["id"]: line for line in rows["lines"]}
    earned, paid = defaultdict(Decimal), defaultdict(Decimal)
    for line in rows["lines"]:
        if line["kind"] == "earned":
            earned[line["user_id"]] += line["amount"]
        elif line["kind"] == "paid":
            paid[line["user_id"]] += line["amount"]
        elif lines[line["reverses_id"]]["kind"] == "earned":
            earned[line["user_id"]] -= line["amount"]
        else:
            paid[line["user_id"]] -= line["amount"]
    expected["earned"] = sum(earned.values())
    expected["paid"] = sum(paid.values())
    expected["owed"] = expected["earned"] - expected["paid"]
    expected["artists_paid"] = sum(1 for user, amount in paid.items() if amount > 0 and user in took_part)
    minutes = defaultdict(int)
    for r in logged:
        minutes[r["user_id"]] += r["minutes"]
    rates = [earned[user] * 60 / minutes[user] for user in earned if minutes[user]]
    expected["hourly_rate_quartiles"] = statistics.quantiles(rates, n=4, method="inclusive")
    reversed_lines = {line["reverses_id"] for line in rows["lines"] if line["reverses_id"]}
    reversed_credits = {line["credit_id"] for line in rows["lines"] if line["id"] in reversed_lines}
    awards = [c for c in rows["credits"] if c["kind"] == "award" and c["id"] not in reversed_credits]
    expected["awards"] = len(awards)
    expected["awards_total"] = sum(c["amount"] for c in awards)
    return expected


def value(cells, figure, period="all", dim=""):
    return cells[(period, figure, dim)].value


def test_every_figure_equals_an_independent_recomputation_from_the_rows(program, world):
    expected = recompute(raw_rows(program))
    cells = compute(program).cells
    for name in ("artists_invited", "artists_active", "artists_paused", "artists_left", "artists_awaiting",
                 "artists_removed", "artists_taking_part", "artists_paid", "bug_reports_filed",
                 "bug_reports_confirmed", "bug_reports_fixed", "bug_reports_duplicate", "bug_reports_declined",
                 "bug_reports_waiting", "feedback_items", "feedback_answered"):  # fmt: skip
        assert value(cells, name) == expected[name], name
    for name in ("hours_logged", "hours_approved"):
        assert value(cells, name) == expected[name].quantize(Decimal("0.01")), name
    for m, hours in expected["hours_logged_by_month"].items():
        assert value(cells, "hours_logged", m) == hours.quantize(Decimal("0.01"))
    for m, count in expected["invited_by_month"].items():
        assert value(cells, "artists_invited", m) == count
    for name in ("earned", "paid", "owed"):
        assert value(cells, name, dim="EUR") == expected[name], name
    q1, median, q3 = (q.quantize(Decimal("0.01")) for q in expected["hourly_rate_quartiles"])
    assert (value(cells, "hourly_rate_q1", dim="EUR"), value(cells, "hourly_rate_median", dim="EUR")) == (q1, median)
    assert value(cells, "hourly_rate_q3", dim="EUR") == q3
    assert value(cells, "awards", dim="EUR") == expected["awards"]
    assert value(cells, "awards_total", dim="EUR") == expected["awards_total"]
    assert float(value(cells, "feedback_response_hours_median")) == pytest.approx(
        expected["feedback_response_hours_median"], abs=0.05
    )


def test_the_figures_are_not_trivial_on_the_seeded_world(program, world):
    """Guards the recomputation test against comparing zeros with zeros."""
    cells = compute(program).cells
    assert value(cells, "artists_active") == 9 and value(cells, "artists_invited") == 12
    assert value(cells, "hours_logged") > value(cells, "hours_approved") > 0
    assert value(cells, "paid", dim="EUR") > 0 and value(cells, "owed", dim="EUR") > 0
    assert value(cells, "bug_reports_filed") == 9 and value(cells, "feedback_answered") == 4
    assert len({k[0] for k in cells}) >= 4  # the whole program and at least three months


def test_every_sum_the_suppression_relies_on_holds_on_the_records(program, world):
    result = compute(program)
    for relation in result.relations:
        total = result.cells[relation.total].value
        parts = [result.cells[p].value for p in relation.parts]
        # Hours are rounded to the cent per cell: allow that rounding, nothing more.
        assert abs(total - sum(parts)) <= Decimal("0.005") * (len(parts) + 1), relation


def test_published_values_are_the_computed_ones_or_null_when_suppressed(program, world):
    report = build(program)
    cells = compute(program).cells
    suppressed = {(s["period"], s["figure"], s["dimension"]) for s in report["suppressed"]}
    for name, shown in report["whole_program"]["work"].items():
        cell = cells[("all", name, "")]
        if ("all", name, "") in suppressed:
            assert shown is None
        else:
            assert shown == (str(cell.value) if isinstance(cell.value, Decimal) else cell.value)
    assert report["whole_program"]["money"]["by_currency"]["EUR"]["earned"] == str(value(cells, "earned", dim="EUR"))


def test_records_of_another_program_never_count(program, world):
    other_cells = compute(program).cells
    assert value(other_cells, "artists_invited") == 12  # the other program has 6 artists of its own
    assert value(other_cells, "earned", dim="EUR") == recompute(raw_rows(program))["earned"]


def test_a_program_without_records_has_a_report_of_zeros(program):
    report = build(program)
    assert report["whole_program"]["work"]["hours_logged"] == "0.00"
    assert report["whole_program"]["money"]["by_currency"] == {}
    assert report["months"][-1]["month"] == timezone.localdate().strftime("%Y-%m")
