"""Frame-level review in the demo: reviewers comment on moments and ranges of videos, with drawings, before they
decide; the decision cites them; artists reply; a new version is compared and its old comment resolved.

Hooked into demo.approvals' story of each video (`before_decision`, `after_decision`): every comment is written
through submissions.services.comments on its moment, and a negative decision cites the reviewer's open threads.
"""

import datetime as dt
from decimal import Decimal

from demo.story import Story
from submissions.models import FrameComment, Video
from submissions.services import comments as comment_services

BOX_FACE = {"shape": "box", "x": 0.38, "y": 0.12, "w": 0.26, "h": 0.34}
BOX_SKY = {"shape": "box", "x": 0.05, "y": 0.05, "w": 0.9, "h": 0.35}
ARROW_EDGE = {"shape": "arrow", "from": [0.15, 0.85], "to": [0.42, 0.55]}
STROKE_HORIZON = {"shape": "stroke", "points": [[0.05 + i * 0.05, 0.62 - (i % 3) * 0.01] for i in range(19)]}

# title: [(start, end or None as fractions of the video's length, drawing, comment, internal)]
NOTES = {
    "Flicker study": [
        (
            0.25,
            0.6,
            [BOX_SKY],
            "The clouds flicker across this whole range: it gives away the frame interpolation.",
            False,
        ),
        (0.7, None, [ARROW_EDGE], "A seam shows at the valley's edge on this frame.", False),
        (
            0.7,
            None,
            [],
            "Rule 5.3 stops applying after the embargo: check with the lead before the next version.",
            True,
        ),
    ],
    "Portrait of the mayor": [
        (0.4, None, [BOX_FACE], "The mayor's face is fully recognisable on this frame.", False),
    ],
    "Skater in the rain": [
        (0.1, 0.35, [], "The rain stops mid-air for a few frames here.", False),
    ],
    "Salt flats mirror": [
        (0.5, None, [STROKE_HORIZON], "The horizon bends here; is that intended?", False),
    ],
}
REPLIES = {
    "Flicker study": "Thanks, I will render it again with frame blending off.",
    "Portrait of the mayor": "He agreed on camera; I will send the release form with an appeal.",
    "Salt flats mirror": "Yes: the heat shimmer bends it, like on the real salt flat.",
}
# Threads the reviewer resolves: when the new version arrives (Flicker study) or before approving (Salt flats).
RESOLVED = {"Flicker study": 0, "Salt flats mirror": 0}


def _video(program, artist, title: str) -> Video:
    return Video.objects.get(program=program, artist=artist, title=title)


def _comment(program, artist, title: str, reviewer) -> None:
    video = _video(program, artist, title)
    length = video.duration_seconds or Decimal(1)
    for start, end, shapes, body, internal in NOTES[title]:
        comment_services.comment_add(
            video_id=video.pk,
            author=reviewer,
            body=body,
            at_seconds=(length * Decimal(str(start))).quantize(Decimal("0.001")),
            until_seconds=(length * Decimal(str(end))).quantize(Decimal("0.001")) if end else None,
            drawing=shapes,
            internal=internal,
        )


def _threads(program, artist, title: str):
    return FrameComment.objects.filter(video=_video(program, artist, title), parent=None).order_by("at_seconds", "pk")


def _reply(program, artist, title: str) -> None:
    thread = _threads(program, artist, title).filter(internal=False).first()
    comment_services.comment_reply(parent_id=thread.pk, author=artist, body=REPLIES[title])


def _resolve(program, artist, title: str, reviewer) -> None:
    thread = _threads(program, artist, title).filter(internal=False)[RESOLVED[title]]
    comment_services.comment_set_resolved(comment_id=thread.pk, actor=reviewer, resolved=True)


def open_threads_of(video: Video, reviewer) -> list[int]:
    """What a negative decision of the demo cites: the deciding reviewer's open threads the artist sees."""
    threads = FrameComment.objects.filter(video=video, author=reviewer, parent=None, internal=False, resolved_at=None)
    return list(threads.values_list("pk", flat=True))


def before_decision(story: Story, program, artist, title: str, decided: dt.datetime, reviewer) -> None:
    if title not in NOTES:
        return
    story.at(decided - dt.timedelta(minutes=40), lambda: _comment(program, artist, title, reviewer))
    if title in REPLIES and title == "Salt flats mirror":  # answered and resolved before the approval
        story.at(decided - dt.timedelta(minutes=20), lambda: _reply(program, artist, title))
        story.at(decided - dt.timedelta(minutes=10), lambda: _resolve(program, artist, title, reviewer))


def after_decision(story: Story, program, artist, title: str, decided: dt.datetime) -> None:
    if title in REPLIES and title != "Salt flats mirror":
        story.at(decided + dt.timedelta(hours=3), lambda: _reply(program, artist, title))


def after_new_version(story: Story, program, artist, old_title: str, linked: dt.datetime, reviewer) -> None:
    """The reviewer compares the versions and resolves what the new one fixed; the rest stays open."""
    if old_title in RESOLVED:
        story.at(linked + dt.timedelta(hours=2), lambda: _resolve(program, artist, old_title, reviewer))
