"""The artist's video pages and the access-checked media URLs."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.outcomes import refuse
from core.private_media import serve_private_file
from core.query import int_param
from core.request_limits import STREAMS, body_limit
from programs.refusals import contribution_refusal
from submissions import bucket
from submissions.access import artist_hidden_from, get_video_for_user, upload_enrolments
from submissions.access.comments import sees_internal_comments
from submissions.forms.videos import VideoUploadForm
from submissions.models import DirectUpload, ProgramMediaPolicy, Video
from submissions.selectors import review_status_for
from submissions.selectors_comments import comment_threads, previous_version, version_stack
from submissions.services import videos as video_services
from submissions.services.approvals import ReviewError, review_link_new_version
from submissions.uploads import install_upload_handler
from submissions.video_links import player_start

POLL_SECONDS, STALLED_POLL_SECONDS = 2, 30


@login_required
@require_safe
def video_list(request: HttpRequest) -> HttpResponse:
    videos = Video.objects.visible_to(request.user).filter(artist=request.user).select_related("program")
    refusal = None if upload_enrolments(request.user) else contribution_refusal(request.user)
    # Direct uploads not (yet) a video: in progress, being checked, refused, cancelled or expired.
    direct_uploads = DirectUpload.objects.filter(artist=request.user).exclude(status=DirectUpload.Status.PROCESSED)
    context = {"videos": videos, "refusal": refusal, "direct_uploads": direct_uploads.select_related("program")[:20]}
    return render(request, "submissions/video_list.html", context)


@body_limit(STREAMS)  # the streaming handler cuts the upload at the program's limit
@login_required
@csrf_exempt  # checked by _receive_upload once the streaming upload handler is installed
@require_http_methods(["GET", "HEAD", "POST"])
def video_new(request: HttpRequest) -> HttpResponse:
    enrolments = upload_enrolments(request.user)
    if not enrolments:
        raise contribution_refusal(request.user)
    slug = request.GET.get("program")
    if slug is None and len(enrolments) > 1:
        return render(request, "submissions/video_choose_program.html", {"enrolments": enrolments})
    enrolment = enrolments[0] if slug is None else next((e for e in enrolments if e.program.slug == slug), None)
    if enrolment is None:
        raise Http404("You cannot send videos to that program.")
    policy = ProgramMediaPolicy.for_program(enrolment.program)
    replaces = video_to_replace(request, enrolment)
    if request.method == "POST":
        handler = install_upload_handler(request, max_bytes=policy.max_size_bytes, drain=True)
        return _receive_upload(request, enrolment, policy, handler, replaces)
    form = VideoUploadForm(policy=policy)
    context = {
        "form": form,
        "enrolment": enrolment,
        "policy": policy,
        "replaces": replaces,
        "direct": bucket.available(),
    }
    return render(request, "submissions/video_new.html", context)


def video_to_replace(request: HttpRequest, enrolment) -> Video | None:
    """With ?replaces=<id>: the artist's video, in this program, that a request for changes is answered on."""
    raw = request.GET.get("replaces", "")
    if not raw:
        return None
    if (pk := int_param(raw)) is None:
        raise Http404("No such video.")
    old = get_video_for_user(request.user, pk, write=True)
    if old.program_id != enrolment.program_id or old.status != Video.Status.CHANGES_REQUESTED:
        raise Http404("That video is not waiting for a new version.")
    return old


@csrf_protect
def _receive_upload(request, enrolment, policy, handler, replaces: Video | None) -> HttpResponse:
    # The CSRF check above read the body through `handler`, so its verdict is known by now.
    form = VideoUploadForm(request.POST, request.FILES, policy=policy, upload_too_large=handler.exceeded)
    if form.is_valid():
        try:
            video, created = video_services.video_create(
                enrolment=enrolment,
                actor=request.user,
                source=Video.Source.UPLOAD,
                provenance=form.provenance(),
                upload=form.cleaned_data["file"],
            )
        except video_services.InvalidVideo as exc:
            form.add_error("file", exc.message)
        except video_services.VideoError as exc:
            form.add_error(None, exc.message)
        else:
            if created:
                messages.success(request, _("Uploaded. We are checking the file now; this page updates by itself."))
                _link_new_version(request, video, replaces)
            else:
                messages.info(request, _("You had already sent this exact file: here is that video."))
            return redirect("submissions:video_detail", pk=video.pk)
    context = {"form": form, "enrolment": enrolment, "policy": policy, "replaces": replaces}
    return render(request, "submissions/video_new.html", context, status=400)


