"""The demo videos: real clips through the real services, every state of this issue, idempotent."""

import pytest

from demo.program import seed_program
from demo.users import demo_people
from demo.videos import DEMO_VIDEOS, seed_videos
from submissions.models import Video


@pytest.mark.django_db
def test_the_demo_shows_every_state_and_seeding_twice_adds_nothing():
    people = demo_people()
    program = seed_program(people)
    assert seed_videos(program, people) == len(DEMO_VIDEOS)
    assert seed_videos(program, people) == 0
    videos = Video.objects.filter(program=program)
    # The demo's trusted publisher skips review, so their processed video is approved without review.
    assert {v.status for v in videos} == {"pending_review", "approved", "rejected_invalid", "withdrawn"}
    assert all(v.review.approval_kind == "without_review" for v in videos.filter(status="approved"))
    assert {v.source for v in videos} == {"upload", "api"}
    ready = videos.filter(status__in=["pending_review", "approved"])
    assert all(v.poster and v.thumbnails.count() == 3 and v.duration_seconds for v in ready)
    assert videos.filter(status="rejected_invalid").exclude(invalid_reason="").count() == 2
    assert all(v.events.count() >= 3 for v in videos)
    newest, oldest = videos.order_by("-created_at").first(), videos.order_by("created_at").first()
    assert (newest.created_at - oldest.created_at).days >= 60  # a program a few months in
