"""Reads for frame-level review: a video's comment threads and its stack of versions.

The threads of a video are a fixed number of queries (threads, their replies, the people who wrote them,
whether a decision cites each), however many comments it has.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from submissions.access.comments import comments_visible_to, sees_internal_comments
from submissions.comments_drawing import format_timecode
from submissions.models import FrameComment, Video, VideoReview

AUTHOR_FIELDS = ("display_name", "email", "deleted_at")
MAX_VERSIONS = 20  # a stack deeper than this is cut: nobody answers twenty requests for changes


@dataclass(slots=True)
class Reply:
    """A reply as a thread's list shows it: read as values, since a page may carry hundreds."""

    pk: int
    parent_id: int
    author_id: int
    body: str
    author: object = None


@dataclass(slots=True)
class Thread:
    """A thread as the lists show it, read as values (a page may carry hundreds): its drawing is the SVG made
    when it was written, its time already formatted."""

    pk: int
    author_id: int
    body: str
    at_seconds: Decimal
    until_seconds: Decimal | None
    drawing_svg: str
    internal: bool
    resolved_at: datetime | None
    still: str
    is_cited: bool
    timecode: str = ""
    reply_list: list[Reply] = field(default_factory=list)
    author: object = None

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


THREAD_COLUMNS = (  # Thread's fields read from the database, in its order
    "pk", "author_id", "body", "at_seconds", "until_seconds", "drawing_svg", "internal", "resolved_at", "still",
    "is_cited",
)  # fmt: skip


def comment_threads(user, video: Video) -> list[Thread]:
    """The threads `user` may read on `video`, in the order of the video, each with its replies (`reply_list`)
    and whether a decision cites it (`is_cited`)."""
    visible = comments_visible_to(user, video, internal=sees_internal_comments(user, video))
    rows = (
        visible.filter(parent__isnull=True)
        .annotate(is_cited=Exists(FrameComment.cited_by.through.objects.filter(framecomment=OuterRef("pk"))))
        .order_by("at_seconds", "created_at", "pk")
        .values_list(*THREAD_COLUMNS)
    )
    threads = [Thread(*row, timecode=format_timecode(row[3], row[4])) for row in rows]
    if not threads:
        return threads
    by_thread = {thread.pk: thread for thread in threads}
    replies = visible.filter(parent__isnull=False).order_by("created_at", "pk")
    for row in replies.values_list("pk", "parent_id", "author_id", "body"):
        by_thread[row[1]].reply_list.append(Reply(*row))
    _attach_authors([*threads, *(reply for thread in threads for reply in thread.reply_list)])
    return threads


def _attach_authors(comments: list[Thread | Reply]) -> None:
    """One query for the few people who wrote them all, instead of a joined copy of an author per comment."""
    authors = get_user_model().objects.only(*AUTHOR_FIELDS).in_bulk({comment.author_id for comment in comments})
    for comment in comments:
        comment.author = authors[comment.author_id]


def version_stack(video: Video) -> list[Video]:
    """Every version of `video`, oldest first: the videos it replaces and the ones that replace it."""
    older: list[Video] = []
    current = video
    for _ in range(MAX_VERSIONS):
        link = VideoReview.objects.filter(video=current, replaces__isnull=False).select_related("replaces").first()
        if link is None:
            break
        current = link.replaces
        older.insert(0, current)
    newer: list[Video] = []
    current = video
    for _ in range(MAX_VERSIONS):
        link = VideoReview.objects.filter(replaces=current).select_related("video").first()
        if link is None:
            break
        current = link.video
        newer.append(current)
    return [*older, video, *newer]


def previous_version(video: Video) -> Video | None:
    link = VideoReview.objects.filter(video=video, replaces__isnull=False).select_related("replaces").first()
    return link.replaces if link else None


def next_version(video: Video) -> Video | None:
    link = VideoReview.objects.filter(replaces=video).select_related("video").first()
    return link.video if link else None
