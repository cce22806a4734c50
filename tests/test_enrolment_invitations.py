"""Invitations: the emailed single-use, expiring link; accepting it with the current agreement; every refusal."""

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from programs.errors import CohortFull, TransitionRefused
from programs.models import AgreementAcceptance, Cohort, Enrolment, EnrolmentEvent, Invitation
from programs.services import invitations
from tests.conftest import enrol, make_program, make_user, publish_agreement

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://\S+/programs/invitations/(\S+)/")


@pytest.fixture
def agreement(program, staff):
    return publish_agreement(program, actor=staff)


@pytest.fixture
def sent(program, staff, agreement, django_capture_on_commit_callbacks):
    """An invitation to someone who never applied and has no account yet, as emailed."""
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitations.invitation_send(
            program=program, cohort=program.cohorts.first(), email="New.Person@Example.com", actor=staff,
            message="We loved your short at the festival.",
        )  # fmt: skip
    return invitation


def accept_data(version, **overrides) -> dict:
    return {
        "version": version.pk,
        "content_hash": version.content_hash,
        "confirm": "on",
        "credit-credit_name": "Nova Person",
        **overrides,
    }


def test_staff_invite_someone_who_never_applied_and_the_email_carries_a_single_link(sent):
    assert sent.email == "new.person@example.com" and sent.user is None and sent.enrolment is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.com"]
    assert "We loved your short at the festival." in message.body
    assert LINK.search(message.body).group(1) == sent.token
    sent.refresh_from_db()
    assert sent.sent_count == 1 and sent.last_sent_at is not None
    assert sent.expires_at - timezone.now() > dt.timedelta(days=13)


def test_a_visitor_who_is_not_signed_in_sees_the_offer_and_how_to_sign_in(client, sent):
    response = client.get(reverse("programs:invitation", args=[sent.token]))
    assert response.status_code == 200
    assert b"new.person@example.com" in response.content and b"Create an account" in response.content


def test_the_invitee_signs_up_with_the_address_reads_and_accepts_and_becomes_active(client, sent, agreement, staff):
    person = make_user("new.person@example.com", display_name="Nia New")
    client.force_login(person)
    page = client.get(reverse("programs:invitation", args=[sent.token]))
    assert page.status_code == 200 and agreement.body.split("\n")[0].encode() in page.content

    response = client.post(
        reverse("programs:invitation_accept", args=[sent.token]),
        accept_data(agreement),
        REMOTE_ADDR="198.51.100.9",
        HTTP_USER_AGENT="Firefox/140",
    )

    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    enrolment = Enrolment.objects.get(user=person)
    assert enrolment.status == Enrolment.Status.ACTIVE and enrolment.cohort == sent.cohort
    assert list(enrolment.events.values_list("from_status", "to_status", "actor")) == [
        ("", "invited", staff.pk),
        ("invited", "active", person.pk),
    ]
    acceptance = AgreementAcceptance.objects.get(enrolment=enrolment)
    assert acceptance.version == agreement and acceptance.content_hash == agreement.content_hash
    assert acceptance.ip_address == "198.51.100.9" and acceptance.user_agent == "Firefox/140"
    sent.refresh_from_db()
    assert (sent.status, sent.user, sent.enrolment, sent.closed_by) == ("accepted", person, enrolment, person)


def test_a_reused_link_is_refused_and_changes_nothing(client, sent, agreement):
    person = make_user("new.person@example.com")
    client.force_login(person)
    client.post(reverse("programs:invitation_accept", args=[sent.token]), accept_data(agreement))
    events = EnrolmentEvent.objects.count()

    again = client.post(reverse("programs:invitation_accept", args=[sent.token]), accept_data(agreement))

    assert again.status_code == 410 and b"already been used" in again.content
    assert client.get(reverse("programs:invitation", args=[sent.token])).status_code == 410
    assert EnrolmentEvent.objects.count() == events and AgreementAcceptance.objects.count() == 1


