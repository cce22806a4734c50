"""The demo (issue 17): a grant round with every decision and a missed deadline, milestones paid and pending,
past sessions with attendance paid as hours, and coming sessions with RSVPs."""

import pytest
from django.urls import reverse
from django.utils import timezone

from calls.models import Event, GrantApplication, GrantMilestone, GrantRound, Rsvp
from programs.models import LedgerLine

pytestmark = pytest.mark.django_db


def test_the_demo_has_grants_in_every_state(demo, client):
    statuses = set(GrantApplication.objects.values_list("status", flat=True))
    assert statuses == set(GrantApplication.Status.values)
    assert {m.status for m in GrantMilestone.objects.all()} == set(GrantMilestone.Status.values)
    paid = GrantMilestone.objects.filter(status=GrantMilestone.Status.PAID)
    assert LedgerLine.objects.filter(source=LedgerLine.Source.GRANT).count() == paid.count() == 3
    late = [a for a in GrantApplication.objects.all() if a.decided_late]
    assert len(late) == 1 and late[0].reason == "budget_exhausted"
    autumn = GrantRound.objects.get(title__contains="autumn")
    page = client.get(reverse("calls:grant_round", args=[autumn.pk])).content.decode()
    assert "Missed for 1 application" in page


def test_the_demo_has_past_sessions_paid_and_future_ones_with_rsvps(demo):
    now = timezone.now()
    past = Event.objects.filter(ends_at__lte=now)
    attended = Rsvp.objects.filter(event__in=past, status=Rsvp.Status.ATTENDED)
    assert attended.filter(time_entry__status="approved", event__paid=True).count() == 9
    assert attended.filter(event__paid=False, time_entry__isnull=True).exists()
    assert Rsvp.objects.filter(event__in=past, status=Rsvp.Status.ABSENT).exists()
    coming = Rsvp.objects.filter(event__starts_at__gt=now, status=Rsvp.Status.GOING)
    assert coming.count() >= 5
    assert Rsvp.objects.filter(event__starts_at__gt=now, status=Rsvp.Status.CANCELLED).exists()
