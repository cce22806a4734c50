"""Blind review holds on every page a reviewer can reach: with the program's blind review on, no page, partial,
CSV or JSON the reviewer can open names the artist of a video (name, email or credit name)."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from submissions.models import ReasonCode, ReviewPolicy
from submissions.services import approvals
from tests.access_table import EXPECTATIONS, ROLES
from tests.approval_helpers import video_in_review
from tests.test_access_matrix import world  # noqa: F401  (the matrix's world: every URL's objects)

REVIEWER = ROLES.index("reviewer")
REVIEWER_URLS = sorted(name for name, expect in EXPECTATIONS.items() if expect.codes[REVIEWER] == 200)
# Query strings that select another rendering of the same view.
VARIANTS = {
    "submissions:video_status": ["", "?fragment=row"],
    "submissions:video_detail": ["", "?t=1"],
    "submissions:review_queue": ["", "?state=pending_review", "?per_page=10"],
}


@pytest.fixture
def blind(world):  # noqa: F811
    """The world's program reviews blind; its artist has a credit name. The artist's published video is taken
    down first: a published video credits its artist in public, which is the artist's choice, not a leak."""
    ReviewPolicy.objects.filter(program=world.program).update(blind_review=True)
    artist = world.users["artist"]
    artist.credit_name = "Ada Lovelace Films"
    artist.save(update_fields=["credit_name"])
    approvals.video_unpublish(video_id=world.published.pk, actor=world.users["staff"], reason="Blind review test.")
    # The world's video is rejected and appealed by its artist (their acts in its history), and another waits.
    code = ReasonCode.objects.filter(program=world.program).first()
    approvals.review_decide(
        video_id=world.video.pk, reviewer=world.users["reviewer"], outcome="reject", reason_code=code, note="No."
    )
    approvals.video_appeal(video_id=world.video.pk, artist=artist, statement="Please look again.")
    world.waiting = video_in_review(artist, world.program)
    return world


def secrets_of(user) -> list[str]:
    return [user.display_name, user.email, user.credit_name]


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


@pytest.mark.django_db
@pytest.mark.parametrize("name", REVIEWER_URLS)
def test_no_page_a_reviewer_can_open_names_the_artist_under_blind_review(client, blind, name):
    url = reverse(name, kwargs=EXPECTATIONS[name].kwargs(blind))
    client.force_login(blind.users["reviewer"])
    for query in VARIANTS.get(name, [""]):
        response = client.get(url + query)
        assert response.status_code == 200 or name.startswith("submissions:gallery_"), (url + query, response)
        text = body(response)
        for secret in secrets_of(blind.users["artist"]):
            assert secret not in text, f"{url}{query} names the artist: {secret!r}"


@pytest.mark.django_db
def test_the_video_page_still_names_the_artist_to_the_artist_and_staff(client, blind):
    url = reverse("submissions:video_detail", args=[blind.video.pk])
    for role in ("artist", "staff"):
        client.force_login(blind.users[role])
        assert "Ada Artist" in client.get(url).text, role


@pytest.mark.django_db
def test_the_waiting_videos_review_pages_do_not_name_the_artist(client, blind):
    client.force_login(blind.users["reviewer"])
    for url in (
        reverse("submissions:review_video", args=[blind.waiting.pk]),
        reverse("submissions:video_detail", args=[blind.waiting.pk]),
        reverse("submissions:video_status", args=[blind.waiting.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert not [s for s in secrets_of(blind.users["artist"]) if s in response.text], url
    queue = client.get(reverse("submissions:review_queue")).text
    assert blind.waiting.display_title in queue and "Anonymous (blind review)" in queue


@pytest.mark.django_db
def test_reminder_mails_to_reviewers_do_not_name_the_artist(blind, django_capture_on_commit_callbacks):
    review = blind.waiting.review
    mail.outbox.clear()
    with (
        time_machine.travel(review.deadline_at - dt.timedelta(hours=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert approvals.reviews_send_reminders() >= 1
    to_reviewer = [m for m in mail.outbox if blind.users["reviewer"].email in m.to]
    assert to_reviewer
    for message in to_reviewer:
        for secret in secrets_of(blind.users["artist"]):
            assert secret not in message.subject + message.body
