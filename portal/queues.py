"""One Celery queue per workload, so a burst of one kind of work never waits behind another, and each kind gets the
workers it needs (README "Queues and workers" says which worker serves which queue).

Tasks are routed by name, so a new task lands on the right queue without an edit here: a job that beat sends runs
on `scheduled`, and the patterns below place the rest. Each queue has a ceiling on how long one of its tasks may run;
a task without limits of its own gets its queue's, and Redis's visibility timeout (settings) sits above them all.
"""

from dataclasses import dataclass
from fnmatch import fnmatchcase

from django.conf import settings


@dataclass(frozen=True)
class Queue:
    name: str
    time_limit: int  # seconds: the most any task on this queue may run (its own hard limit sits at or below)
    purpose: str

    @property
    def soft_time_limit(self) -> int:
        """The default soft limit: time for the task to clean up before the hard limit kills it."""
        return self.time_limit - max(self.time_limit // 10, 5)


VIDEO = Queue("video", 4 * 60, "probing uploads, signing published copies: CPU-heavy, one task per process")
GENERATION = Queue("generation", 2 * 60, "polling the generation providers for the studio's jobs: short, waiting")
MAIL = Queue("mail", 2 * 60, "every email, retried while SMTP is away: short, waiting on the mail server")
SCHEDULED = Queue("scheduled", 5 * 60, "beat's jobs and the per-item work they fan out")
DEFAULT = Queue("default", 20 * 60, "everything else: personal data exports (up to 16 minutes), health pings")
QUEUES = (VIDEO, GENERATION, MAIL, SCHEDULED, DEFAULT)
LONGEST_TASK_SECONDS = max(queue.time_limit for queue in QUEUES)

# First match wins; names are matched case-sensitively against the task's full dotted name.
PATTERNS: tuple[tuple[str, Queue], ...] = (
    ("submissions.tasks.videos.*", VIDEO),
    ("submissions.tasks.credentials.*", VIDEO),
    ("studio.*", GENERATION),
    ("*mail*", MAIL),
    ("*.send_*", MAIL),
    ("*outbox*", MAIL),
    ("*notice*", MAIL),
    ("*notify*", MAIL),
    ("transparency.tasks.*", SCHEDULED),
)


def queue_for(task_name: str) -> Queue:
    if task_name in _beat_tasks():
        return SCHEDULED
    return next((queue for pattern, queue in PATTERNS if fnmatchcase(task_name, pattern)), DEFAULT)


def _beat_tasks() -> set[str]:
    """Beat's jobs, except those whose entry names its own queue (the studio's poller runs on `generation`)."""
    schedule = getattr(settings, "CELERY_BEAT_SCHEDULE", {}).values()
    return {entry["task"] for entry in schedule if "queue" not in entry.get("options", {})}


def route_task(name, args, kwargs, options, task=None, **extra) -> dict:
    """Celery's task_routes entry: the queue for `name`."""
    return {"queue": queue_for(name).name}


class QueueTimeLimits:
    """Celery's task_annotations entry: a task that sets no time limit gets its queue's."""

    def annotate(self, task) -> dict | None:
        if task.name.startswith("celery.") or task.time_limit is not None:
            return None
        queue = queue_for(task.name)
        return {"time_limit": queue.time_limit, "soft_time_limit": queue.soft_time_limit}
