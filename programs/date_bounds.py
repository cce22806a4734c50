"""Every date a person types is bounded by the world it belongs to: its program (and, for work, the artist's
enrolment). Nothing is dated before the program began, nothing that records something done is dated in the
future, and nothing that plans ahead reaches absurdly far (year 9999).

Forms build one DateBounds per date field and call `check` in their clean method; the message says the range.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext, gettext_lazy

from programs.models import Enrolment, EnrolmentEvent, Program

YEARS_AHEAD = 5  # how far ahead a planned date (a rate card, a cohort, an embargo) may reach


@dataclass(frozen=True)
class DateBounds:
    earliest: dt.date
    latest: dt.date
    earliest_is: str  # what the earliest day is, e.g. "when the program began"
    latest_is: str

    def check(self, value: dt.date | dt.datetime | None):
        """Return the value, or raise a ValidationError that names the allowed range."""
        if value is None:
            return value
        day = timezone.localdate(value) if isinstance(value, dt.datetime) else value
        if self.earliest <= day <= self.latest:
            return value
        raise ValidationError(
            gettext("Choose a day from %(earliest)s (%(earliest_is)s) to %(latest)s (%(latest_is)s)."),
            code="out_of_bounds",
            params={
                "earliest": formats.date_format(self.earliest, "j M Y"),
                "earliest_is": self.earliest_is,
                "latest": formats.date_format(self.latest, "j M Y"),
                "latest_is": self.latest_is,
            },
        )


def program_began_on(program: Program | None) -> dt.date:
    """The program's first day: the day it was created in the portal (a program not yet saved begins today)."""
    if program is None or program.pk is None or program.created_at is None:
        return timezone.localdate()
    return timezone.localdate(program.created_at)


def enrolment_began_on(enrolment: Enrolment) -> dt.date:
    """The day the artist joined: their first move to active (or the enrolment's creation, if it has no history),
    never before the program began."""
    joined = (
        EnrolmentEvent.objects.filter(enrolment=enrolment, to_status=Enrolment.Status.ACTIVE)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    day = timezone.localdate(joined or enrolment.created_at)
    return max(day, program_began_on(enrolment.program))


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def work_dates(enrolment: Enrolment, *, today: dt.date | None = None) -> DateBounds:
    """A day someone worked: since they joined the program, up to today."""
    return DateBounds(
        enrolment_began_on(enrolment), _today(today), gettext_lazy("when you joined"), gettext_lazy("today")
    )


def past_dates(program: Program | None, *, today: dt.date | None = None) -> DateBounds:
    """A day something happened in the program: since it began, up to today."""
    return DateBounds(
        program_began_on(program), _today(today), gettext_lazy("when the program began"), gettext_lazy("today")
    )


def planned_dates(program: Program | None, *, today: dt.date | None = None) -> DateBounds:
    """A day the program plans for: since it began, up to YEARS_AHEAD years from today."""
    today = _today(today)
    try:
        latest = today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year + YEARS_AHEAD, day=28)
    return DateBounds(
        program_began_on(program),
        latest,
        gettext_lazy("when the program began"),
        gettext_lazy("%(years)d years from today") % {"years": YEARS_AHEAD},
    )
