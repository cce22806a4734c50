"""A form is offered only when its action is possible (otherwise the page says when it was or will be), and
after each action the natural next step is one click away (issue 21)."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from submissions.models import Video
from submissions.services import approvals
from tests.approval_helpers import setup_review, video_in_review
from tests.conftest import compensation_world
from transparency.services import transparency_snapshot_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(program, reviewer):
    return setup_review(program, safety=[reviewer], lead=[reviewer], distinct_people=False)


def _rejected(program, artist, reviewer, rules) -> Video:
    video = video_in_review(artist, program)
    approvals.review_decide(
        video_id=video.pk, reviewer=reviewer, outcome="reject", reason_code=rules["code"], note="No."
    )
    return video


def _page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- Forms for closed actions -------------------------------------------------------------------------------
def test_the_appeal_form_says_until_when_it_is_open(client, program, artist, reviewer, rules):
    video = _rejected(program, artist, reviewer, rules)
    html = _page(client, artist, reverse("submissions:video_detail", args=[video.pk]))
    assert reverse("submissions:video_appeal", args=[video.pk]) in html
    assert "You can appeal until" in html


def test_after_the_appeal_window_the_page_says_when_it_closed_instead_of_offering_the_form(
    client, program, artist, reviewer, rules
):
    video = _rejected(program, artist, reviewer, rules)
    with time_machine.travel(timezone.now() + dt.timedelta(days=30)):
        html = _page(client, artist, reverse("submissions:video_detail", args=[video.pk]))
    assert reverse("submissions:video_appeal", args=[video.pk]) not in html
    assert "The time to appeal ended on" in html and "10 business days" in html
    assert f"{reverse('submissions:video_new')}?program={program.slug}" in html


def test_publish_todays_snapshot_is_offered_only_until_it_is_published(client, program, staff):
    url = reverse("transparency:report", args=[program.slug])
    publish = reverse("transparency:publish", args=[program.slug])
    assert publish in _page(client, staff, url)
    snapshot = transparency_snapshot_publish(program=program, actor=staff)
    html = _page(client, staff, url)
    assert publish not in html
    assert "The next one can be published tomorrow" in html
    assert reverse("transparency:snapshot", args=[program.slug, snapshot.published_on]) in html


# --- Dead ends ---------------------------------------------------------------------------------------------
def test_after_publishing_the_artist_gets_the_public_page_and_a_share_link(client, program, artist, reviewer, rules):
    video = video_in_review(artist, program)
    for _ in range(2):
        approvals.review_decide(video_id=video.pk, reviewer=reviewer, outcome="approve")
    client.force_login(artist)
    response = client.post(reverse("submissions:video_publish", args=[video.pk]), follow=True)
    html = response.content.decode()
    video.refresh_from_db()
    public = reverse("submissions:gallery_video", args=[video.public_id])
    assert f'href="{public}"' in html
    share = re.search(r'<input id="share-link"[^>]*value="([^"]+)"', html).group(1)
    assert share == f"http://testserver{public}"


def test_the_public_page_offers_a_download(client, program, artist, reviewer, rules):
    video = video_in_review(artist, program)
    for _ in range(2):
        approvals.review_decide(video_id=video.pk, reviewer=reviewer, outcome="approve")
    approvals.video_publish(video_id=video.pk, artist=artist)
    client.logout()
    html = client.get(reverse("submissions:gallery_video", args=[video.public_id])).content.decode()
    download = re.search(r'href="([^"]+\?download=1)" download', html).group(1)
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == video.file.open("rb").read()


def test_after_appealing_the_artist_lands_on_where_the_appeal_stands(client, program, artist, reviewer, rules):
    video = _rejected(program, artist, reviewer, rules)
    client.force_login(artist)
    response = client.post(reverse("submissions:video_appeal", args=[video.pk]), {"statement": "It is fiction."})
    assert response["Location"] == reverse("submissions:video_detail", args=[video.pk]) + "#appeal"
    html = client.get(response["Location"]).content.decode()
    assert 'id="appeal"' in html and "To be decided by" in html


def test_after_a_decision_the_reviewer_is_one_click_from_the_next_video(client, program, artist, reviewer, rules):
    video = video_in_review(artist, program)
    client.force_login(reviewer)
    response = client.post(
        reverse("submissions:review_decide", args=[video.pk]), {"outcome": "approve"}, headers={"HX-Request": "true"}
    )
    assert f'action="{reverse("submissions:review_next")}"' in response.content.decode()


# --- Raw values -------------------------------------------------------------------------------------------
def test_the_payout_run_page_shows_labels_not_stored_values(client, program, artist, staff):
    world = compensation_world(program, artist, staff)
    html = _page(client, staff, reverse("programs:payoutrun_detail", args=[program.slug, world.run.pk]))
    text = re.sub(r"<[^>]+>", " ", html)
    assert "payment_provider" not in text and "bank_transfer" not in text
    assert str(world.run.method_label) in text
    assert "Draft (under review) → Confirmed (payouts recorded)" in " ".join(text.split())
