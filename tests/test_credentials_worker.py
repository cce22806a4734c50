"""Signing runs in a real worker after publication; a broker away at the click delays it and loses nothing."""

import time

import pytest

from submissions.models import Video
from submissions.services import approvals
from submissions.services.credentials import credentials_resign_due
from tests.approval_helpers import setup_review, video_in_review
from tests.celery_broker import broker_away

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _approved(artist, program, reviewer) -> Video:
    if not program.review_steps.exists():
        setup_review(program, safety=[reviewer], lead=[reviewer], distinct_people=False)
    video = video_in_review(artist, program)
    for _ in range(2):
        approvals.review_decide(video_id=video.pk, reviewer=reviewer, outcome="approve")
    return video


def _signed_within(video: Video, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if video.signings.exists():
            return True
        time.sleep(0.2)
    return False


def test_the_worker_signs_after_the_click_and_the_sweep_catches_a_lost_signing(
    celery_worker, program, artist, reviewer
):
    video = _approved(artist, program, reviewer)
    started = time.monotonic()
    approvals.video_publish(video_id=video.pk, artist=artist)
    assert time.monotonic() - started < 2  # the click returns; the signing is queued
    assert _signed_within(video)
    assert video.signings.get().requested_by == artist

    lost = _approved(artist, program, reviewer)
    with broker_away("refused"):
        approvals.video_publish(video_id=lost.pk, artist=artist)  # the publication stands
    lost.refresh_from_db()
    assert lost.status == Video.Status.PUBLISHED and not lost.signings.exists()
    assert credentials_resign_due() == 1  # beat's sweep: the worker signs it now
    assert _signed_within(lost)
