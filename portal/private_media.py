"""Serving private files (unpublished videos, posters, screenshots) after the caller has checked access.

Local storage: Django streams the file. S3: a redirect to a presigned URL that expires within
S3_URL_EXPIRY_SECONDS (at most 300). Either way the response carries nosniff and a server-chosen filename.
Behind nginx, set PRIVATE_MEDIA_ACCEL_PREFIX to hand the streaming to nginx with X-Accel-Redirect.
"""

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header

MAX_PRESIGNED_SECONDS = 300


def serve_private_file(name: str, *, download_name: str, content_type: str, as_attachment: bool = False):
    """Return a response that delivers `name` from default storage. Call only after an access check."""
    if not name or not default_storage.exists(name):
        raise Http404("No such file.")
    disposition = content_disposition_header(as_attachment, download_name)
    if settings.USE_S3:
        response = _presigned_redirect(
            name, download_name=download_name, content_type=content_type, disposition=disposition
        )
    elif getattr(settings, "PRIVATE_MEDIA_ACCEL_PREFIX", ""):
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = f"{settings.PRIVATE_MEDIA_ACCEL_PREFIX.rstrip('/')}/{name}"
        response["Content-Disposition"] = disposition
    else:
        response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
        response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _presigned_redirect(name: str, *, download_name: str, content_type: str, disposition: str) -> HttpResponseRedirect:
    expiry = min(int(settings.STORAGES["default"]["OPTIONS"].get("querystring_expire", 300)), MAX_PRESIGNED_SECONDS)
    url = default_storage.url(
        name,
        parameters={"ResponseContentType": content_type, "ResponseContentDisposition": disposition},
        expire=expiry,
    )
    return HttpResponseRedirect(url)
