"""Reads for the studio: the fair order of each program's queue, allowances, estimated waits, dashboards.

The queue is first-in-first-out with round-robin between artists: each artist's jobs are ranked by age, an
artist's jobs already running count as the first ranks, and the queue runs by (rank, age). So one heavy user's
fortieth clip waits behind everyone else's first ones.
"""

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone

from studio.models import GenerationJob, GenerationModel, StudioSettings
from studio.models.catalogue import SUNSET_WARNING

S = GenerationJob.Status
DEFAULT_RUN_SECONDS = 60  # until a program has finished jobs of its own to estimate from
RECENT_RUNS = 50


def queue_order(program_ids) -> dict[int, list[int]]:
    """For each program, its queued job ids in the order they will be sent (two queries for any number)."""
    queued = GenerationJob.objects.filter(program_id__in=program_ids, status=S.QUEUED)
    rows = list(queued.order_by("created_at", "pk").values_list("pk", "program_id", "artist_id"))
    running = (
        GenerationJob.objects.filter(program_id__in=program_ids, status=S.RUNNING)
        .values_list("program_id", "artist_id")
        .annotate(n=Count("pk"))
    )
    ranks: dict[tuple[int, int], int] = {(program, artist): n for program, artist, n in running}
    keyed: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for age, (pk, program, artist) in enumerate(rows):
        rank = ranks.get((program, artist), 0)
        ranks[(program, artist)] = rank + 1
        keyed[program].append((rank, age, pk))
    return {program: [pk for _rank, _age, pk in sorted(jobs)] for program, jobs in keyed.items()}


def running_counts(program_ids) -> dict[int, int]:
    running = GenerationJob.objects.filter(program_id__in=program_ids, status=S.RUNNING)
    return dict(running.values_list("program_id").annotate(n=Count("pk")))


def typical_run_seconds(program) -> float:
    """The median generation time of the program's recent finished jobs (for the estimated wait)."""
    recent = (
        GenerationJob.objects.filter(program=program, status=S.SUCCEEDED, started_at__isnull=False)
        .order_by("-finished_at")
        .values_list("started_at", "finished_at")[:RECENT_RUNS]
    )
    runs = [(end - start).total_seconds() for start, end in recent if end]
    return statistics.median(runs) if runs else DEFAULT_RUN_SECONDS


@dataclass(frozen=True)
class QueueView:
    """Where each of an artist's queued jobs stands in its program's queue, and how long it may wait."""

    positions: dict[int, int]
    waits: dict[int, int]  # seconds

    @classmethod
    def for_program(cls, studio: StudioSettings, job_ids_of_interest=None) -> "QueueView":
        order = queue_order([studio.program_id]).get(studio.program_id, [])
        run_seconds = typical_run_seconds(studio.program)
        positions, waits = {}, {}
        for index, pk in enumerate(order):
            if job_ids_of_interest is None or pk in job_ids_of_interest:
                positions[pk] = index + 1
                waits[pk] = int(((index // studio.concurrency_limit) + 1) * run_seconds)
        return cls(positions, waits)


@dataclass(frozen=True)
class Allowance:
    used: int
    limit: int
    unit: str
    period: str
    resets_at: dt.datetime

    @property
    def left(self) -> int:
        return max(0, self.limit - self.used)


def period_start(period: str, now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == StudioSettings.Period.WEEK:
        return day - dt.timedelta(days=day.weekday())
    if period == StudioSettings.Period.MONTH:
        return day.replace(day=1)
    return day


def period_end(period: str, start: dt.datetime) -> dt.datetime:
    if period == StudioSettings.Period.WEEK:
        return start + dt.timedelta(days=7)
    if period == StudioSettings.Period.MONTH:
        return (start + dt.timedelta(days=32)).replace(day=1)
    return start + dt.timedelta(days=1)


# What counts against an allowance: every job that is waiting, running or finished, and one cancelled after the
# provider started it. Jobs that failed or expired, or were cancelled while queued, cost the artist nothing.
COUNTED = Q(status__in=[S.QUEUED, S.RUNNING, S.SUCCEEDED]) | Q(status=S.CANCELLED, started_at__isnull=False)


def allowance_for(studio: StudioSettings, artist, now: dt.datetime | None = None) -> Allowance:
    now = now or timezone.now()
    start = period_start(studio.allowance_period, now)
    jobs = GenerationJob.objects.filter(COUNTED, program_id=studio.program_id, artist=artist, created_at__gte=start)
    if studio.allowance_unit == StudioSettings.Unit.SECONDS:
        used = jobs.aggregate(total=Sum("duration_seconds"))["total"] or 0
    else:
        used = jobs.count()
    end = period_end(studio.allowance_period, start)
    return Allowance(used, studio.allowance, studio.allowance_unit, studio.allowance_period, end)


def models_near_sunset(program_ids, today: dt.date | None = None) -> list[tuple[GenerationModel, list[str]]]:
    """The enabled models of these programs within 60 days of their sunset, with the programs that use them."""
    today = today or timezone.localdate()
    through = StudioSettings.enabled_models.through.objects.filter(
        studiosettings__program_id__in=program_ids, generationmodel__sunset_on__lte=today + SUNSET_WARNING
    ).select_related("generationmodel", "studiosettings__program")
    found: dict[int, tuple[GenerationModel, list[str]]] = {}
    for row in through.order_by("generationmodel__sunset_on", "studiosettings__program__name"):
        model = row.generationmodel
        found.setdefault(model.pk, (model, []))[1].append(row.studiosettings.program.name)
    return list(found.values())