def _detail_context(request: HttpRequest, video: Video) -> dict:
    stalled = video.is_processing_stalled
    threads = comment_threads(request.user, video)
    return {
        "threads": threads,
        "cited_threads": [thread for thread in threads if thread.is_cited],
        "reviewer_view": sees_internal_comments(request.user, video),
        "versions": version_stack(video),
        "previous_version": previous_version(video),
        "submit_key": uuid.uuid4(),
        "video": video,
        "artist_hidden": artist_hidden_from(request.user, video),
        "events": video.events.select_related("actor"),
        "thumbnails": video.thumbnails.all(),
        "can_withdraw": video_services.video_can_withdraw(video=video, user=request.user),
        "consent": video_services.video_consent(video),
        "stalled": stalled,
        "poll_seconds": STALLED_POLL_SECONDS if stalled else POLL_SECONDS,
        **player_start(request.GET.get("t")),
        **review_status_for(video, request.user),
    }


def _link_new_version(request: HttpRequest, video: Video, replaces: Video | None) -> None:
    if replaces is None:
        return
    try:
        review_link_new_version(new_video=video, old_video=replaces, artist=request.user)
    except ReviewError as exc:
        messages.warning(
            request, _("The video was uploaded, but not linked as a new version: %(why)s") % {"why": exc.message}
        )


@login_required
@require_safe
def video_detail(request: HttpRequest, pk: int) -> HttpResponse:
    video = get_video_for_user(request.user, pk)
    return render(request, "submissions/video_detail.html", _detail_context(request, video))


@login_required
@require_safe
def video_status(request: HttpRequest, pk: int) -> HttpResponse:
    """What the artist's pages poll (htmx) while a video is being checked: a list row or the live panel."""
    video = get_video_for_user(request.user, pk)
    if request.GET.get("fragment") == "row":
        return render(request, "submissions/video_list.html#video-row", _detail_context(request, video))
    return render(request, "submissions/video_detail.html#live", _detail_context(request, video))


@login_required
@require_POST
def video_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    video = get_video_for_user(request.user, pk, write=True)
    try:
        video_services.video_withdraw(video=video, actor=request.user, reason=request.POST.get("reason", ""))
    except video_services.VideoError as exc:
        refuse(request, exc)
    else:
        messages.success(request, _("The video is withdrawn. Nobody can publish it; it stays private."))
    return redirect("submissions:video_detail", pk=video.pk)


# --- Media: every request checks access; the URL of a file is never public ---------------------------


@login_required
@require_safe
def video_file(request: HttpRequest, pk: int) -> HttpResponse:
    video = get_video_for_user(request.user, pk)
    if not video.file:
        raise Http404("This video has no file.")
    extension = video.container or "bin"
    return serve_private_file(
        video.file.name,
        download_name=f"glasshouse-video-{video.pk}.{extension}",
        content_type=video.content_type,
        range_header=request.headers.get("Range", ""),
    )


@login_required
@require_safe
def video_poster(request: HttpRequest, pk: int) -> HttpResponse:
    video = get_video_for_user(request.user, pk)
    if not video.poster:
        raise Http404("This video has no poster yet.")
    return serve_private_file(
        video.poster.name, download_name=f"glasshouse-video-{video.pk}-poster.jpg", content_type="image/jpeg"
    )


@login_required
@require_safe
def video_thumbnail(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    video = get_video_for_user(request.user, pk)
    thumbnail = get_object_or_404(video.thumbnails, position=position)
    return serve_private_file(
        thumbnail.image.name,
        download_name=f"glasshouse-video-{video.pk}-still-{position}.jpg",
        content_type="image/jpeg",
    )
