"""Generation figures: clips asked for in the studio, seconds of video generated, the wait in the queue, and
failures by reason. Built like the other sections (a constant number of aggregate queries, small cells
suppressed with the sums that could reveal them).
"""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, Sum

from studio.models import GenerationJob
from transparency.figures import (
    ALL,
    EpochSeconds,
    Figures,
    PercentileCont,
    month_of,
    percentile,
    share,
    sql_percentiles,
)

# The job's failure kinds (studio.providers.base.FailureKind and the studio's own two), each its own figure.
FAILURE_FIGURES = {
    "safety": "generation_failed_safety",
    "invalid_input": "generation_failed_invalid_input",
    "throttled": "generation_failed_throttled",
    "expired": "generation_failed_result_expired",
    "provider_error": "generation_failed_provider_error",
    "unreachable": "generation_failed_unreachable",
    "timed_out": "generation_failed_timed_out",
    "intake_refused": "generation_failed_intake_refused",
}
ENDED_BADLY = ("failed", "expired")


def _jobs():
    return GenerationJob.objects


def generation_figures(figures: Figures) -> None:
    jobs = _jobs().filter(program=figures.program)
    _counted(figures, jobs, "created_at", "generation_jobs")
    finished = jobs.filter(status="succeeded", finished_at__isnull=False)
    _counted(figures, finished, "finished_at", "generation_jobs_finished", seconds="generation_seconds")
    failed = jobs.filter(status__in=ENDED_BADLY, finished_at__isnull=False)
    _counted(figures, failed, "finished_at", "generation_jobs_failed")
    _failures(figures, jobs, failed)
    _waits(figures, jobs.filter(started_at__isnull=False))


def _counted(figures: Figures, queryset, date_field: str, figure: str, *, seconds: str = "") -> None:
    aggregates = {"n": Count("pk"), "artists": Count("artist", distinct=True)}
    if seconds:
        aggregates["seconds"] = Sum("duration_seconds")
    rows = queryset.annotate(month=figures.bucket(date_field)).values("month").annotate(**aggregates)
    whole = queryset.aggregate(**aggregates)
    figures.add_series(
        figure, {month_of(r["month"]): (r["n"], r["artists"]) for r in rows}, (whole["n"], whole["artists"])
    )
    if seconds:
        figures.add_series(
            seconds,
            {month_of(r["month"]): (r["seconds"] or 0, r["artists"]) for r in rows},
            (whole["seconds"] or 0, whole["artists"]),
        )


def _failures(figures: Figures, jobs, failed) -> None:
    """Failed jobs by reason (they add up to the failed jobs), and the failure rate of the jobs that ended."""
    aggregates = {}
    for kind in FAILURE_FIGURES:
        aggregates[kind] = Count("pk", filter=Q(failure_kind=kind))
        aggregates[f"{kind}_a"] = Count("artist", distinct=True, filter=Q(failure_kind=kind))
    aggregates["other"] = Count("pk", filter=~Q(failure_kind__in=list(FAILURE_FIGURES)))
    aggregates["other_a"] = Count("artist", distinct=True, filter=~Q(failure_kind__in=list(FAILURE_FIGURES)))
    row = failed.aggregate(**aggregates)
    parts = [figures.add(ALL, name, row[kind], row[f"{kind}_a"]) for kind, name in FAILURE_FIGURES.items()]
    parts.append(figures.add(ALL, "_generation_failed_other", row["other"], row["other_a"]))
    figures.relate((ALL, "generation_jobs_failed", ""), parts)
    ended = jobs.filter(status__in=["succeeded", *ENDED_BADLY]).aggregate(
        n=Count("pk"), artists=Count("artist", distinct=True)
    )
    failed_total = figures.cells[(ALL, "generation_jobs_failed", "")].value
    figures.add(ALL, "_generation_jobs_ended", ended["n"], ended["artists"])
    figures.add(
        ALL,
        "generation_failure_share",
        share(failed_total, ended["n"]),
        ended["artists"],
        depends_on=("generation_jobs_failed", "_generation_jobs_ended"),
    )


def _waits(figures: Figures, started) -> None:
    """Median minutes from the request to the provider's start, whole and by the month the job started."""
    aggregates = {"artists": Count("artist", distinct=True)}
    if sql_percentiles():
        aggregates["median"] = PercentileCont(EpochSeconds(F("started_at"), F("created_at")), 0.5)
        rows = {
            month_of(r["month"]): r
            for r in started.annotate(month=figures.bucket("started_at")).values("month").annotate(**aggregates)
        }
        rows[ALL] = started.aggregate(**aggregates)
    else:  # SQLite has no percentile_cont: the same interpolation in Python
        rows = {
            month_of(r["month"]): r
            for r in started.annotate(month=figures.bucket("started_at")).values("month").annotate(**aggregates)
        }
        rows[ALL] = started.aggregate(**aggregates)
        waits = defaultdict(list)
        for created, began in started.values_list("created_at", "started_at"):
            seconds = (began - created).total_seconds()
            waits[ALL].append(seconds)
            waits[figures.month_key(began)].append(seconds)
        for period, row in rows.items():
            row["median"] = percentile(waits[period], 0.5)
    for period, row in rows.items():
        figures.add(period, "generation_wait_minutes_median", minutes(row["median"]), row["artists"])


def minutes(seconds: float | None) -> Decimal | None:
    return None if seconds is None else (Decimal(str(seconds)) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP)
