"""Hours are quarter hours in ASCII digits, refused otherwise (never rounded), and the same hours form sent
twice logs one entry (issue 12, §1)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.forms.compensation import NewTimeEntryForm, TimeEntryForm
from programs.models import Enrolment, TimeEntry

pytestmark = pytest.mark.django_db

REFUSED = [
    "1.1",
    "0.25e1",
    "1e1",
    " 2 ",
    "2 ",
    "١٢",  # Arabic-Indic twelve
    "\uff11\uff12",  # fullwidth twelve
    "+2",
    "-1",
    "0",
    "0.2",
    "1.125",
    "24.25",
    "25",
    "1,5",
    "1_0",
    "0x1",
    "NaN",
    "Infinity",
    ".5",
    "",
]
ACCEPTED = {"0.25": 15, "1.5": 90, "1.50": 90, "1.75": 105, "2": 120, "07.25": 435, "24": 1440}


@pytest.fixture
def enrolment(artist, program) -> Enrolment:
    return Enrolment.objects.get(user=artist, program=program)


def _form(enrolment, hours: str) -> TimeEntryForm:
    data = {"worked_on": timezone.localdate().isoformat(), "hours": hours, "category": "testing"}
    return TimeEntryForm(data, enrolment=enrolment)


@pytest.mark.parametrize("hours", REFUSED)
def test_hours_not_written_as_quarter_hours_in_ascii_digits_are_refused(enrolment, hours):
    form = _form(enrolment, hours)
    assert not form.is_valid()
    assert form.errors["hours"], hours


@pytest.mark.parametrize(("hours", "minutes"), ACCEPTED.items())
def test_quarter_hours_in_digits_are_taken_exactly(enrolment, hours, minutes):
    form = _form(enrolment, hours)
    assert form.is_valid(), form.errors
    assert form.minutes == minutes


@pytest.mark.parametrize("hours", ["1.1", "0.25e1", "1e1", " 2 ", "١٢"])
def test_the_page_refuses_them_with_a_clear_message_and_stores_nothing(client, artist, program, hours):
    client.force_login(artist)
    token = NewTimeEntryForm.base_fields["form_token"].issue()
    data = {"worked_on": timezone.localdate().isoformat(), "hours": hours, "category": "testing", "form_token": token}
    response = client.post(reverse("compensation:log_hours", args=[program.slug]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Write the hours with the digits 0 to 9" in page or "quarter hours" in page
    assert not TimeEntry.objects.exists()


def _token_from_page(client, program) -> str:
    page = client.get(reverse("compensation:program", args=[program.slug])).content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


def test_the_same_hours_form_sent_twice_logs_one_entry(client, artist, program):
    client.force_login(artist)
    token = _token_from_page(client, program)
    data = {"worked_on": timezone.localdate().isoformat(), "hours": "1.5", "category": "testing", "form_token": token}
    url = reverse("compensation:log_hours", args=[program.slug])
    first, second = client.post(url, data), client.post(url, data)
    entry = TimeEntry.objects.get()
    assert first["Location"] == second["Location"] and first["Location"].endswith(f"#entry-{entry.pk}")
    assert entry.minutes == 90
    fresh = {**data, "form_token": _token_from_page(client, program)}  # the form shown again: a new entry
    assert client.post(url, fresh).status_code == 302
    assert TimeEntry.objects.count() == 2


def test_each_showing_of_the_form_carries_a_new_token(client, artist, program):
    client.force_login(artist)
    assert _token_from_page(client, program) != _token_from_page(client, program)


@pytest.mark.parametrize("token", ["", "my-own-key", "0" * 32, "abc:def"])
def test_a_token_the_server_did_not_issue_is_refused(client, artist, program, token):
    client.force_login(artist)
    data = {"worked_on": timezone.localdate().isoformat(), "hours": "1", "category": "testing", "form_token": token}
    response = client.post(reverse("compensation:log_hours", args=[program.slug]), data)
    assert response.status_code == 400
    assert "reload the page" in response.content.decode()
    assert not TimeEntry.objects.exists()


def test_another_artist_cannot_spend_my_token(client, artist, other_artist, program):
    """Tokens count per person: someone else's use of the same form never swallows mine."""
    client.force_login(artist)
    token = _token_from_page(client, program)
    data = {"worked_on": timezone.localdate().isoformat(), "hours": "1", "category": "testing", "form_token": token}
    url = reverse("compensation:log_hours", args=[program.slug])
    client.force_login(other_artist)
    client.post(url, data)
    client.force_login(artist)
    client.post(url, data)
    assert sorted(TimeEntry.objects.values_list("user__email", flat=True)) == [artist.email, other_artist.email]
