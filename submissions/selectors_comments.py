"""Reads for frame-level review: a video's comment threads and its stack of versions.

The threads of a video are one query (threads and replies, whether a decision cites each, who wrote them),
however many comments it has.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from operator import attrgetter

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from submissions.access.comments import comments_visible_to, sees_internal_comments
from submissions.comments_drawing import format_timecode
from submissions.models import FrameComment, Video, VideoReview

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


COLUMNS = (  # Thread's fields read from the database, in its order, then what tells a reply from a thread
    "pk", "author_id", "body", "at_seconds", "until_seconds", "drawing_svg", "internal", "resolved_at", "still",
    "is_cited", "parent_id",
)  # fmt: skip
AUTHOR_COLUMNS = ("id", "display_name", "email", "deleted_at")  # what a name is made of (User.get_full_name)


def comment_threads(user, video: Video) -> list[Thread]:
    """The threads `user` may read on `video`, in the order of the video, each with its replies (`reply_list`),
    whether a decision cites it (`is_cited`) and its writer (`author`): one query, however many there are."""
    visible = comments_visible_to(user, video, internal=sees_internal_comments(user, video))
    rows = (  # threads and replies together, oldest first, each with its writer's name
        visible.annotate(is_cited=Exists(FrameComment.cited_by.through.objects.filter(framecomment=OuterRef("pk"))))
        .order_by("created_at", "pk")
        .values_list(*COLUMNS, *(f"author__{name}" for name in AUTHOR_COLUMNS[1:]))
    )
    threads: list[Thread] = []
    replies: list[Reply] = []
    authors: dict[int, object] = {}
    for row in rows:
        comment, parent_id, author_id = row[:10], row[10], row[1]
        if author_id not in authors:
            authors[author_id] = _person(author_id, row[11:])
        if parent_id is None:
            threads.append(Thread(*comment, timecode=format_timecode(row[3], row[4]), author=authors[author_id]))
        else:
            replies.append(Reply(row[0], parent_id, author_id, row[2], author=authors[author_id]))
    by_thread = {thread.pk: thread for thread in threads}
    for reply in replies:
        by_thread[reply.parent_id].reply_list.append(reply)
    threads.sort(key=attrgetter("at_seconds"))  # stable: threads at one moment stay oldest first
    return threads


def _person(pk: int, values: tuple):
    """The writer with only the columns read (as `.only()` gives it: the others load if asked for)."""
    User = get_user_model()
    loaded = dict(zip(AUTHOR_COLUMNS, (pk, *values), strict=True))
    names = [field.attname for field in User._meta.concrete_fields if field.attname in loaded]  # the model's order
    return User.from_db(User.objects.db, names, [loaded[name] for name in names])


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
