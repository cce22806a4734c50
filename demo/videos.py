"""Demo videos: real tiny clips made with PyAV, sent by demo artists over the past months, in every state
this part of the product knows (waiting for review, not a valid video, withdrawn), through the real services.

Idempotent: a video is identified by its program, artist and title.
"""

import datetime as dt

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from demo import testclips
from demo.story import Story, days_ago, told
from programs.access import contributing_enrolment
from programs.models import Program
from submissions.models import ApiKey, ProgramMediaPolicy, Video
from submissions.services import api_keys
from submissions.services import videos as video_services
from submissions.uploads import temporary_upload

API_KEY_NAME = "Lumen render farm"

# (artist index, title, how it arrives, what happens, days ago, prompt, settings, clip options). Artist 0's come after
# she became a trusted publisher (demo/enrolment.py), so they are approved without review; the others' valid videos
# arrived in the last two days, inside the review deadline, and wait in the queue.
DEMO_VIDEOS = [
    (0, "Tidepool cathedral", "upload", "ok", 44, "A gothic cathedral grown from a tidepool, slow crane shot, "
     "golden hour, anemones breathing in the nave", {"seed": "1187", "guidance": "7", "steps": "40"}, {"hue": 20}),
    (0, "Neon koi in the rain", "upload", "ok", 33, "Koi made of neon light swimming through rain over a night "
     "market, shallow depth of field", {"seed": "55", "motion": "high"}, {"hue": 160, "container": "webm"}),
    (1, "Paper lanterns drifting", "api", "ok", 2, "Thousands of paper lanterns drifting up a canyon at dusk, "
     "drone shot", {"seed": "9001", "aspect": "16:9"}, {"hue": 40}),
    (1, "Lantern test, wrong aspect", "upload", "withdraw", 84, "Paper lanterns, portrait test",
     {"seed": "9002", "aspect": "9:16"}, {"hue": 45, "width": 180, "height": 320}),
    (2, "Glacier breathing", "api", "ok", 1, "A glacier that inhales and exhales like a sleeping animal, "
     "timelapse, overcast light", {"seed": "310", "guidance": "6.5"}, {"hue": 120}),
    (2, "Interrupted export", "upload", "truncated", 44, "Same glacier, longer take",
     {"seed": "311"}, {"hue": 125}),
    (3, "Desert orchestra", "api", "ok", 2, "An orchestra of cacti playing brass instruments in a dust storm",
     {"seed": "77", "style": "claymation"}, {"hue": 200}),
    (3, "Render farm hiccup", "api", "garbage", 29, "Desert orchestra, second pass", {"seed": "78"}, {}),
    (4, "Murmuration study", "upload", "ok", 1, "Starlings forming the shape of a whale over a frozen lake",
     {"seed": "4242", "guidance": "8"}, {"hue": 90}),
    (5, "Salt flats mirror", "upload", "ok", 2, "A lone cyclist on salt flats that mirror a storm sky",
     {"seed": "12"}, {"hue": 230}),
    (5, "Mirror loop (duplicate)", "upload", "withdraw", 1, "Salt flats, loop attempt", {"seed": "13"},
     {"hue": 235, "seconds": 1}),
]  # fmt: skip


def seed_videos(program: Program, people: dict, story: Story | None = None) -> int:
    """Seed the demo videos of `program`; returns how many were added this time."""
    ProgramMediaPolicy.objects.get_or_create(program=program)
    added = 0
    with told(story) as story:
        for number, (index, title, via, outcome, ago, prompt, settings, clip) in enumerate(DEMO_VIDEOS, start=1):
            artist = people["artists"][index]
            if Video.objects.filter(program=program, artist=artist, title=title).exists():
                continue
            provenance = video_services.Provenance(
                title=title,
                prompt=prompt,
                model_name="Lumen",
                model_version="0.9.2" if via == "upload" else "0.9.3",
                generation_settings=settings,
                consent_showcase=True if outcome == "ok" and via == "upload" else None,
            )
            sent = days_ago(ago, 9 + ago % 7, ago * 7 % 60)

            def send(artist=artist, via=via, provenance=provenance, outcome=outcome, clip=clip, number=number):
                enrolment = contributing_enrolment(artist, program)
                api_key = _demo_api_key(program, people["staff"][0])
                data = _demo_bytes(outcome, dict(clip))
                video = _send(enrolment, api_key, via, provenance, data, f"lumen-gen-{number:05d}")
                video_services.video_process(video_id=video.pk, claim="demo-seed")

            story.at(sent, send)
            if outcome == "withdraw":
                story.at(sent + dt.timedelta(minutes=20), lambda artist=artist, title=title: _withdraw(artist, title))
            added += 1
    return added


def _withdraw(artist, title: str) -> None:
    video = Video.objects.get(artist=artist, title=title)
    video_services.video_withdraw(video=video, actor=artist, reason="Sent the wrong take; a better one follows.")


def _demo_api_key(program: Program, staff) -> ApiKey:
    key = ApiKey.objects.filter(program=program, name=API_KEY_NAME).first()
    if key is None:
        key, _raw = api_keys.api_key_create(program=program, name=API_KEY_NAME, actor=staff)
    return key


def _demo_bytes(outcome: str, clip: dict) -> bytes:
    if outcome == "garbage":
        return testclips.garbage(48 * 1024)
    if outcome == "truncated":
        return testclips.truncated_data(width=320, height=180, **clip)
    return testclips.make_clip(**{"seconds": 3, "width": 320, "height": 180, **clip})


def _send(enrolment, api_key, via: str, provenance, data: bytes, external_id: str) -> Video:
    if via == "api":
        # The render farm drops the file in the bucket and sends its key, as the ingestion API allows.
        source_key = default_storage.save(
            f"{video_services.INCOMING_PREFIX}/{enrolment.program.slug}/{external_id}.bin", ContentFile(data)
        )
        upload, actor, source = None, None, Video.Source.API
    else:
        source_key, actor, source, api_key, external_id = "", enrolment.user, Video.Source.UPLOAD, None, ""
        upload = temporary_upload(data, provenance.title.lower().replace(" ", "-") + ".mp4")
    video, _ = video_services.video_create(
        enrolment=enrolment,
        actor=actor,
        source=source,
        api_key=api_key,
        external_id=external_id,
        provenance=provenance,
        upload=upload,
        source_key=source_key,
        enqueue=False,
    )
    return video
