"""The review's calendar: deadlines and appeal windows counted in business days (read by services and selectors)."""

import datetime as dt

from submissions.models import ReviewPolicy, Video


def add_business_days(start: dt.datetime, days: int) -> dt.datetime:
    """`start` moved forward by `days` working days (Monday to Friday), keeping the time of day.

    Public holidays are not skipped: the rule is the same for every artist and easy to check by hand.
    """
    moment = start
    remaining = days
    while remaining > 0:
        moment += dt.timedelta(days=1)
        if moment.weekday() < 5:
            remaining -= 1
    return moment


def appeal_window_ends(video: Video, policy: ReviewPolicy) -> dt.datetime:
    """Until when the artist may appeal the rejection of `video`."""
    return add_business_days(video.status_changed_at, policy.appeal_window_business_days)
