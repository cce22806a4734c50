"""Content Credentials in the demo: every published copy is signed as the worker signs it after publication, and
one artist changes their training consent afterwards, so their published copy is signed again (the gallery shows
both signings, and /verify/ recognises the older copy as superseded)."""

import datetime as dt

from demo.story import Story, days_ago, told
from programs.models import Program
from programs.selectors.consent import current_consent
from programs.services.consent import consent_set
from submissions.models import Video
from submissions.services.credentials import credentials_due, credentials_sign


def sign_after_publication(video: Video, artist) -> None:
    """What the signing task does once the publication commits (the demo runs it at the same moment)."""
    credentials_sign(video_id=video.pk, requested_by=artist)


def seed_credentials(program: Program, people: dict, story: Story | None = None) -> None:
    with told(story) as story:
        changed = days_ago(3, 16, 20)
        story.at(changed, lambda: _change_consent(program))
        # The sweep runs every few minutes, finds the copy whose credentials no longer match the ledger and queues
        # its signing; the demo signs at that moment, as the task would.
        story.at(changed + dt.timedelta(minutes=4), lambda: _sign_what_is_due(program))


def _sign_what_is_due(program: Program) -> None:
    for video in Video.objects.filter(program=program, status=Video.Status.PUBLISHED).select_related("artist"):
        if credentials_due(video):
            credentials_sign(video_id=video.pk)


def _change_consent(program: Program) -> None:
    signed = Video.objects.filter(program=program, status=Video.Status.PUBLISHED, signings__number=1)
    video = signed.exclude(signings__number=2).select_related("artist").order_by("pk").first()
    if video is None:
        return
    now = current_consent(video.artist, program)
    consent_set(
        user=video.artist, program=program, training=not now.training, marketing=now.marketing, showcase=now.showcase
    )
