"""The public transparency report: read-only selectors over programs and submissions records.

This package is the one place where programs reads submissions models (see DESIGN.md). Entry points:
`report_for(program)`, the current release as every public surface shows it; `refresh(program)`, which releases a
new version when one is due (the beat job calls it every REFRESH_SECONDS); `build(program)`, always computed and
never public by itself (see releases.py for why the public report changes only in batches).

One computation of a program's report runs at a time (a lock in the cache). A visitor never waits for it when a
previous release exists: the last release is served while a single refresh runs in the worker. With the cache away
(core.cache: reads miss, `add` refuses) the report is still served: the latest release from the database, and a
computation, when one is due, takes a lock on the program's row in the database instead.
"""

import datetime as dt
import time

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.cache import CacheUnavailable
from core.errors import DomainError
from programs.models import Program
from transparency import releases
from transparency.definitions import SCHEMA
from transparency.report import build

CACHE_SECONDS = 60  # how long a read skips asking whether a new release is due
REFRESH_SECONDS = 30  # the beat job's period: it checks, and releases when due, before a visitor would
LOCK_SECONDS = 180  # longer than the refresh task's hard limit, so a killed computation frees the lock
WAIT_SECONDS = 10  # the very first report of a program: how long other readers wait for its one computation
KEEP_SECONDS = 7 * 24 * 3600  # the last report stays served after CACHE_SECONDS, while a refresh runs


NOT_READY = _("The report is being computed. Please try again in a minute.")


class ReportNotReady(DomainError):
    pass


def _cache_key(program: Program) -> str:
    return f"transparency:{SCHEMA}:{program.pk}"


def _remember(program: Program, report: dict, checked_at: dt.datetime) -> None:
    cache.set(_cache_key(program), {"checked_at": checked_at.timestamp(), "report": report}, KEEP_SECONDS)


def report_for(program: Program, *, now: dt.datetime | None = None, wait: bool = True) -> dict:
    """The current release, from the cache while it was checked less than CACHE_SECONDS ago.

    The age is checked against the time stored with the entry, not only the cache's own expiry, so freshness
    holds on every cache backend and can be tested with frozen time. A stale or missing entry is served (or read
    from the database) while a refresh is queued; only a program that never had a report waits for its first
    (with `wait` False it raises ReportNotReady at once, e.g. on the home page).
    """
    now = now or timezone.now()
    entry = cache.get(_cache_key(program))
    if entry is not None and 0 <= now.timestamp() - entry["checked_at"] < CACHE_SECONDS:
        return entry["report"]
    stale = entry["report"] if entry is not None else None
    if stale is None:
        release = releases.latest(program)
        if release is None and wait:
            return _first_report(program, now=now)
        stale = release.data if release is not None else None
    _refresh_soon(program, now)
    entry = cache.get(_cache_key(program))  # without a broker the refresh has already run, in this process
    if entry is not None:
        return entry["report"]
    if stale is None:
        raise ReportNotReady(NOT_READY)
    return stale


def _refresh_soon(program: Program, now: dt.datetime) -> None:
    """Queue one refresh, however many readers find the entry stale at once (at most one per REFRESH_SECONDS; the
    time is kept in the entry, as for the report, so the rule holds on every cache backend and with frozen time)."""
    from transparency.tasks import refresh_transparency_report

    marker = _cache_key(program) + ":queued"
    try:
        claimed = cache.add(marker, now.timestamp(), REFRESH_SECONDS)
    except CacheUnavailable:
        return  # the cache is away: the stored release is served, and the beat job's refresh releases when due
    if not claimed:
        queued_at = cache.get(marker)
        if queued_at is not None and 0 <= now.timestamp() - queued_at < REFRESH_SECONDS:
            return
        cache.set(marker, now.timestamp(), REFRESH_SECONDS)
    refresh_transparency_report.delay(program.pk)


def _first_report(program: Program, *, now: dt.datetime) -> dict:
    report = refresh(program, now=now)
    deadline = time.monotonic() + WAIT_SECONDS
    while report is None and time.monotonic() < deadline:
        time.sleep(0.05)
        entry = cache.get(_cache_key(program))
        report = entry["report"] if entry is not None else None
    if report is None:
        release = releases.latest(program)  # computed by a process whose cache this one does not share
        if release is None:
            raise ReportNotReady(NOT_READY)
        report = release.data
    return report


def refresh(program: Program, *, now: dt.datetime | None = None) -> dict | None:
    """Release a new version if the artists changed since the last one reach the threshold, and keep the current
    release in the cache. Returns it, or None when another computation of this program's report is running.

    With the cache away its lock cannot be taken: the program's row in the database is locked instead, so one
    computation still runs at a time (on PostgreSQL; SQLite serializes the writes)."""
    now = now or timezone.now()
    lock = _cache_key(program) + ":lock"
    try:
        claimed = cache.add(lock, 1, LOCK_SECONDS)
    except CacheUnavailable:
        with transaction.atomic():
            Program.objects.select_for_update().filter(pk=program.pk).first()  # waits for a running computation
            return _release(program, now)
    if not claimed:
        return None
    try:
        return _release(program, now)
    finally:
        cache.delete(lock)


def _release(program: Program, now: dt.datetime) -> dict:
    """The current release, after recording a new one if it is due; with the program's report lock held."""
    previous = releases.latest(program)
    changed = None if previous is None else releases.artists_changed_since(program, previous.computed_at)
    if previous is not None and changed < releases.THRESHOLD:
        report = previous.data
    else:
        report = build(program, now=now)
        releases.record(program, data=report, computed_at=now, artists_changed=changed)
    _remember(program, report, now)
    return report


def forget(program: Program) -> None:
    cache.delete(_cache_key(program))


__all__ = [
    "CACHE_SECONDS",
    "REFRESH_SECONDS",
    "ReportNotReady",
    "build",
    "forget",
    "refresh",
    "report_for",
]
