"""The demo shows frame-level review in every state: cited threads on videos that changes were requested on or
that were rejected, a drawing of each shape, an internal note, artists' replies, a resolved and an open thread on
the version that a new version answers, and a thread resolved before an approval."""

import pytest

from submissions.models import FrameComment, VideoReview

pytestmark = pytest.mark.django_db


def test_the_demo_has_frame_comments_in_every_state(demo):
    threads = FrameComment.objects.filter(video__program=demo, parent=None).select_related("video")
    by_status = {thread.video.status for thread in threads}
    assert {"changes_requested", "rejected", "approved"} <= by_status
    assert {shape["shape"] for thread in threads for shape in thread.drawing} == {"box", "arrow", "stroke"}
    assert threads.filter(internal=True).exists() and threads.filter(until_seconds__isnull=False).exists()
    assert threads.filter(cited_by__outcome="request_changes").exists()
    assert threads.filter(cited_by__outcome="reject").exists()
    assert not threads.filter(internal=True, cited_by__isnull=False).exists()
    assert FrameComment.objects.filter(video__program=demo, parent__isnull=False).count() >= 3
    old = VideoReview.objects.get(video__program=demo, replaces__isnull=False).replaces
    states = {thread.is_resolved for thread in threads.filter(video=old, internal=False)}
    assert states == {True, False}  # compared with its new version: one resolved, one still open
    assert threads.filter(video__status="approved", resolved_at__isnull=False).exists()
