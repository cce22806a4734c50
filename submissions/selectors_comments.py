"""Reads for frame-level review: a video's comment threads and its stack of versions.

The threads of a video are a fixed number of queries (threads with their authors, their replies with theirs,
the decisions citing them), however many comments it has.
"""

from django.db.models import Exists, OuterRef, Prefetch

from submissions.access.comments import comments_visible_to, sees_internal_comments
from submissions.models import FrameComment, Video, VideoReview

AUTHOR_FIELDS = ("author__display_name", "author__email", "author__deleted_at")
REPLY_FIELDS = ("parent_id", "video_id", "author_id", "body", *AUTHOR_FIELDS)
THREAD_FIELDS = (
    *REPLY_FIELDS, "at_seconds", "until_seconds", "drawing", "internal", "resolved_at", "still", "created_at",
)  # fmt: skip
MAX_VERSIONS = 20  # a stack deeper than this is cut: nobody answers twenty requests for changes


def comment_threads(user, video: Video) -> list[FrameComment]:
    """The threads `user` may read on `video`, in the order of the video, each with its replies and the
    decisions that cite it."""
    internal = sees_internal_comments(user, video)
    # Only what the list shows: a page may carry hundreds of threads (benchmarks/review_page_comments.py).
    replies = FrameComment.objects.select_related("author").only(*REPLY_FIELDS).order_by("created_at", "pk")
    threads = (
        comments_visible_to(user, video, internal=internal)
        .filter(parent__isnull=True)
        .select_related("author")
        .only(*THREAD_FIELDS)
        .annotate(is_cited=Exists(FrameComment.cited_by.through.objects.filter(framecomment=OuterRef("pk"))))
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("at_seconds", "created_at", "pk")
    )
    return list(threads)


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
