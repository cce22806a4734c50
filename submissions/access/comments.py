"""Who may see, write and resolve frame comments (submissions.models.comments).

A video's comments are seen by its artist and by the reviewers and staff of its program, nobody else (outsiders
get 404, as for the video). Internal threads are for reviewers and staff only: the artist never learns they exist.
Reviewers and staff start threads and resolve them; everyone who sees a thread may reply to it.
"""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from programs.access import is_program_reviewer, is_program_staff
from submissions.access.videos import can_see_video
from submissions.models import FrameComment, Video


def sees_internal_comments(user, video: Video) -> bool:
    """Reviewers and staff of the program, unless they made the video."""
    if not user.is_authenticated or video.artist_id == user.pk:
        return False
    return is_program_staff(user, video.program) or is_program_reviewer(user, video.program)


def comments_visible_to(user, video: Video, *, internal: bool | None = None) -> QuerySet:
    """The comments of `video` that `user` may read (call after the access check of the page that shows them).
    `internal` is what sees_internal_comments says, when the caller already knows it."""
    comments = FrameComment.objects.filter(video=video)
    if not (sees_internal_comments(user, video) if internal is None else internal):
        comments = comments.filter(internal=False).exclude(parent__internal=True)
    return comments


def get_comment_for_user(user, pk: int) -> FrameComment:
    """The comment, or 404 when `user` may not read it (its existence does not leak)."""
    comment = FrameComment.objects.select_related("video", "video__program", "parent", "author").filter(pk=pk).first()
    if comment is None or not can_see_video(user, comment.video):
        raise Http404("No such comment.")
    thread = comment.parent or comment
    if thread.internal and not sees_internal_comments(user, comment.video):
        raise Http404("No such comment.")
    return comment


def may_start_thread(user, video: Video) -> str | None:
    """None when `user` may comment on a frame of `video`; otherwise why not."""
    if not sees_internal_comments(user, video):
        return _("Only the video's reviewers and the program's staff comment on its frames; reply to their comments.")
    return None


def may_resolve(user, comment: FrameComment) -> str | None:
    if not sees_internal_comments(user, comment.video):
        return _("Only the video's reviewers and the program's staff mark comments resolved.")
    return None
