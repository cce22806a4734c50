"""Event pages: the events an artist may attend, one event (RSVP, cancel, calendar file), and the staff's
attendance record after it."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from calls.access.events import get_event, get_event_for_staff, get_rsvp_for_staff, may_rsvp_refusal, visible_events
from calls.ics import event_ics
from calls.models import Rsvp
from calls.services import events as services
from core.outcomes import refuse, run_and_redirect
from programs.access import is_program_staff


@login_required
@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    events = visible_events(request.user)
    own = {r.event_id: r.get_status_display() for r in Rsvp.objects.filter(user=request.user)}
    context = {
        "upcoming": [
            (event, own.get(event.pk)) for event in events.filter(ends_at__gt=now).order_by("starts_at", "pk")
        ],
        "past": [(event, own.get(event.pk)) for event in events.filter(ends_at__lte=now).order_by("-starts_at")[:50]],
    }
    return render(request, "calls/events/event_list.html", context)


@login_required
@require_safe
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event(request.user, pk)
    context = {
        "event": event,
        "taken": services.places_taken(event),
        "own": Rsvp.objects.filter(event=event, user=request.user).select_related("time_entry").first(),
        "rsvp_refusal": may_rsvp_refusal(request.user, event),
        "is_staff": is_program_staff(request.user, event.program),
        "has_ended": event.has_ended(),
    }
    return render(request, "calls/events/event_detail.html", context)


@login_required
@require_safe
def event_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event(request.user, pk)
    url = request.build_absolute_uri(reverse("calls:event_detail", args=[event.pk]))
    body = event_ics(event, url=url, domain=request.get_host().split(":")[0], now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}.ics"'
    return response


@login_required
@require_POST
def event_rsvp(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event(request.user, pk)
    return run_and_redirect(
        request,
        lambda: services.rsvp(event=event, user=request.user),
        success=_("You have a place. Add it to your calendar from this page."),
        to=reverse("calls:event_detail", args=[event.pk]),
    )


@login_required
@require_POST
def event_rsvp_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event(request.user, pk)
    return run_and_redirect(
        request,
        lambda: services.rsvp_cancel(event=event, user=request.user),
        success=_("Your place is cancelled and free for someone else."),
        to=reverse("calls:event_detail", args=[event.pk]),
    )


@login_required
@require_safe
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event_for_staff(request.user, pk)
    rsvps = event.rsvps.exclude(status=Rsvp.Status.CANCELLED).select_related("user", "time_entry")
    context = {"event": event, "rsvps": rsvps, "has_ended": event.has_ended()}
    return render(request, "calls/events/attendance.html", context)


@login_required
@require_POST
def attendance_record(request: HttpRequest, pk: int, rsvp_pk: int) -> HttpResponse:
    event = get_event_for_staff(request.user, pk)
    rsvp = get_rsvp_for_staff(event, rsvp_pk)
    attended = request.POST.get("attended") == "yes"
    to = reverse("calls:event_attendance", args=[event.pk])
    if request.POST.get("attended") not in ("yes", "no"):
        refuse(request, _("Say whether the artist attended."))
        return redirect(to)
    success = _("Attendance recorded.")
    if attended and event.paid:
        success = _("Attendance recorded; the hours are approved and in the artist's statement.")
    if not attended:
        success = _("Recorded as not attended.")
    messages_call = lambda: services.attendance_record(rsvp=rsvp, actor=request.user, attended=attended)  # noqa: E731
    return run_and_redirect(request, messages_call, success=success, to=to)
