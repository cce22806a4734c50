"""Reads behind the report pages: the artist's lists, the shared list, the triage queue, a report's timeline."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _

from submissions.models import BugReport, Feedback, ReportNotice, Severity
from submissions.models.reports import FEEDBACK_MOVES, SEVERITY_RANK, STAFF_MOVES


def with_counts(reports: QuerySet[BugReport]) -> QuerySet[BugReport]:
    """Annotate what lists show and sort on: me-too count and the rank of the severity that counts."""
    effective = Coalesce(NullIf("final_severity", Value("")), "artist_severity")
    rank = Case(
        *(When(severity_effective=value, then=Value(rank)) for value, rank in SEVERITY_RANK.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        reports.select_related("program", "reporter")
        .annotate(me_too_count=Count("me_toos", distinct=True), severity_effective=effective)
        .annotate(severity_rank=rank)
    )


def own_reports(user) -> QuerySet[BugReport]:
    return with_counts(BugReport.objects.filter(reporter=user)).order_by("-created_at")


def own_feedback(user) -> QuerySet[Feedback]:
    return Feedback.objects.filter(author=user).select_related("program").order_by("-created_at")


def notices_for(user, *, limit: int = 20) -> QuerySet[ReportNotice]:
    """Unread notices first, then the most recent read ones."""
    return (
        ReportNotice.objects.filter(user=user)
        .select_related("bug_report", "feedback")
        .order_by(Case(When(read_at__isnull=True, then=0), default=1), "-created_at", "-pk")[:limit]
    )


def shared_reports(program) -> QuerySet[BugReport]:
    shared = BugReport.objects.filter(program=program, staff_only=False)
    return with_counts(shared.submitted()).order_by("-submitted_at")


@dataclass(frozen=True)
class TriageFilters:
    program: object = None
    status: str = ""
    severity: str = ""
    model_version: str = ""
    age: str = ""
    sort: str = "-submitted_at"


SORTS = {"-submitted_at", "submitted_at", "-severity_rank", "-me_too_count", "-status_changed_at"}


def triage_queue(reports: QuerySet[BugReport], filters: TriageFilters) -> QuerySet[BugReport]:
    reports = with_counts(reports.submitted()).select_related("video")
    if filters.program:
        reports = reports.filter(program=filters.program)
    if filters.status == "all":
        pass
    elif filters.status:
        reports = reports.filter(status=filters.status)
    else:
        reports = reports.filter(status__in=BugReport.OPEN_STATUSES)
    if filters.severity:
        reports = reports.filter(severity_effective=filters.severity)
    if filters.model_version:
        reports = reports.filter(model_version=filters.model_version)
    reports = _filter_age(reports, filters.age, "submitted_at")
    sort = filters.sort if filters.sort in SORTS else "-submitted_at"
    return reports.order_by(sort, "-pk")


def _filter_age(queryset: QuerySet, age: str, field: str) -> QuerySet:
    now = timezone.now()
    if age == "old":
        return queryset.filter(**{f"{field}__lt": now - dt.timedelta(days=30)})
    if age in {"1", "7", "30"}:
        return queryset.filter(**{f"{field}__gte": now - dt.timedelta(days=int(age))})
    return queryset


def model_versions(reports: QuerySet[BugReport]) -> list[str]:
    return list(
        reports.submitted()
        .exclude(model_version="")
        .order_by("model_version")
        .values_list("model_version", flat=True)
        .distinct()
    )


def feedback_queue(feedback: QuerySet[Feedback], *, program=None, status: str = "", kind: str = "", age: str = ""):
    feedback = feedback.select_related("program", "author", "video")
    if program:
        feedback = feedback.filter(program=program)
    if status == "all":
        pass
    elif status:
        feedback = feedback.filter(status=status)
    else:
        feedback = feedback.exclude(status__in=Feedback.CLOSED_STATUSES)
    if kind:
        feedback = feedback.filter(kind=kind)
    return _filter_age(feedback, age, "created_at").order_by("-created_at", "-pk")


@dataclass(frozen=True)
class TimelineEntry:
    when: dt.datetime
    actor: object
    kind: str  # "event" or "response"
    obj: object
    from_label: str = ""
    to_label: str = ""


def timeline(obj: BugReport | Feedback) -> list[TimelineEntry]:
    """History rows and messages of a report or feedback, oldest first, with readable state names."""
    statuses = dict(type(obj).Status.choices)
    labels = {"status": statuses, "severity": dict(Severity.choices), "credit": {}}
    entries = [
        TimelineEntry(
            e.created_at,
            e.actor,
            "event",
            e,
            labels[e.kind].get(e.from_status, e.from_status),
            labels[e.kind].get(e.to_status, e.to_status),
        )
        for e in obj.events.select_related("actor")
    ]
    entries += [TimelineEntry(r.created_at, r.author, "response", r) for r in obj.responses.select_related("author")]
    return sorted(entries, key=lambda entry: (entry.when, entry.kind == "response", entry.obj.pk))


def staff_moves_for(report: BugReport) -> list[tuple[str, str]]:
    """The decisions staff can take from the report's current state, labelled for the form."""
    allowed = BugReport.MOVES.get(report.status, frozenset())
    moves = []
    for status, label in STAFF_MOVES.items():
        if status not in allowed:
            continue
        if status == BugReport.Status.TRIAGED and report.is_closed:
            label = _("Reopen (back to triage)")
        elif status == BugReport.Status.TRIAGED and report.status == BugReport.Status.NEEDS_INFO:
            label = _("Back to triage without an answer")
        moves.append((status, label))
    return moves


def feedback_moves_for(feedback: Feedback) -> list[tuple[str, str]]:
    allowed = Feedback.MOVES.get(feedback.status, frozenset())
    return [
        (status, _("Reopen") if feedback.is_closed and status == Feedback.Status.ACKNOWLEDGED else label)
        for status, label in FEEDBACK_MOVES.items()
        if status in allowed
    ]


def open_counts(reports: QuerySet[BugReport]) -> dict[str, int]:
    """How many submitted reports are in each state (for the triage page's summary)."""
    rows = reports.submitted().values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}
