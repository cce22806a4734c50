"""The demo's calendar: a program a few months in on whatever day `seed_demo` runs.

The demo's story is written with dates as they stood on STORY_TODAY (the spring cohort began in early August,
agreement version 2 came out twelve days ago, ...). Every date of it goes through story_day(), which moves it by
as many days as have passed since STORY_TODAY, so the program never looks frozen in an old autumn. Month-based
figures (rate cards, monthly payouts) use story_month(), the first day of the month a story date moved into.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

STORY_TODAY = dt.date(2026, 11, 22)
_pinned: list[dt.timedelta] = []


def shift() -> dt.timedelta:
    return _pinned[-1] if _pinned else timezone.localdate() - STORY_TODAY


@contextmanager
def pinned() -> Iterator[None]:
    """Keep today's shift while the story is played on its own days (demo/story.py moves the clock)."""
    _pinned.append(shift())
    try:
        yield
    finally:
        _pinned.pop()


def story_day(year: int, month: int, day: int) -> dt.date:
    """The story's date `year-month-day`, moved to today's calendar."""
    return dt.date(year, month, day) + shift()


def story_month(year: int, month: int) -> dt.date:
    """The first day of the month that the story's first of `year-month` moved into."""
    return story_day(year, month, 1).replace(day=1)
