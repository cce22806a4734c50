"""The demo's published copies carry real Content Credentials, and one was signed again after a consent change."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from submissions import credentials
from submissions.models import Video, VideoSigning


@pytest.mark.django_db
def test_published_demo_videos_are_signed_and_one_was_signed_again(demo, client):
    published = Video.objects.filter(program=demo, status=Video.Status.PUBLISHED)
    signable = [video for video in published if video.content_type in credentials.SIGNABLE_TYPES]
    assert signable and all(video.signings.exists() for video in signable)
    for video in signable:  # signed on the day it was published, by the artist's click, as the worker does
        first = video.signings.get(number=1)
        assert first.requested_by == video.artist and first.created_at >= video.review.published_at

    again = VideoSigning.objects.filter(video__program=demo, reason=VideoSigning.Reason.CHANGE)
    (artist,) = {signing.video.artist for signing in again}  # one artist changed their consent: all their copies
    assert {signing.video for signing in again} == {video for video in signable if video.artist == artist}
    changed = again.first()
    first = changed.video.signings.get(number=1)
    assert changed.claims["training"] != first.claims["training"]
    assert changed.claims["consent_version"] > (first.claims["consent_version"] or 0)
    assert changed.created_at > first.created_at
    read = credentials.read_credentials(default_storage.path(changed.file.name))
    assert read.state == credentials.TRUSTED and read.training == changed.claims["training"]

    page = client.get(reverse("submissions:gallery_video", args=[changed.video.public_id])).text
    assert "Signing history" in page and "Download the signed file" in page
