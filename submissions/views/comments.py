"""Frame-level review: comments on a moment or a range of a video, their replies and resolution, the still of a
commented frame, and two versions of a video side by side."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.outcomes import refuse
from core.private_media import serve_private_file
from submissions.access import artist_hidden_from, get_video_for_user
from submissions.access.comments import get_comment_for_user, sees_internal_comments
from submissions.selectors_comments import comment_threads, next_version, previous_version, version_stack
from submissions.services import comments as services
from submissions.services.comments import CommentError


def _submit_key(request: HttpRequest) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get("submit_key", ""))
    except ValueError:
        return None


def _back(request: HttpRequest, video, comment=None) -> str:
    """Back to the page the comment was written on: the review page, the comparison with the next version, or
    the video's page."""
    anchor = f"#comment-{comment.pk}" if comment else ""
    back = request.POST.get("back")
    if back == "review":
        return reverse("submissions:review_video", args=[video.pk]) + anchor
    if back == "compare" and (newer := next_version(video)) is not None:
        return reverse("submissions:video_compare", args=[newer.pk]) + anchor
    return reverse("submissions:video_detail", args=[video.pk]) + anchor


def _done(request: HttpRequest, target: str) -> HttpResponse:
    if request.htmx:  # the page the form is on, again (a redirect to its own #anchor would not reload it)
        return HttpResponse(status=204, headers={"HX-Refresh": "true"})
    return redirect(target)


def _refused(request: HttpRequest, exc: CommentError, target: str) -> HttpResponse:
    """htmx: the message in the form's alert, the form as it was (the drawing is kept); else a redirect."""
    if request.htmx:
        return HttpResponse(format_html("{}", exc.message), status=422)
    refuse(request, exc)
    return redirect(target)


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    video = get_video_for_user(request.user, pk)
    try:
        comment = services.comment_add(
            video_id=video.pk,
            author=request.user,
            body=request.POST.get("body", ""),
            at_seconds=request.POST.get("at", ""),
            until_seconds=request.POST.get("until", ""),
            drawing=request.POST.get("drawing", ""),
            internal=request.POST.get("internal") == "1",
            submit_key=_submit_key(request),
        )
    except CommentError as exc:
        return _refused(request, exc, _back(request, video))
    messages.success(request, _("Comment added at %(time)s.") % {"time": comment.timecode})
    return _done(request, _back(request, video, comment))


@login_required
@require_POST
def comment_reply(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_comment_for_user(request.user, pk)
    try:
        services.comment_reply(
            parent_id=thread.pk, author=request.user, body=request.POST.get("body", ""), submit_key=_submit_key(request)
        )
    except CommentError as exc:
        return _refused(request, exc, _back(request, thread.video, thread))
    return _done(request, _back(request, thread.video, thread))


@login_required
@require_POST
def comment_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_comment_for_user(request.user, pk)
    resolved = request.POST.get("resolved") == "1"
    try:
        services.comment_set_resolved(comment_id=thread.pk, actor=request.user, resolved=resolved)
    except CommentError as exc:
        return _refused(request, exc, _back(request, thread.video, thread))
    return _done(request, _back(request, thread.video, thread))


@login_required
@require_safe
def comment_still(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_comment_for_user(request.user, pk)
    if not comment.still:
        raise Http404("This comment's frame has no still yet.")
    return serve_private_file(
        comment.still.name,
        download_name=f"glasshouse-video-{comment.video_id}-comment-{comment.pk}.jpg",
        content_type="image/jpeg",
    )


@login_required
@require_safe
def video_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """This version and the one it replaces, side by side in sync (or as a wipe), with the old one's comments."""
    video = get_video_for_user(request.user, pk)
    old = previous_version(video)
    context = {
        "video": video,
        "old": old,
        "versions": version_stack(video),
        "old_threads": comment_threads(request.user, old) if old else [],
        "artist_hidden": artist_hidden_from(request.user, video),
        "reviewer_view": sees_internal_comments(request.user, video),
    }
    return render(request, "submissions/comments/compare.html", context)
