"""The demo data: idempotent, every state of compensation represented, and every page renders with it."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from programs.models import Credit, LedgerLine, PayoutRun, PayoutRunItem, RateCard, TimeEntry

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_state_and_is_idempotent(demo):
    counts = (TimeEntry.objects.count(), Credit.objects.count(), LedgerLine.objects.count(), PayoutRun.objects.count())
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (
        TimeEntry.objects.count(),
        Credit.objects.count(),
        LedgerLine.objects.count(),
        PayoutRun.objects.count(),
    ) == counts
    assert list(RateCard.objects.filter(program=demo).order_by("version").values_list("hourly_rate", flat=True)) == [
        25,
        30,
    ]
    assert set(TimeEntry.objects.values_list("status", flat=True)) == set(TimeEntry.Status.values)
    assert set(Credit.objects.values_list("kind", flat=True)) == set(Credit.Kind.values)
    assert set(LedgerLine.objects.values_list("source", flat=True)) == set(LedgerLine.Source.values)
    assert set(PayoutRun.objects.values_list("status", flat=True)) == {"draft", "confirmed"}
    assert PayoutRunItem.objects.filter(status="failed").count() == 1


def test_every_compensation_page_renders_with_the_demo(client, demo):
    staff = demo.roles.get(role="staff", user__is_superuser=True).user
    artist = LedgerLine.objects.filter(reverses__isnull=False, reverses__kind="paid").get().user
    client.force_login(artist)
    pages = [reverse("compensation:overview"), reverse("compensation:program", args=[demo.slug])]
    pages += [reverse("compensation:statement", args=[demo.slug, 2026, month]) for month in (8, 9, 10, 11)]
    pages += [reverse("programs:detail", args=[demo.slug])]
    for url in pages:
        assert client.get(url).status_code == 200, url
    september = client.get(reverse("compensation:statement", args=[demo.slug, 2026, 9])).content.decode()
    assert "IBAN closed" in september
    client.force_login(staff)
    staff_pages = [
        reverse(f"programs:{name}", args=[demo.slug])
        for name in ("compensation_staff", "hours_queue", "ratecard_new", "award_new")
    ]
    staff_pages += [reverse("programs:payoutrun_detail", args=[demo.slug, run.pk]) for run in PayoutRun.objects.all()]
    staff_pages += [reverse("programs:artist_compensation", args=[demo.slug, artist.pk])]
    for url in staff_pages:
        assert client.get(url).status_code == 200, url
    home = client.get(reverse("programs:compensation_staff", args=[demo.slug])).content.decode()
    assert "Credits not booked yet" in home and "Feedback from the July pilot session" in home
    for name in ("ledgerline", "credit", "timeentry", "payoutrun", "payoutrunitem", "ratecard"):
        assert client.get(reverse(f"admin:programs_{name}_changelist")).status_code == 200, name
