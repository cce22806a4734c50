"""An artist chooses how they are credited publicly when they join (a name, or anonymous as an explicit choice)
and changes it on their profile page; every public page that names them follows."""

import pytest
from django.urls import reverse

from portal.models import User
from programs.models import AgreementAcceptance, Enrolment, Invitation
from programs.services import invitations
from submissions.services import approvals
from tests.approval_helpers import setup_review, video_in_review
from tests.conftest import make_user, publish_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(program, staff, client):
    agreement = publish_agreement(program, actor=staff)
    invitation = invitations.invitation_send(
        program=program, cohort=program.cohorts.first(), email="nia@example.com", actor=staff
    )
    person = make_user("nia@example.com")  # signed up with an address and a password only: no names yet
    client.force_login(person)
    return invitation, agreement, person


def accept(client, invitation, agreement, **credit):
    data = {"version": agreement.pk, "content_hash": agreement.content_hash, "confirm": "on"}
    data.update({f"credit-{name}": value for name, value in credit.items()})
    return client.post(reverse("programs:invitation_accept", args=[invitation.token]), data)


def test_joining_asks_how_to_credit_the_artist(client, invited):
    invitation, _, _ = invited
    page = client.get(reverse("programs:invitation", args=[invitation.token]))
    assert "How should we credit you publicly?" in page.text
    assert 'name="credit-credit_name"' in page.text and 'name="credit-credit_anonymous"' in page.text


@pytest.mark.parametrize(
    ("credit", "public"),
    [
        ({"credit_name": "  Nia   Nightjar "}, "Nia Nightjar"),
        ({"credit_anonymous": "on"}, "Anonymous artist"),
        ({"credit_name": "Nia Nightjar", "credit_anonymous": "on"}, "Anonymous artist"),
    ],
    ids=["a name", "anonymous", "anonymous wins over a name"],
)
def test_the_artist_joins_with_the_credit_they_chose(client, invited, credit, public):
    invitation, agreement, person = invited
    assert accept(client, invitation, agreement, **credit).status_code == 302
    person.refresh_from_db()
    assert person.public_credit == public
    assert Enrolment.objects.get(user=person).status == Enrolment.Status.ACTIVE


@pytest.mark.parametrize(
    "credit", [{}, {"credit_name": "   "}, {"credit_name": "x" * 121}], ids=["none", "blank", "long"]
)
def test_joining_without_a_credit_or_the_anonymous_choice_is_refused_and_stores_nothing(client, invited, credit):
    invitation, agreement, person = invited
    response = accept(client, invitation, agreement, **credit)
    assert response.status_code == 400
    assert "anonymous" in response.text
    assert not Enrolment.objects.filter(user=person).exists() and not AgreementAcceptance.objects.exists()
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.PENDING
    person.refresh_from_db()
    assert (person.credit_name, person.credit_anonymous) == ("", False)


def test_the_profile_page_shows_and_changes_names_and_credit(client, artist):
    client.force_login(artist)
    page = client.get(reverse("profile"))
    assert page.status_code == 200 and "Ada Artist" in page.text
    response = client.post(
        reverse("profile_update"),
        {"credit-display_name": "Ada A.", "credit-credit_name": "Ada Lumière", "credit-credit_anonymous": ""},
    )
    assert response.status_code == 302 and response["Location"] == reverse("profile")
    artist.refresh_from_db()
    assert (artist.display_name, artist.public_credit) == ("Ada A.", "Ada Lumière")
    assert "Ada Lumière" in client.get(reverse("profile")).text


def test_a_profile_without_credit_or_anonymous_choice_is_refused_and_unchanged(client, artist):
    client.force_login(artist)
    response = client.post(reverse("profile_update"), {"credit-display_name": "Someone", "credit-credit_name": ""})
    assert response.status_code == 400 and "anonymous" in response.text
    assert User.objects.get(pk=artist.pk).display_name == "Ada Artist"


def test_the_dashboard_links_to_the_profile_with_the_current_credit(client, artist):
    client.force_login(artist)
    page = client.get(reverse("dashboard"))
    assert reverse("profile") in page.text and artist.public_credit in page.text


def test_every_public_page_naming_the_artist_follows_the_choice(client, program, artist, reviewer):
    setup_review(program, safety=[reviewer], lead=[reviewer], distinct_people=False)
    video = video_in_review(artist, program)
    for _ in range(2):
        approvals.review_decide(video_id=video.pk, reviewer=reviewer, outcome="approve")
    approvals.video_publish(video_id=video.pk, artist=artist)
    video.refresh_from_db()
    pages = [reverse("submissions:gallery"), reverse("submissions:gallery_video", args=[video.public_id])]

    client.force_login(artist)
    client.post(reverse("profile_update"), {"credit-credit_name": "Ada Lumière"})
    client.logout()
    assert all("Ada Lumière" in client.get(page).text for page in pages)

    client.force_login(artist)
    client.post(reverse("profile_update"), {"credit-credit_name": "Ada Lumière", "credit-credit_anonymous": "on"})
    client.logout()
    for page in pages:
        text = client.get(page).text
        assert "Anonymous artist" in text and "Ada Lumière" not in text and "Ada Artist" not in text


def test_the_demo_credits_its_artists_and_one_chose_anonymity(client, demo):
    from demo.users import ANONYMOUS_ARTIST, email_for
    from submissions.models import Video

    artists = User.objects.filter(enrolments__program=demo).distinct()
    credited = [a for a in artists if a.credit_name and not a.credit_anonymous]
    assert len(credited) >= 10
    anonymous = User.objects.get(email=email_for(ANONYMOUS_ARTIST))
    assert anonymous.credit_anonymous and anonymous.public_credit == "Anonymous artist"
    published = Video.objects.filter(artist=anonymous, status=Video.Status.PUBLISHED).first()
    assert published is not None, "the anonymous artist has a published video to show it"
    page = client.get(reverse("submissions:gallery_video", args=[published.public_id])).text
    assert "Anonymous artist" in page and ANONYMOUS_ARTIST not in page
