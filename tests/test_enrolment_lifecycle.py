"""The enrolment lifecycle: leave, remove, pause, resume; the transition map; history rows."""

import pytest
from django.urls import reverse

from programs.errors import TransitionRefused
from programs.models import Enrolment, EnrolmentEvent, TrustedPublisher
from programs.services import enrolment as services
from programs.services.trust import trusted_publisher_grant
from tests.conftest import make_program, make_user

pytestmark = pytest.mark.django_db
S = Enrolment.Status


@pytest.fixture
def enrolment(artist):
    return Enrolment.objects.get(user=artist)


def set_status(enrolment, status):
    Enrolment.objects.filter(pk=enrolment.pk).update(status=status)
    enrolment.refresh_from_db()


def test_the_transition_map_covers_every_state_and_never_activates_without_an_invitation():
    assert set(Enrolment.MOVES) == {"", *S.values}
    assert [frm for frm, tos in Enrolment.MOVES.items() if S.ACTIVE in tos] == [S.INVITED, S.PAUSED]


def test_the_artist_leaves_from_the_dashboard_and_a_history_row_says_who_when_and_why(
    client, program, artist, enrolment
):
    client.force_login(artist)
    dashboard = client.get(reverse("dashboard"))
    assert reverse("programs:leave", args=[program.slug]).encode() in dashboard.content
    page = client.get(reverse("programs:leave", args=[program.slug]))
    assert b"still paid" in page.content

    response = client.post(
        reverse("programs:leave_confirm", args=[program.slug]), {"confirm": "on", "reason": "A commission."}
    )

    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == S.LEFT
    event = EnrolmentEvent.objects.get(enrolment=enrolment)
    assert (event.actor, event.from_status, event.to_status, event.reason) == (
        artist,
        S.ACTIVE,
        S.LEFT,
        "A commission.",
    )
    assert event.created_at is not None


def test_leaving_needs_the_confirmation_box(client, program, artist, enrolment):
    client.force_login(artist)
    response = client.post(reverse("programs:leave_confirm", args=[program.slug]), {"reason": "x"})
    assert response.status_code == 400
    enrolment.refresh_from_db()
    assert enrolment.status == S.ACTIVE and not enrolment.events.exists()


def test_leaving_twice_is_refused(client, program, artist, enrolment):
    services.enrolment_leave(enrolment=enrolment, actor=artist)
    with pytest.raises(TransitionRefused, match="is left"):
        services.enrolment_leave(enrolment=enrolment, actor=artist)
    client.force_login(artist)
    assert client.get(reverse("programs:leave", args=[program.slug])).status_code == 404
    assert client.post(reverse("programs:leave_confirm", args=[program.slug]), {"confirm": "on"}).status_code == 404
    assert enrolment.events.count() == 1


def test_only_the_artist_can_leave(enrolment, staff):
    with pytest.raises(TransitionRefused, match="Only the artist"):
        services.enrolment_leave(enrolment=enrolment, actor=staff)


def test_staff_remove_with_a_reason_which_is_recorded(client, program, staff, artist, enrolment):
    client.force_login(staff)
    url = reverse("programs:staff_enrolment_remove", args=[enrolment.pk])
    client.post(url, {"reason": "  "})
    enrolment.refresh_from_db()
    assert enrolment.status == S.ACTIVE

    client.post(url, {"reason": "Shared unapproved videos after two warnings."})

    enrolment.refresh_from_db()
    assert enrolment.status == S.REMOVED
    event = enrolment.events.get()
    assert (event.actor, event.to_status, event.reason) == (
        staff,
        S.REMOVED,
        "Shared unapproved videos after two warnings.",
    )
    client.force_login(artist)
    assert b"Removed" in client.get(reverse("dashboard")).content


def test_staff_pause_and_resume_with_reasons(client, staff, enrolment):
    client.force_login(staff)
    client.post(reverse("programs:staff_enrolment_pause", args=[enrolment.pk]), {"reason": "Asked for a month off."})
    enrolment.refresh_from_db()
    assert enrolment.status == S.PAUSED
    client.post(reverse("programs:staff_enrolment_resume", args=[enrolment.pk]), {"reason": ""})
    enrolment.refresh_from_db()
    assert enrolment.status == S.ACTIVE
    assert list(enrolment.events.values_list("to_status", "reason")) == [
        (S.PAUSED, "Asked for a month off."),
        (S.ACTIVE, "Resumed."),
    ]


