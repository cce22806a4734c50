"""Direct uploads: the JSON endpoints the upload page's Uppy calls, and the artist's page for one upload.

Each endpoint is a POST with the CSRF header, for the artist who started the upload (anyone else: 404). The
bytes never come here: the browser sends them to the bucket with the URLs these views sign.
"""

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from submissions.access import get_direct_upload_for_artist, upload_enrolments
from submissions.forms.videos import DirectUploadForm
from submissions.models import DirectUpload, ProgramMediaPolicy
from submissions.services import direct_uploads as services
from submissions.views.videos import video_to_replace

MAX_DECLARED = 2**53  # what a browser's number holds exactly; the program's limit is far below


def _json_body(request: HttpRequest) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        raise services.DirectUploadError(_("Send a JSON object."))
    return body


def _bounded_int(value, *, low: int = 0, high: int = MAX_DECLARED) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return None
    return value


def _refused(message: str, status: int = 400, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def _urls(upload: DirectUpload) -> dict:
    args = [upload.public_id]
    return {
        "id": str(upload.public_id),
        "key": upload.key,
        "upload_id": upload.s3_upload_id,
        "part_size": upload.part_size,
        "sign_url": reverse("submissions:direct_upload_sign", args=args),
        "complete_url": reverse("submissions:direct_upload_complete", args=args),
        "abort_url": reverse("submissions:direct_upload_abort", args=args),
        "page_url": reverse("submissions:direct_upload_detail", args=args),
    }


@login_required
@require_POST
def direct_upload_start(request: HttpRequest) -> HttpResponse:
    """Check the declared file and the form, open the multipart upload (or find the open one for this file)."""
    enrolment = next((e for e in upload_enrolments(request.user) if e.program.slug == request.GET.get("program")), None)
    if enrolment is None:
        raise Http404("You cannot send videos to that program.")
    try:
        body = _json_body(request)
        form = DirectUploadForm(body.get("fields") or {}, policy=ProgramMediaPolicy.for_program(enrolment.program))
        if not form.is_valid():
            return _refused(_("Some fields need your attention."), field_errors=form.errors.get_json_data())
        size, last_modified = _bounded_int(body.get("size")), _bounded_int(body.get("last_modified"))
        if size is None or last_modified is None:
            raise services.DirectUploadError(_("The file's size is missing."))
        upload, _created = services.direct_upload_start(
            enrolment=enrolment,
            actor=request.user,
            filename=str(body.get("filename", "")),
            size=size,
            content_type=str(body.get("type", ""))[:100],
            last_modified=last_modified,
            provenance=form.provenance(),
            replaces=video_to_replace(request, enrolment),
        )
    except services.DirectUploadError as exc:
        return _refused(exc.message)
    return JsonResponse(_urls(upload))


@login_required
@require_POST
def direct_upload_sign(request: HttpRequest, public_id) -> HttpResponse:
    upload = get_direct_upload_for_artist(request.user, public_id)
    try:
        body = _json_body(request)
        part = body.get("part_number")
        part_number = None if part is None else (_bounded_int(part, low=1, high=services.MAX_PARTS) or 0)
        url = services.direct_upload_sign(
            upload=upload, actor=request.user, operation=str(body.get("operation", "")), part_number=part_number
        )
    except services.DirectUploadError as exc:
        return _refused(exc.message, status=409 if not upload.is_open else 400)
    return JsonResponse({"url": url})


@login_required
@require_POST
def direct_upload_complete(request: HttpRequest, public_id) -> HttpResponse:
    upload = get_direct_upload_for_artist(request.user, public_id)
    try:
        upload = services.direct_upload_complete(upload=upload, actor=request.user)
    except services.DirectUploadError as exc:
        return _refused(exc.message, status=409)
    page = reverse("submissions:direct_upload_detail", args=[upload.public_id])
    return JsonResponse({"status": upload.status, "reason": upload.reason_text, "next_url": page})


@login_required
@require_POST
def direct_upload_abort(request: HttpRequest, public_id) -> HttpResponse:
    upload = get_direct_upload_for_artist(request.user, public_id)
    upload = services.direct_upload_abort(upload=upload, actor=request.user)
    return JsonResponse({"status": upload.status})


@login_required
@require_safe
def direct_upload_detail(request: HttpRequest, public_id) -> HttpResponse:
    """Where the page goes once the bucket has the file: the check, then the video (polled while checking)."""
    upload = get_direct_upload_for_artist(request.user, public_id)
    if upload.status == DirectUpload.Status.PROCESSED and upload.video_id:
        target = reverse("submissions:video_detail", args=[upload.video_id])
        if request.htmx:
            return HttpResponse(status=204, headers={"HX-Redirect": target})
        return redirect(target)
    template = "submissions/direct_upload_detail.html" + ("#live" if request.htmx else "")
    return render(request, template, {"upload": upload, "events": upload.events.select_related("actor")})
