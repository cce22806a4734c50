"""Frame comments: start a thread at a moment or over a range (with a drawing), reply, resolve, cite in a
decision, and take the still of the commented frame (the worker).

A refusal raises CommentError with a message for the person who asked and writes nothing. Who may do what is
asked of submissions.access.comments.
"""

import time
import uuid
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import lifecycle
from core.errors import DomainError
from submissions import media, storage
from submissions.access.comments import may_resolve, may_start_thread, sees_internal_comments
from submissions.comments_drawing import DrawingError, format_frame_time, parse_drawing, svg_markup
from submissions.models import Decision, FrameComment, Video
from submissions.models.comments import MAX_COMMENT_LENGTH

STILL_WIDTH = 640
STILL_SECONDS = 60
MAX_CITED = 50


class CommentError(DomainError):
    """The comment was refused; nothing was written."""


def parse_seconds(value, *, label: str) -> Decimal | None:
    """Seconds as the player sends them ("3.125"); None for empty."""
    if value in (None, ""):
        return None
    try:
        seconds = Decimal(str(value).strip())
    except InvalidOperation:
        raise CommentError(_("%(label)s is not a time in seconds.") % {"label": label}) from None
    if not seconds.is_finite():
        raise CommentError(_("%(label)s is not a time in seconds.") % {"label": label})
    return seconds.quantize(Decimal("0.001"))


def check_times(video: Video, at: Decimal | None, until: Decimal | None) -> None:
    """A moment inside the video, or a range whose end is not before its start."""
    if at is None:
        raise CommentError(_("Choose the moment the comment is about: pause the player there."))
    duration = video.duration_seconds
    if at < 0 or (duration is not None and at > duration):
        raise CommentError(
            _("%(time)s is outside the video, which lasts %(duration)s.")
            % {"time": format_frame_time(at), "duration": format_frame_time(duration or 0)}
        )
    if until is None:
        return
    if until < at:
        raise CommentError(
            _("The range ends at %(until)s, before it starts at %(at)s: set the out point after the in point.")
            % {"until": format_frame_time(until), "at": format_frame_time(at)}
        )
    if duration is not None and until > duration:
        raise CommentError(
            _("The range ends at %(time)s, after the end of the video (%(duration)s).")
            % {"time": format_frame_time(until), "duration": format_frame_time(duration)}
        )


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise CommentError(_("Write the comment: say what should change here."))
    if len(body) > MAX_COMMENT_LENGTH:
        raise CommentError(_("A comment has at most %(max)s characters.") % {"max": MAX_COMMENT_LENGTH})
    return body


def comment_add(
    *,
    video_id: int,
    author,
    body: str,
    at_seconds,
    until_seconds=None,
    drawing=None,
    internal: bool = False,
    submit_key: uuid.UUID | None = None,
) -> FrameComment:
    """Start a thread on a frame (or a range) of a video. A double submit (same submit_key) returns the first."""
    body = _clean_body(body)
    at = parse_seconds(at_seconds, label=_("The moment"))
    until = parse_seconds(until_seconds, label=_("The end of the range"))
    if until is not None and until == at:
        until = None
    try:
        shapes = parse_drawing(drawing)
    except DrawingError as exc:
        raise CommentError(exc.message) from None
    video = Video.objects.select_related("program").get(pk=video_id)
    if (why_not := may_start_thread(author, video)) is not None:
        raise CommentError(why_not)
    check_times(video, at, until)
    fields = {"at_seconds": at, "until_seconds": until, "body": body, "internal": internal}
    fields |= {"drawing": shapes, "drawing_svg": svg_markup(shapes)}
    comment = _create_once(video=video, author=author, submit_key=submit_key, **fields)
    _enqueue_still(comment.pk)
    return comment


def comment_reply(*, parent_id: int, author, body: str, submit_key: uuid.UUID | None = None) -> FrameComment:
    """Answer a thread. The artist may reply to the threads they see; reviewers and staff to any."""
    body = _clean_body(body)
    thread = FrameComment.objects.select_related("video", "video__program").get(pk=parent_id)
    if thread.parent_id is not None:
        raise CommentError(_("Reply to the thread, not to a reply."))
    if thread.internal and not sees_internal_comments(author, thread.video):
        raise CommentError(_("Only the video's reviewers and the program's staff take part in this thread."))
    # One page sends one key for all its reply forms: each thread's reply gets its own key from it.
    key = uuid.uuid5(submit_key, f"reply-{thread.pk}") if submit_key else None
    return _create_once(video=thread.video, author=author, submit_key=key, parent=thread, body=body)


