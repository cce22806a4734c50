"""The public transparency report: read-only selectors over programs and submissions records.

This package is the one place where programs reads submissions models (see DESIGN.md). Entry points:
`report_for(program)` (cached for at most CACHE_SECONDS) and `build(program)` (always computed).
"""

import datetime as dt

from django.core.cache import cache
from django.utils import timezone

from programs.models import Program
from programs.transparency.definitions import SCHEMA
from programs.transparency.report import build

CACHE_SECONDS = 60  # a new decision or payment shows within a minute
# The beat job recomputes public reports this often, so that visitors of a large program read a fresh report from
# the cache instead of waiting for its aggregates (seconds at 10,000 artists); a lapse falls back to computing.
REFRESH_SECONDS = 30


def _cache_key(program: Program) -> str:
    return f"transparency:{SCHEMA}:{program.pk}"


def report_for(program: Program, *, now: dt.datetime | None = None) -> dict:
    """The report, reused while it is younger than CACHE_SECONDS.

    The age is checked against the time the report was computed (stored with it), not only the cache's own
    expiry, so freshness holds on every cache backend and can be tested with frozen time.
    """
    now = now or timezone.now()
    cached = cache.get(_cache_key(program))
    if cached is not None and 0 <= now.timestamp() - cached["computed_at"] < CACHE_SECONDS:
        return cached["report"]
    return refresh(program, now=now)


def refresh(program: Program, *, now: dt.datetime | None = None) -> dict:
    """Compute the report now and keep it for the next CACHE_SECONDS."""
    now = now or timezone.now()
    report = build(program, now=now)
    cache.set(_cache_key(program), {"computed_at": now.timestamp(), "report": report}, CACHE_SECONDS)
    return report


def forget(program: Program) -> None:
    cache.delete(_cache_key(program))


__all__ = ["CACHE_SECONDS", "REFRESH_SECONDS", "build", "forget", "refresh", "report_for"]
