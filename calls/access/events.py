"""Who may see an event, RSVP to it and record its attendance. An event is seen by the artists it is for (an
active place in its program, of its cohort when it names one) and by the program's staff; nobody else learns it
exists (404)."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from calls.models import Event, Rsvp
from programs.access import contributing_enrolment, is_program_staff, programs_staffed_by
from programs.models import Enrolment
from programs.refusals import staff_refusal


def visible_events(user) -> QuerySet[Event]:
    if not user.is_authenticated:
        return Event.objects.none()
    places = Enrolment.objects.filter(user=user, status__in=[Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED])
    for_artist = Q(published=True) & (
        Q(audience=Event.Audience.ARTISTS, program__in=places.values("program"))
        | Q(audience=Event.Audience.COHORT, cohort__in=places.values("cohort"))
    )
    staffed = Q(program__in=programs_staffed_by(user))
    # Anyone who RSVPed keeps seeing the event (their attendance and pay), even after leaving.
    own = Q(rsvps__user=user)
    return Event.objects.filter(Q(pk__in=Event.objects.filter(for_artist | staffed | own).values("pk"))).select_related(
        "program", "cohort"
    )


def get_event(user, pk: int) -> Event:
    event = visible_events(user).filter(pk=pk).first()
    if event is None:
        raise Http404("No such event.")
    return event


def get_event_for_staff(user, pk: int) -> Event:
    event = get_event(user, pk)
    if not is_program_staff(user, event.program):
        raise staff_refusal(event.program, what=_("Only program staff record attendance."))
    return event


def may_rsvp_refusal(user, event: Event, *, now: dt.datetime | None = None) -> str:
    """Why `user` may not RSVP to `event` (capacity aside: the service checks it under a lock), or ""."""
    now = now or timezone.now()
    if not event.published:
        return _("This event is not published yet.")
    if now >= event.starts_at:
        return _("This event has started: RSVPs are closed.")
    enrolment = contributing_enrolment(user, event.program)
    if enrolment is None:
        return _("This event is for the artists of %(program)s.") % {"program": event.program.name}
    if event.audience == Event.Audience.COHORT and enrolment.cohort_id != event.cohort_id:
        return _("This event is for the artists of the cohort %(cohort)s.") % {"cohort": event.cohort}
    return ""


def get_rsvp_for_staff(event: Event, pk: int) -> Rsvp:
    rsvp = Rsvp.objects.select_related("user", "event__program").filter(event=event, pk=pk).first()
    if rsvp is None:
        raise Http404("Not found.")
    return rsvp
