"""Session figures for the Opportunities section: sessions held, attendances and the hours paid for them. Built
like the other sections (aggregate queries per month; attendance cells know their distinct artists)."""

from django.db.models import Count, Q, Sum
from django.utils import timezone

from calls.models import Event, Rsvp
from transparency.figures import Figures, hours, month_of


def event_figures(figures: Figures) -> None:
    held = Event.objects.filter(program=figures.program, published=True, ends_at__lte=timezone.now())
    rows = held.annotate(month=figures.bucket("starts_at")).values("month").annotate(n=Count("pk"))
    figures.add_series("sessions_held", {month_of(r["month"]): (r["n"], None) for r in rows}, (held.count(), None))
    attended = Rsvp.objects.filter(event__in=held, status=Rsvp.Status.ATTENDED)
    aggregates = {
        "n": Count("pk"),
        "artists": Count("user", distinct=True),
        "minutes": Sum("time_entry__minutes"),
        "paid_artists": Count("user", distinct=True, filter=Q(time_entry__isnull=False)),
    }
    rows = attended.annotate(month=figures.bucket("event__starts_at")).values("month").annotate(**aggregates)
    whole = attended.aggregate(**aggregates)
    figures.add_series(
        "session_attendances",
        {month_of(r["month"]): (r["n"], r["artists"]) for r in rows},
        (whole["n"], whole["artists"]),
    )
    figures.add_series(
        "session_hours_paid",
        {month_of(r["month"]): (hours(r["minutes"]), r["paid_artists"]) for r in rows},
        (hours(whole["minutes"]), whole["paid_artists"]),
    )
