"""Reads for frame-level review: a video's comment threads and its stack of versions.

The threads of a video are a fixed number of queries (threads, their replies, the people who wrote them,
whether a decision cites each), however many comments it has.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, TextField
from django.db.models.functions import Cast

from submissions.access.comments import comments_visible_to, sees_internal_comments
from submissions.models import FrameComment, Video, VideoReview

AUTHOR_FIELDS = ("display_name", "email", "deleted_at")
THREAD_FIELDS = (
    "parent_id", "video_id", "author_id", "body", "at_seconds", "until_seconds", "drawing", "internal", "resolved_at",
    "still", "created_at",
)  # fmt: skip
MAX_VERSIONS = 20  # a stack deeper than this is cut: nobody answers twenty requests for changes


@dataclass
class Reply:
    """A reply as a thread's list shows it: read as values, since a page may carry hundreds."""

    pk: int
    parent_id: int
    author_id: int
    body: str
    author: object = None


def comment_threads(user, video: Video) -> list[FrameComment]:
    """The threads `user` may read on `video`, in the order of the video, each with its replies (`reply_list`)
    and whether a decision cites it (`is_cited`)."""
    internal = sees_internal_comments(user, video)
    # Only what the list shows: a page may carry hundreds of threads (benchmarks/review_page_comments.py).
    threads = list(
        comments_visible_to(user, video, internal=internal)
        .filter(parent__isnull=True)
        .only(*THREAD_FIELDS)
        .annotate(
            is_cited=Exists(FrameComment.cited_by.through.objects.filter(framecomment=OuterRef("pk"))),
            drawing_text=Cast("drawing", output_field=TextField()),  # for the page's data attribute, as stored
        )
        .order_by("at_seconds", "created_at", "pk")
    )
    by_thread = {thread.pk: thread for thread in threads}
    for thread in threads:
        thread.reply_list = []
    replies = FrameComment.objects.filter(parent_id__in=list(by_thread)).order_by("created_at", "pk")
    for row in replies.values_list("pk", "parent_id", "author_id", "body") if by_thread else ():
        by_thread[row[1]].reply_list.append(Reply(*row))
    _attach_authors([*threads, *(reply for thread in threads for reply in thread.reply_list)])
    return threads


def _attach_authors(comments: list[FrameComment]) -> None:
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
