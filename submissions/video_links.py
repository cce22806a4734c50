"""A bug report or feedback may point at one of its author's own videos, and at a time in it.

The rules live here so the forms (field errors) and the services (the last word) apply the same ones.
"""

import math
import re

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.query import int_param
from submissions.models import Video

TIMECODE_FORMATS = gettext_lazy("m:ss, h:mm:ss or seconds (1:05, 1:02:05 or 65)")
_TIMECODE = re.compile(r"^\d{1,6}(?::[0-5]\d){0,2}$")
MAX_TIMECODE = 24 * 3600 - 1


def parse_timecode(text: str) -> int:
    """Seconds from `m:ss`, `h:mm:ss` or plain seconds; ValueError (with a message for the artist) otherwise."""
    text = (text or "").strip()
    if not _TIMECODE.match(text):
        raise ValueError(_("Write the time as %(formats)s.") % {"formats": TIMECODE_FORMATS})
    seconds = 0
    for part in text.split(":"):
        seconds = seconds * 60 + int(part)
    if seconds > MAX_TIMECODE:
        raise ValueError(
            _("Give a time under %(limit)s: no video here is that long.") % {"limit": format_timecode(MAX_TIMECODE + 1)}
        )
    return seconds


def player_start(value: str | None) -> dict:
    """A report's link to a video asks its player to start at a moment (`?t=65`); the templates put it on the
    file's URL as a media fragment (`#t=65`). Anything that is not a sensible time is ignored."""
    seconds = int_param(value, maximum=MAX_TIMECODE) or None
    return {"start_at": seconds, "start_at_label": format_timecode(seconds)}


def format_timecode(seconds: int | None) -> str:
    """`m:ss`, or `h:mm:ss` from an hour on; empty for no time."""
    if seconds is None:
        return ""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def linkable_videos(owner, programs, *, keep: Video | None = None) -> QuerySet[Video]:
    """The owner's videos in `programs` that a report can point at (and `keep`, a link already made). Files
    that failed the check are left out: their bytes are gone, so there is nothing to point at."""
    failed = Q(status=Video.Status.REJECTED_INVALID)
    if keep is not None:
        failed &= ~Q(pk=keep.pk)
    return (
        Video.objects.filter(artist=owner, program__in=programs)
        .exclude(failed)
        .select_related("program")
        .order_by("program__name", "-created_at", "-pk")
    )


def video_link_errors(*, owner, program, video: Video | None, timecode: int | None) -> dict[str, str]:
    """What is wrong with linking `video` at `timecode` from `owner`'s report in `program`, by form field."""
    if video is None and timecode is not None:
        return {"video_timecode": _("Choose the video this time is in, or leave the time empty.")}
    if video is None:
        return {}
    if video.artist_id != owner.pk:
        return {"video": _("Choose one of your own videos.")}
    if video.program_id != program.pk:
        return {
            "video": _("That video belongs to another program: choose one of your videos in %(program)s.")
            % {"program": program}
        }
    if video.status == Video.Status.REJECTED_INVALID:
        return {"video": _("That file was not accepted as a video, so there is nothing to point at.")}
    duration = video.duration_seconds
    if timecode is not None and duration is not None and timecode > duration:
        length = format_timecode(math.floor(duration))
        return {
            "video_timecode": _("“%(title)s” is only %(length)s long: give a time within it.")
            % {"title": video.display_title, "length": length}
        }
    return {}
