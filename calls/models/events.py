"""Sessions and events: workshops, mentorship sessions and screenings of a program. Artists RSVP and cancel;
after the event staff record who attended, and attendance of a paid event becomes approved hours (the program's
rate card, through the hours-to-ledger path). Status changes go through calls.services.events (core.lifecycle)."""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import HistoryEvent
from programs.models import Cohort, Program, TimeEntry

MAX_CAPACITY = 1000
MAX_LENGTH = dt.timedelta(hours=12)


class Event(models.Model):
    """One session: when, where (a place or a link), how many may come and who; paid or not, said beforehand."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        MENTORSHIP = "mentorship", _("Mentorship session")
        SCREENING = "screening", _("Screening")

    class Audience(models.TextChoices):
        ARTISTS = "artists", _("Every artist of the program")
        COHORT = "cohort", _("Artists of one cohort")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=8000, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)]
    )
    audience = models.CharField(_("who may attend"), max_length=16, choices=Audience.choices, default=Audience.ARTISTS)
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    paid = models.BooleanField(
        _("attendance is paid"),
        default=True,
        help_text=_("Paid: each attendee is paid the event's length as hours at the program's rate card."),
    )
    open_call = models.ForeignKey(
        "calls.Call",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="screenings",
        verbose_name=_("open call"),
        help_text=_("A screening of the films an open call chose: the gallery marks them with it."),
    )
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=MAX_CAPACITY), name="event_capacity_bounded"
            ),
            models.CheckConstraint(condition=~Q(place="") | ~Q(link=""), name="event_has_place_or_link"),
            models.CheckConstraint(
                condition=Q(audience="artists") | Q(cohort__isnull=False), name="event_cohort_audience_names_cohort"
            ),
        ]
        indexes = [models.Index(fields=["program", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def has_ended(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.ends_at


class Rsvp(models.Model):
    """An artist's place at an event: going, cancelled (may come back), then attended or absent as staff record."""

    class Status(models.TextChoices):
        GOING = "going", _("Going")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        ABSENT = "absent", _("Did not attend")

    MOVES = {
        "": {Status.GOING},
        Status.GOING: {Status.CANCELLED, Status.ATTENDED, Status.ABSENT},
        Status.CANCELLED: {Status.GOING},
    }
    MOVE_REFUSALS = {
        Status.ATTENDED: _("Attendance is already recorded: this person attended."),
        Status.ABSENT: _("Attendance is already recorded: this person did not attend."),
    }

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="rsvps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="rsvps")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.GOING)
    time_entry = models.OneToOneField(
        TimeEntry, on_delete=models.PROTECT, null=True, blank=True, related_name="event_rsvp"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "created_at", "pk"]
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="rsvp_once_per_event")]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.event} ({self.get_status_display()})"

    def history_row(self, **fields) -> "RsvpEvent":
        return RsvpEvent(rsvp=self, **fields)


class RsvpEvent(HistoryEvent):
    """History of an RSVP (going, cancelled, attendance)."""

    rsvp = models.ForeignKey(Rsvp, on_delete=models.CASCADE, related_name="events")

    class Meta(HistoryEvent.Meta):
        verbose_name = _("RSVP history")
        verbose_name_plural = _("RSVP history")

    def __str__(self) -> str:
        return f"{self.rsvp}: {self.from_status or '—'} → {self.to_status}"
