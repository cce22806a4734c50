"""The demo's timeline: every step of the story runs through the services on the moment it happened.

Each seeding module adds its steps (a moment and a call); play() runs them all in the order of their moments,
with the clock moved to each moment (time-machine), so every record, history row, deadline, ledger line and
payout run is written by the services exactly as the real flow would have written it on that day. Nothing is
dated back afterwards, and money earned later is never paid by an earlier run.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import time_machine
from django.utils import timezone

from demo import calendar


@dataclass
class Story:
    steps: list[tuple[dt.datetime, int, Callable[[], object]]] = field(default_factory=list)

    def at(self, moment: dt.datetime, step: Callable[[], object]) -> None:
        """Run `step` at `moment` (moments still ahead run at the present); steps at one moment keep their order."""
        self.steps.append((min(moment, timezone.now()), len(self.steps), step))

    def play(self) -> int:
        """Run every step in time order; returns how many ran."""
        steps, self.steps = sorted(self.steps, key=lambda s: (s[0], s[1])), []
        with calendar.pinned():
            for moment, _order, step in steps:
                with time_machine.travel(moment, tick=False):
                    step()
        return len(steps)


@contextmanager
def told(story: Story | None) -> Iterator[Story]:
    """The caller's story, or a story of its own that is played on leaving (seeding one part on its own)."""
    if story is not None:
        yield story
        return
    own = Story()
    yield own
    own.play()


def at_hour(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def days_ago(days: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """`hour` o'clock, `days` days before today (a fixed hour, so the story is the same whenever it is seeded)."""
    return at_hour(timezone.localdate() - dt.timedelta(days=days), hour, minute)