def test_an_expired_link_is_refused_and_changes_nothing(client, sent, agreement):
    Invitation.objects.filter(pk=sent.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    person = make_user("new.person@example.com")
    client.force_login(person)
    page = client.get(reverse("programs:invitation", args=[sent.token]))
    assert page.status_code == 410 and b"expired" in page.content
    response = client.post(reverse("programs:invitation_accept", args=[sent.token]), accept_data(agreement))
    assert response.status_code == 410
    assert not Enrolment.objects.filter(user=person).exists()
    assert Invitation.objects.get(pk=sent.pk).status == "pending"


def test_a_link_sent_to_someone_else_is_refused_and_changes_nothing(client, sent, agreement, artist):
    client.force_login(artist)
    page = client.get(reverse("programs:invitation", args=[sent.token]))
    assert page.status_code == 403 and b"different email address" in page.content
    response = client.post(reverse("programs:invitation_accept", args=[sent.token]), accept_data(agreement))
    assert response.status_code == 403
    assert Invitation.objects.get(pk=sent.pk).status == "pending"
    assert not AgreementAcceptance.objects.exists()


def test_an_unverified_address_does_not_make_the_link_yours(client, sent, agreement, artist):
    EmailAddress.objects.create(user=artist, email="new.person@example.com", verified=False)
    client.force_login(artist)
    assert client.get(reverse("programs:invitation", args=[sent.token])).status_code == 403
    EmailAddress.objects.filter(email="new.person@example.com").update(verified=True)
    assert client.get(reverse("programs:invitation", args=[sent.token])).status_code == 200


def test_an_unknown_token_is_404(client, artist):
    client.force_login(artist)
    assert client.get(reverse("programs:invitation", args=["no-such-token"])).status_code == 404
    assert client.post(reverse("programs:invitation_accept", args=["no-such-token"]), {}).status_code == 404


def test_accepting_needs_the_confirmation_box(client, sent, agreement):
    client.force_login(make_user("new.person@example.com"))
    response = client.post(reverse("programs:invitation_accept", args=[sent.token]), accept_data(agreement, confirm=""))
    assert response.status_code == 400 and b"Tick the box" in response.content
    assert Invitation.objects.get(pk=sent.pk).status == "pending"


def test_accepting_an_outdated_agreement_version_is_refused(client, sent, agreement, program, staff):
    """The form was loaded with version 1; version 2 was published before it was submitted."""
    client.force_login(make_user("new.person@example.com"))
    form = client.get(reverse("programs:invitation", args=[sent.token])).context["form"]
    newer = publish_agreement(program, agreement.body + "\n\n4. A new clause.", actor=staff)

    response = client.post(reverse("programs:invitation_accept", args=[sent.token]), accept_data(agreement))

    assert response.status_code == 302 and response["Location"] == reverse("programs:invitation", args=[sent.token])
    assert any("version 2" in str(m) for m in response.wsgi_request._messages)
    assert form.initial["version"] == agreement.pk
    assert Invitation.objects.get(pk=sent.pk).status == "pending"
    assert not AgreementAcceptance.objects.exists()
    page = client.get(response["Location"])
    assert page.context["current"] == newer


def test_a_forged_hash_for_the_current_version_is_refused(client, sent, agreement):
    client.force_login(make_user("new.person@example.com"))
    client.post(reverse("programs:invitation_accept", args=[sent.token]), accept_data(agreement, content_hash="0" * 64))
    assert not AgreementAcceptance.objects.exists()


def test_without_a_published_agreement_nobody_can_accept(client, program, staff):
    invitation = invitations.invitation_send(
        program=program, cohort=program.cohorts.first(), email="x@example.com", actor=staff
    )
    client.force_login(make_user("x@example.com"))
    page = client.get(reverse("programs:invitation", args=[invitation.token]))
    assert b"has not published its participation agreement" in page.content and page.context["form"] is None
    client.post(
        reverse("programs:invitation_accept", args=[invitation.token]),
        {"version": 1, "content_hash": "a", "confirm": "on"},
    )
    assert Invitation.objects.get(pk=invitation.pk).status == "pending"


def test_the_ip_comes_from_remote_addr_and_a_client_sent_header_is_ignored(client, sent, agreement):
    client.force_login(make_user("new.person@example.com"))
    client.post(
        reverse("programs:invitation_accept", args=[sent.token]),
        accept_data(agreement),
        REMOTE_ADDR="192.0.2.1",
        HTTP_X_FORWARDED_FOR="6.6.6.6",
    )
    assert AgreementAcceptance.objects.get().ip_address == "192.0.2.1"


def test_the_ip_comes_from_the_proxy_header_when_a_setting_says_so(client, sent, agreement, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    client.force_login(make_user("new.person@example.com"))
    client.post(
        reverse("programs:invitation_accept", args=[sent.token]),
        accept_data(agreement),
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.50",  # the client forged the first; our proxy appended the last
    )
    assert AgreementAcceptance.objects.get().ip_address == "203.0.113.50"


def test_an_invitation_to_a_known_address_makes_an_invited_enrolment(program, staff):
    known = make_user("known@example.com")
    invitation = invitations.invitation_send(
        program=program, cohort=program.cohorts.first(), email="KNOWN@example.com", actor=staff
    )
    assert invitation.user == known
    assert Enrolment.objects.get(user=known).status == Enrolment.Status.INVITED


def test_inviting_an_active_artist_or_a_second_pending_invitation_is_refused(program, staff, artist):
    cohort = program.cohorts.first()
    with pytest.raises(TransitionRefused, match="already active"):
        invitations.invitation_send(program=program, cohort=cohort, email=artist.email, actor=staff)
    invitations.invitation_send(program=program, cohort=cohort, email="twice@example.com", actor=staff)
    with pytest.raises(TransitionRefused, match="already has a pending invitation"):
        invitations.invitation_send(program=program, cohort=cohort, email="Twice@example.com", actor=staff)
    assert Invitation.objects.filter(email="twice@example.com").count() == 1


def test_an_expired_invitation_is_replaced_by_a_new_one(program, staff):
    cohort = program.cohorts.first()
    old = invitations.invitation_send(program=program, cohort=cohort, email="late@example.com", actor=staff)
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    new = invitations.invitation_send(program=program, cohort=cohort, email="late@example.com", actor=staff)
    old.refresh_from_db()
    assert old.status == "revoked" and "replaced" in old.close_reason and new.status == "pending"


def test_a_former_artist_can_be_invited_back(program, staff, artist):
    Enrolment.objects.filter(user=artist).update(status=Enrolment.Status.LEFT)
    invitations.invitation_send(program=program, cohort=program.cohorts.first(), email=artist.email, actor=staff)
    enrolment = Enrolment.objects.get(user=artist)
    assert enrolment.status == Enrolment.Status.INVITED
    assert enrolment.events.last().from_status == Enrolment.Status.LEFT


def test_inviting_into_a_full_cohort_is_refused(program, staff):
    tiny = Cohort.objects.create(program=program, name="Tiny", capacity=1)
    enrol(make_user("seated@example.com"), program, cohort=tiny)
    with pytest.raises(CohortFull):
        invitations.invitation_send(program=program, cohort=tiny, email="y@example.com", actor=staff)
    assert not Invitation.objects.exists()


def test_resending_makes_a_new_link_and_the_old_one_stops_working(
    client, sent, staff, django_capture_on_commit_callbacks
):
    old_token = sent.token
    Invitation.objects.filter(pk=sent.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("programs:staff_invitation_resend", args=[sent.pk]))
    sent.refresh_from_db()
    assert sent.token != old_token and not sent.is_expired and sent.sent_count == 2
    assert LINK.search(mail.outbox[-1].body).group(1) == sent.token
    assert client.get(reverse("programs:invitation", args=[old_token])).status_code == 404


def test_revoking_needs_a_reason_and_withdraws_the_invited_place(client, program, staff, agreement):
    known = make_user("known@example.com")
    invitation = invitations.invitation_send(
        program=program, cohort=program.cohorts.first(), email=known.email, actor=staff
    )
    client.force_login(staff)
    client.post(reverse("programs:staff_invitation_revoke", args=[invitation.pk]), {"reason": ""})
    assert Invitation.objects.get(pk=invitation.pk).status == "pending"

    client.post(reverse("programs:staff_invitation_revoke", args=[invitation.pk]), {"reason": "Sent by mistake."})

    invitation.refresh_from_db()
    assert (invitation.status, invitation.close_reason, invitation.closed_by) == ("revoked", "Sent by mistake.", staff)
    enrolment = Enrolment.objects.get(user=known)
    assert enrolment.status == Enrolment.Status.REMOVED and enrolment.events.last().reason == "Sent by mistake."
    client.force_login(known)
    assert client.get(reverse("programs:invitation", args=[invitation.token])).status_code == 410


def test_staff_send_invitations_from_their_page(client, program, staff, django_capture_on_commit_callbacks):
    client.force_login(staff)
    url = reverse("programs:staff_invitation_send", args=[program.slug])
    bad = client.post(url, {"email": "not-an-email", "cohort": program.cohorts.first().pk})
    assert bad.status_code == 400 and not Invitation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        good = client.post(url, {"email": "fresh@example.com", "cohort": program.cohorts.first().pk, "message": "Hi"})
    assert good.status_code == 302 and Invitation.objects.get().email == "fresh@example.com"
    assert mail.outbox[0].to == ["fresh@example.com"]
    page = client.get(reverse("programs:staff_invitations", args=[program.slug]))
    assert b"fresh@example.com" in page.content and b"Pending" in page.content


def test_people_who_are_not_staff_of_the_program_cannot_invite_resend_or_revoke(
    client, program, sent, artist, reviewer
):
    other_program = make_program(slug="other")
    outsider_staff = make_user("outsider@example.com", is_staff=True)
    from programs.models import ProgramRole

    ProgramRole.objects.create(user=outsider_staff, program=other_program, role=ProgramRole.Role.STAFF)
    send = reverse("programs:staff_invitation_send", args=[program.slug])
    for person in (artist, reviewer, outsider_staff):
        client.force_login(person)
        assert client.post(send, {"email": "z@example.com", "cohort": program.cohorts.first().pk}).status_code == 403
        assert client.post(reverse("programs:staff_invitation_resend", args=[sent.pk])).status_code == 404
        revoke = reverse("programs:staff_invitation_revoke", args=[sent.pk])
        assert client.post(revoke, {"reason": "x"}).status_code == 404
    assert Invitation.objects.get().status == "pending" and Invitation.objects.count() == 1


def test_an_invited_artist_can_decline_by_leaving(client, program, staff, agreement):
    known = make_user("known@example.com")
    invitation = invitations.invitation_send(
        program=program, cohort=program.cohorts.first(), email=known.email, actor=staff
    )
    client.force_login(known)
    client.post(reverse("programs:leave_confirm", args=[program.slug]), {"confirm": "on"})
    assert Enrolment.objects.get(user=known).status == Enrolment.Status.LEFT
    assert Invitation.objects.get(pk=invitation.pk).status == "declined"
    assert client.get(reverse("programs:invitation", args=[invitation.token])).status_code == 410