def _create_once(*, video: Video, author, submit_key, **fields) -> FrameComment:
    if submit_key is not None:
        earlier = FrameComment.objects.filter(author=author, submit_key=submit_key).first()
        if earlier is not None:
            return earlier
    try:
        with transaction.atomic():
            return FrameComment.objects.create(video=video, author=author, submit_key=submit_key, **fields)
    except IntegrityError:  # the same submit won a race with this one
        return FrameComment.objects.get(author=author, submit_key=submit_key)


def comment_set_resolved(*, comment_id: int, actor, resolved: bool) -> FrameComment:
    """Mark a thread resolved (or open it again); the video's history says so."""
    with transaction.atomic():
        comment = FrameComment.objects.select_for_update().select_related("video", "video__program").get(pk=comment_id)
        if comment.parent_id is not None:
            raise CommentError(_("Resolve the thread, not a reply."))
        if (why_not := may_resolve(actor, comment)) is not None:
            raise CommentError(why_not)
        if comment.is_resolved == resolved:
            return comment
        comment.resolved_at = timezone.now() if resolved else None
        comment.resolved_by = actor if resolved else None
        comment.save(update_fields=["resolved_at", "resolved_by"])
        if not comment.internal:
            reason = _("Comment at %(time)s resolved.") if resolved else _("Comment at %(time)s opened again.")
            lifecycle.note(comment.video, actor=actor, reason=reason % {"time": comment.timecode})
    return comment


def comments_cite(*, decision: Decision, comment_ids: list[int]) -> list[FrameComment]:
    """Link a decision to the threads it rests on. Called by review_decide inside its transaction: a thread of
    another video, a reply, or an internal thread (the artist would never see it) refuses the whole decision."""
    ids = sorted({int(pk) for pk in comment_ids})
    if not ids:
        return []
    if len(ids) > MAX_CITED:
        raise CommentError(_("A decision cites at most %(max)s comments.") % {"max": MAX_CITED})
    if decision.outcome == Decision.Outcome.APPROVE:
        raise CommentError(_("An approval cites no comments: resolve them instead."))
    comments = list(FrameComment.objects.filter(pk__in=ids, video_id=decision.video_id, parent__isnull=True))
    if len(comments) != len(ids):
        raise CommentError(_("A decision cites only comments on this video's frames."))
    if any(comment.internal for comment in comments):
        raise CommentError(_("An internal comment cannot be cited: the artist does not see it."))
    decision.cited_comments.add(*comments)
    return sorted(comments, key=lambda c: (c.at_seconds, c.pk))


def cited_lines(comments: list[FrameComment]) -> str:
    """The cited comments for the artist's mail: one line each, with its timecode."""
    if not comments:
        return ""
    lines = [_("What to change, frame by frame:")]
    lines += [f"- {comment.timecode}: {comment.body}" for comment in comments]
    return "\n".join(lines)


# --- The still of a comment's frame (the worker) ------------------------------------------------------------


def _enqueue_still(comment_id: int) -> None:
    from submissions.tasks.videos import take_comment_still  # the task module imports this one

    take_comment_still.delay_on_commit(comment_id)


def comment_take_still(*, comment_id: int) -> bool:
    """Store the frame at the comment's moment as a JPEG. Idempotent: the file is written under a fixed name.
    Raises storage.TransientStorageError when storage fails, for the task to retry."""
    comment = FrameComment.objects.select_related("video").filter(pk=comment_id, parent__isnull=True).first()
    if comment is None or not comment.video.file:
        return False
    try:
        with storage.local_copy(comment.video.file.name) as path:
            jpeg = media.frame_jpeg_at(
                path, comment.at_seconds, max_width=STILL_WIDTH, deadline=time.monotonic() + STILL_SECONDS
            )
    except storage.MissingFile:
        return False
    if jpeg is None:
        return False
    name = storage.replace(comment.video.storage_name(f"comment-{comment.pk}.jpg"), jpeg)
    FrameComment.objects.filter(pk=comment.pk).update(still=name)
    return True
