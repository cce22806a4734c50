"""The beat schedule run in-process, for the embedded default only (`manage.py runserver` with no broker).

Production runs `celery -A portal beat` beside the worker. Without a broker nothing would ever send the scheduled
jobs, so the demo's review deadlines, deemed approvals, reminders, stipends and report refreshes would never
happen; this thread sends them instead, one after another, and each runs in-process like every other task.
"""

import datetime as dt
import logging
import threading
import time

from celery.schedules import maybe_schedule
from django.conf import settings
from django.db import close_old_connections

from portal.celery import app

logger = logging.getLogger(__name__)
FIRST_RUN_AFTER = 5  # seconds: the server answers its first page before the jobs start
LONGEST_NAP = 30.0  # seconds between checks at most


class EmbeddedScheduler:
    """CELERY_BEAT_SCHEDULE's entries, each sent when due (every job once at start, as a fresh beat would)."""

    def __init__(self, schedule: dict):
        self.entries = {name: (entry, maybe_schedule(entry["schedule"], app=app)) for name, entry in schedule.items()}
        self.last_run: dict[str, dt.datetime | None] = dict.fromkeys(schedule)

    def tick(self) -> tuple[list[str], float]:
        """Send every due job; return their names and the seconds until the next check."""
        ran, nap = [], LONGEST_NAP
        for name, (entry, when) in self.entries.items():
            last = self.last_run[name]
            if last is None or when.is_due(last)[0]:
                self.last_run[name] = last = app.now()
                self._send(name, entry)
                ran.append(name)
            nap = min(nap, max(1.0, when.is_due(last)[1]))
        return ran, nap

    @staticmethod
    def _send(name: str, entry: dict) -> None:
        try:
            app.tasks[entry["task"]].apply_async(
                entry.get("args", ()), entry.get("kwargs", {}), **entry.get("options", {})
            )
        except Exception:  # one failing job must not stop the others, nor the thread
            logger.exception("Scheduled job %s failed", name)


def _run_forever(scheduler: EmbeddedScheduler) -> None:
    time.sleep(FIRST_RUN_AFTER)
    while True:
        _, nap = scheduler.tick()
        close_old_connections()  # this thread's own; a request's are closed by Django as each ends
        time.sleep(nap)


def start_if_embedded() -> threading.Thread | None:
    """Start the scheduler thread when tasks run in-process (no broker); otherwise `celery beat` does this."""
    if not settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BEAT_SCHEDULE:
        return None
    app.loader.import_default_modules()
    thread = threading.Thread(
        target=_run_forever, args=(EmbeddedScheduler(settings.CELERY_BEAT_SCHEDULE),), name="scheduler", daemon=True
    )
    thread.start()
    return thread
