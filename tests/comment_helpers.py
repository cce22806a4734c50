"""Frame comments for tests: a video in review with a reviewer's thread on it, drawn as the browser sends it."""

import json

from submissions.services import comments as comment_services

BOX = {"shape": "box", "x": 0.25, "y": 0.25, "w": 0.5, "h": 0.4}
ARROW = {"shape": "arrow", "from": [0.1, 0.9], "to": [0.4, 0.5]}


def drawing(*shapes) -> str:
    return json.dumps(list(shapes))


def comment_on(video, author, *, body="Soften the flicker here.", at="0.100", until="", shapes=(BOX,), **extra):
    return comment_services.comment_add(
        video_id=video.pk,
        author=author,
        body=body,
        at_seconds=at,
        until_seconds=until,
        drawing=drawing(*shapes),
        **extra,
    )
