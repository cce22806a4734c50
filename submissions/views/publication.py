"""The artist's choices after review (publish, unpublish, appeal), staff take-downs, the public gallery and
the public verification page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.outcomes import refuse
from core.private_media import stream_stored_file
from programs.access import is_program_staff
from submissions.access import get_published_video, get_video_for_user
from submissions.forms.approvals import AppealForm, UnpublishForm
from submissions.models import Appeal, ReviewPolicy, Video
from submissions.selectors import gallery_videos
from submissions.services import approvals
from submissions.services.approvals import ReviewError
from submissions.video_links import player_start


def _act(request: HttpRequest, video: Video, action, success: str, *, anchor: str = "") -> HttpResponse:
    try:
        action()
    except ReviewError as exc:
        refuse(request, exc)
    else:
        messages.success(request, success)
    return redirect(reverse("submissions:video_detail", args=[video.pk]) + anchor)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    video = get_video_for_user(request.user, pk, write=True)
    return _act(
        request,
        video,
        lambda: approvals.video_publish(video_id=video.pk, artist=request.user),
        _("Published: the video is in the public gallery. Its public page and share link are below."),
    )


@login_required
@require_POST
def unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    """The artist, or program staff with a reason, take a video out of the gallery."""
    video = get_video_for_user(request.user, pk)
    if video.artist_id != request.user.pk and not is_program_staff(request.user, video.program):
        raise Http404("No such video.")
    form = UnpublishForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        video,
        lambda: approvals.video_unpublish(video_id=video.pk, actor=request.user, reason=reason),
        _("Unpublished: the video and its file are no longer public."),
    )


@login_required
@require_POST
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    video = get_video_for_user(request.user, pk, write=True)
    form = AppealForm(request.POST)
    if not form.is_valid():
        refuse(request, _("Say why you think the rejection is wrong."))
        return redirect("submissions:video_detail", pk=video.pk)
    return _act(
        request,
        video,
        lambda: approvals.video_appeal(
            video_id=video.pk, artist=request.user, statement=form.cleaned_data["statement"]
        ),
        _("Appeal sent: a reviewer who took no part in the rejection will decide."),
        anchor="#appeal",
    )


@require_safe
def gallery(request: HttpRequest) -> HttpResponse:
    page = Paginator(gallery_videos(), 24).get_page(request.GET.get("page"))
    return render(request, "submissions/gallery/list.html", {"page": page})


@require_safe
def gallery_video(request: HttpRequest, public_id) -> HttpResponse:
    video = get_published_video(public_id)
    steps = video.decisions.filter(outcome="approve").select_related("step").order_by("created_at")
    context = {
        "video": video,
        "steps": steps,
        "policy": ReviewPolicy.for_program(video.program),
        "distinct_people": len({d.step_id for d in steps}) > 1 and len({d.reviewer_id for d in steps}) == len(steps),
        "appeal": Appeal.objects.filter(video=video).exclude(outcome="").first(),
        "reopened": video.events.filter(from_status=Video.Status.APPEALED, to_status=Video.Status.PENDING_REVIEW),
        "events": video.events.filter(to_status__in=["approved", "published"]).order_by("created_at"),
        "signings": video.signings.all(),
        **player_start(request.GET.get("t")),
    }
    return render(request, "submissions/gallery/detail.html", context)


def _stream_public(
    name: str, *, content_type: str, filename: str, range_header: str = "", download: bool = False
) -> HttpResponse:
    """Published media is streamed through this view, never a lasting storage URL, so unpublishing ends
    public access at once."""
    if not name:
        raise Http404("No such file.")
    response = stream_stored_file(name, content_type=content_type, range_header=range_header)
    response["Content-Disposition"] = content_disposition_header(download, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def gallery_file(request: HttpRequest, public_id) -> HttpResponse:
    """The published copy: signed with the portal's Content Credentials once the worker has signed it."""
    video = get_published_video(public_id)
    extension = video.container or "mp4"
    signing = video.signings.first()
    return _stream_public(
        signing.file.name if signing is not None else video.file.name,
        content_type=video.content_type,
        filename=f"glasshouse-{video.public_id.hex[:12]}.{extension}",
        range_header=request.headers.get("Range", ""),
        download=request.GET.get("download") == "1",
    )


@require_safe
def gallery_poster(request: HttpRequest, public_id) -> HttpResponse:
    video = get_published_video(public_id)
    return _stream_public(video.poster.name, content_type="image/jpeg", filename="poster.jpg")
