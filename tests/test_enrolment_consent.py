"""Consent: three separate choices per program, off by default, versioned, revocable, with a receipt."""

import pytest
from django.urls import reverse

from programs.errors import ConsentRefused
from programs.models import ConsentRecord, Enrolment
from programs.selectors.consent import current_consent
from programs.services.consent import consent_set
from tests.conftest import make_program, make_user

pytestmark = pytest.mark.django_db


def save(client, program, **choices):
    data = {key: "on" for key, value in choices.items() if value}
    return client.post(reverse("programs:consent_update", args=[program.slug]), data, REMOTE_ADDR="192.0.2.5")


def test_everything_is_off_until_the_artist_turns_it_on(client, program, artist):
    state = current_consent(artist, program)
    assert state.choices() == {"training": False, "marketing": False, "showcase": False} and state.record is None
    client.force_login(artist)
    page = client.get(reverse("programs:consent", args=[program.slug]))
    assert page.status_code == 200 and b"none of these uses is allowed" in page.content
    assert not any(page.context["form"].initial.values())


def test_each_change_is_a_new_numbered_record_and_the_newest_is_in_force(client, program, artist):
    client.force_login(artist)
    save(client, program, training=True, showcase=True)
    save(client, program, showcase=True)  # training revoked
    records = list(ConsentRecord.objects.filter(user=artist).order_by("version"))
    assert [(r.version, r.training, r.marketing, r.showcase) for r in records] == [
        (1, True, False, True),
        (2, False, False, True),
    ]
    assert records[1].ip_address == "192.0.2.5" and records[0].created_at <= records[1].created_at
    assert current_consent(artist, program).choices() == {"training": False, "marketing": False, "showcase": True}


def test_saving_the_same_choices_twice_writes_nothing(client, program, artist):
    client.force_login(artist)
    save(client, program, marketing=True)
    response = save(client, program, marketing=True)
    assert ConsentRecord.objects.count() == 1
    assert any("No change" in str(m) for m in response.wsgi_request._messages)


def test_choices_are_per_program(program, artist):
    other = make_program(slug="other")
    Enrolment.objects.create(user=artist, program=other, status="active")
    consent_set(user=artist, program=program, training=True, marketing=True, showcase=True)
    assert not any(current_consent(artist, other).choices().values())


def test_a_former_artist_can_still_revoke(client, program, artist):
    consent_set(user=artist, program=program, training=True, marketing=True, showcase=True)
    Enrolment.objects.filter(user=artist).update(status="left")
    client.force_login(artist)
    save(client, program)
    assert not any(current_consent(artist, program).choices().values())


def test_someone_with_no_place_in_the_program_has_no_consent_to_give(client, program):
    stranger = make_user("stranger@example.com")
    with pytest.raises(ConsentRefused):
        consent_set(user=stranger, program=program, training=True, marketing=False, showcase=False)
    client.force_login(stranger)
    assert save(client, program, training=True).status_code == 404
    assert client.get(reverse("programs:consent", args=[program.slug])).status_code == 404
    assert client.get(reverse("programs:consent_receipt", args=[program.slug])).status_code == 404
    assert not ConsentRecord.objects.exists()


def test_the_receipt_lists_current_and_past_choices_with_times(client, program, artist):
    consent_set(user=artist, program=program, training=True, marketing=True, showcase=False)
    consent_set(user=artist, program=program, training=False, marketing=True, showcase=False)
    client.force_login(artist)
    response = client.get(reverse("programs:consent_receipt", args=[program.slug]))
    text = response.content.decode()
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{program.slug}-consent-receipt.txt"'
    assert "In force now (version 2" in text
    assert "Model training: not allowed" in text and "Marketing: allowed" in text
    assert "Version 1," in text and "training allowed; marketing allowed; showcase not allowed" in text
    assert artist.email in text


def test_another_artist_never_sees_my_choices(client, program, artist, other_artist):
    consent_set(user=artist, program=program, training=True, marketing=True, showcase=True)
    client.force_login(other_artist)
    receipt = client.get(reverse("programs:consent_receipt", args=[program.slug])).content.decode()
    assert "no choice made yet" in receipt and artist.email not in receipt
