"""Writes for events: RSVP, cancel, and attendance (which pays a paid event's length as approved hours).

Capacity is checked with the event row locked, so two artists taking the last place at once get one place and
one refusal. Attendance moves an RSVP from going to attended under a lock: recorded once, whatever is clicked.
Hours go through the hours path (programs.services.compensation: a time entry, approved by the member of staff,
priced at the rate card in force on the day), with a form token per RSVP, so they are logged and paid once.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.access.events import may_rsvp_refusal
from calls.models import Event, Rsvp
from core import lifecycle
from core.errors import DomainError, TransitionRefused
from programs.access import is_program_staff
from programs.models import TimeEntry
from programs.services.compensation import timeentry_approve, timeentry_log

Status = Rsvp.Status


class EventError(DomainError):
    """An event rule refused the request; nothing was written."""


class EventMoveRefused(TransitionRefused, EventError):
    """The RSVP is no longer in a state that allows this."""


def places_taken(event: Event) -> int:
    return Rsvp.objects.filter(event=event, status__in=[Status.GOING, Status.ATTENDED]).count()


def rsvp(*, event: Event, user, now: dt.datetime | None = None) -> Rsvp:
    """Take a place at the event (again, after cancelling). Going already: nothing changes."""
    refusal = may_rsvp_refusal(user, event, now=now)
    if refusal:
        raise EventError(refusal)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        existing = Rsvp.objects.filter(event=locked, user=user).first()
        if existing is not None and existing.status == Status.GOING:
            return existing
        if places_taken(locked) >= locked.capacity:
            raise EventError(
                _("This event is full: all %(capacity)s places are taken.") % {"capacity": locked.capacity}
            )
        if existing is not None:
            return lifecycle.move(existing, Status.GOING, actor=user, refusal=EventMoveRefused)
        return lifecycle.start(Rsvp.objects.create(event=locked, user=user), actor=user)


def rsvp_cancel(*, event: Event, user, now: dt.datetime | None = None) -> Rsvp:
    rsvp_row = Rsvp.objects.filter(event=event, user=user).first()
    if rsvp_row is None:
        raise EventError(_("You have no place at this event to cancel."))
    if (now or timezone.now()) >= event.starts_at:
        raise EventError(_("This event has started: a place can no longer be cancelled."))
    with transaction.atomic():
        return lifecycle.move(rsvp_row, Status.CANCELLED, actor=user, refusal=EventMoveRefused)


def attendance_record(
    *, rsvp: Rsvp, actor, attended: bool, now: dt.datetime | None = None, today: dt.date | None = None
) -> Rsvp:
    """After the event, staff say whether the artist came. Attended at a paid event: its length in hours,
    logged for the artist and approved by `actor`, goes to the ledger at the program's rate card."""
    event = rsvp.event
    if not is_program_staff(actor, event.program):
        raise EventError(_("Only program staff record attendance."))
    if not event.has_ended(now):
        raise EventError(_("Attendance is recorded after the event has ended."))
    if attended and actor.pk == rsvp.user_id and event.paid:
        raise EventError(_("You cannot record your own paid attendance: another member of staff must do it."))
    target = Status.ATTENDED if attended else Status.ABSENT
    with transaction.atomic():
        lifecycle.move(rsvp, target, actor=actor, refusal=EventMoveRefused)
        if attended and event.paid:
            rsvp.time_entry = _paid_hours(rsvp, actor=actor, today=today)
            rsvp.save(update_fields=["time_entry"])
        return rsvp


def _paid_hours(rsvp: Rsvp, *, actor, today: dt.date | None) -> TimeEntry:
    event = rsvp.event
    worked_on = timezone.localtime(event.starts_at).date()
    try:
        entry = timeentry_log(
            user=rsvp.user,
            program=event.program,
            worked_on=worked_on,
            minutes=event.minutes,
            category=TimeEntry.Category.MEETINGS,
            note=_("Attended “%(event)s” (%(kind)s).") % {"event": event.title, "kind": event.get_kind_display()},
            form_token=f"event-attendance:{rsvp.pk}",
            today=today,
        )
        return timeentry_approve(entry=entry, actor=actor, today=today)
    except DomainError as error:
        raise EventError(
            _("Attendance not recorded: the hours could not be paid (%(reason)s).") % {"reason": error.message}
        ) from error