def test_pausing_needs_a_reason(staff, enrolment):
    with pytest.raises(TransitionRefused, match="reason"):
        services.enrolment_pause(enrolment=enrolment, actor=staff, reason="")


@pytest.mark.parametrize("status", [S.INVITED, S.ACTIVE, S.LEFT, S.REMOVED])
def test_resume_only_applies_to_a_paused_artist(staff, enrolment, status):
    set_status(enrolment, status)
    with pytest.raises(TransitionRefused, match="Only a paused artist"):
        services.enrolment_resume(enrolment=enrolment, actor=staff)
    assert Enrolment.objects.get(pk=enrolment.pk).status == status


@pytest.mark.parametrize(
    ("status", "call"),
    [
        (S.LEFT, "pause"),
        (S.REMOVED, "pause"),
        (S.INVITED, "pause"),
        (S.LEFT, "remove"),
        (S.REMOVED, "remove"),
        (S.REMOVED, "leave"),
    ],
)
def test_illegal_transitions_are_refused_and_write_nothing(artist, staff, enrolment, status, call):
    set_status(enrolment, status)
    calls = {
        "pause": lambda: services.enrolment_pause(enrolment=enrolment, actor=staff, reason="r"),
        "remove": lambda: services.enrolment_remove(enrolment=enrolment, actor=staff, reason="r"),
        "leave": lambda: services.enrolment_leave(enrolment=enrolment, actor=artist),
    }
    with pytest.raises(TransitionRefused):
        calls[call]()
    assert Enrolment.objects.get(pk=enrolment.pk).status == status and not enrolment.events.exists()


def test_the_staff_page_shows_the_refusal_as_a_message(client, staff, enrolment):
    set_status(enrolment, S.LEFT)
    client.force_login(staff)
    response = client.post(reverse("programs:staff_enrolment_pause", args=[enrolment.pk]), {"reason": "r"})
    assert response.status_code == 302
    assert any("cannot become paused" in str(m) for m in response.wsgi_request._messages)


def test_leaving_or_removal_ends_a_trusted_publisher_exemption(artist, staff, enrolment):
    trusted_publisher_grant(enrolment=enrolment, actor=staff, reason="Consistently careful.")
    services.enrolment_remove(enrolment=enrolment, actor=staff, reason="Broke the embargo.")
    grant = TrustedPublisher.objects.get()
    assert grant.revoked_at is not None and grant.revoke_reason == "Removed from the program."


def test_people_who_are_not_staff_of_the_program_cannot_remove_pause_or_resume(
    client, program, artist, reviewer, enrolment
):
    outsider = make_user("outsider@example.com", is_staff=True)
    from programs.models import ProgramRole

    ProgramRole.objects.create(user=outsider, program=make_program(slug="other"), role=ProgramRole.Role.STAFF)
    for person in (artist, reviewer, outsider):
        client.force_login(person)
        for name in ("staff_enrolment_remove", "staff_enrolment_pause", "staff_enrolment_resume"):
            assert client.post(reverse(f"programs:{name}", args=[enrolment.pk]), {"reason": "x"}).status_code == 404
    assert Enrolment.objects.get(pk=enrolment.pk).status == S.ACTIVE and not enrolment.events.exists()


def test_the_roster_and_artist_page_show_state_agreement_and_history(client, program, staff, artist, enrolment):
    services.enrolment_pause(enrolment=enrolment, actor=staff, reason="Festival deadline.")
    client.force_login(staff)
    roster = client.get(reverse("programs:staff_roster", args=[program.slug]) + "?status=paused")
    assert roster.status_code == 200 and list(roster.context["enrolments"]) == [enrolment]
    page = client.get(reverse("programs:staff_enrolment", args=[enrolment.pk]))
    assert b"Festival deadline." in page.content and b"Resume" in page.content
