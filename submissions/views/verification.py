"""The public verification page (/verify/), its JSON twin for tools, and the portal's trust anchor."""

from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.request_limits import STREAMS, ClientThrottle, body_limit, content_length, too_large
from submissions import credentials
from submissions.credentials import verification
from submissions.credentials.keys import trust_anchor_fingerprint
from submissions.forms.approvals import VerifyForm
from submissions.models import ProgramMediaPolicy
from submissions.uploads import FORM_OVERHEAD_BYTES, LimitedVideoUploadHandler, install_upload_handler


def verify_max_bytes() -> int:
    """No published video is larger than the largest limit of any program."""
    largest = ProgramMediaPolicy.objects.aggregate(largest=Max("max_size_bytes"))["largest"]
    return max(largest or 0, ProgramMediaPolicy._meta.get_field("max_size_bytes").default)


@body_limit(STREAMS)
@csrf_exempt  # the check runs in _verify_post, once the upload handler is in place
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """What a file's Content Credentials say, and whether it is a copy published through the portal.

    Anyone may ask, so each client address may ask VERIFY_RATE_LIMIT times; a file is read from a temporary file
    that is deleted when the answer is sent, and a body larger than any published video is refused unread."""
    if request.method == "GET":
        return _verify_page(request, VerifyForm())
    refusal, handler = _receive(request)
    return refusal or _verify_post(request, handler)


@body_limit(STREAMS)
@csrf_exempt  # for tools: it reads a file and changes nothing, so there is no session to protect
@require_POST
def verify_json(request: HttpRequest) -> HttpResponse:
    refusal, handler = _receive(request)
    if refusal is not None:
        return refusal
    if handler.exceeded:
        return too_large(handler.max_bytes)
    form = VerifyForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    return JsonResponse(_check(form).as_json())


@require_safe
def trust_anchor(request: HttpRequest) -> HttpResponse:
    """The CA certificate under which the portal signs: add it to a C2PA verifier's trust list."""
    response = HttpResponse(credentials.trust_anchor_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'inline; filename="glasshouse-content-credentials-ca.pem"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _receive(request: HttpRequest) -> tuple[HttpResponse | None, LimitedVideoUploadHandler | None]:
    throttle = ClientThrottle("verify", settings.VERIFY_RATE_LIMIT)
    if not throttle.allow_request(request):
        return throttle.refusal(), None
    max_bytes = verify_max_bytes()
    if content_length(request) > max_bytes + FORM_OVERHEAD_BYTES:
        return too_large(max_bytes), None
    return None, install_upload_handler(request, max_bytes=max_bytes, drain=True)


@csrf_protect
def _verify_post(request: HttpRequest, handler: LimitedVideoUploadHandler) -> HttpResponse:
    if handler.exceeded:
        return too_large(handler.max_bytes)
    form = VerifyForm(request.POST, request.FILES)
    result = _check(form) if form.is_valid() else None
    return _verify_page(request, form, result)


def _check(form: VerifyForm) -> verification.Verification:
    data = form.cleaned_data
    upload = data["file"]
    if not upload:
        return verification.verify(data["sha256"].lower())
    read = credentials.read_credentials(_path_of(upload))
    return verification.verify(upload.sha256, read)


def _path_of(upload) -> str:
    """The handler keeps every file on disk (a temporary file that goes when the request ends)."""
    return upload.temporary_file_path()


def _verify_page(request: HttpRequest, form: VerifyForm, result=None) -> HttpResponse:
    context = {
        "form": form,
        "result": result,
        "answers": verification.answers(),
        "fingerprint": trust_anchor_fingerprint(),
        "title": _("Verify a video"),
    }
    return render(request, "submissions/gallery/verify.html", context)
