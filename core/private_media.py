"""Serving private files (unpublished videos, posters, screenshots) after the caller has checked access.

Local storage: Django streams the file. S3: a redirect to a presigned URL that expires within
S3_URL_EXPIRY_SECONDS (at most 300). Either way the response carries nosniff and a server-chosen filename.
Behind nginx, set PRIVATE_MEDIA_ACCEL_PREFIX to hand the streaming to nginx with X-Accel-Redirect.
Local streaming honours a single byte range, which video players need to seek (and Safari to play at all).
"""

import re
from collections.abc import Iterator

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.utils.http import content_disposition_header

MAX_PRESIGNED_SECONDS = 300
CHUNK_BYTES = 64 * 1024
SINGLE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
UNSATISFIABLE = (-1, -1)


def requested_range(header: str, size: int) -> tuple[int, int] | None:
    """The (first, last) byte asked for, UNSATISFIABLE, or None to send the whole file.

    Only one range is honoured; several ranges, or a header that does not parse, get the whole file, as
    RFC 9110 allows.
    """
    match = SINGLE_RANGE.match(header.replace(" ", ""))
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if not first:  # "bytes=-500": the last 500 bytes
        suffix = int(last)
        return (max(size - suffix, 0), size - 1) if suffix and size else UNSATISFIABLE
    first, last = int(first), int(last) if last else size - 1
    if first >= size:
        return UNSATISFIABLE
    return (first, min(last, size - 1)) if first <= last else None


def stream_stored_file(name: str, *, content_type: str, range_header: str = "") -> HttpResponse:
    """Stream `name` from default storage whole (200) or the one range asked for (206, or 416)."""
    size = default_storage.size(name)
    byte_range = requested_range(range_header, size)
    if byte_range is None:
        response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    elif byte_range == UNSATISFIABLE:
        response = HttpResponse(status=416, content_type=content_type)
        response["Content-Range"] = f"bytes */{size}"
    else:
        first, last = byte_range
        response = StreamingHttpResponse(_read(name, first, last), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
    response["Accept-Ranges"] = "bytes"
    return response


def _read(name: str, first: int, last: int) -> Iterator[bytes]:
    with default_storage.open(name, "rb") as stored:
        stored.seek(first)
        remaining = last - first + 1
        while remaining > 0 and (chunk := stored.read(min(CHUNK_BYTES, remaining))):
            remaining -= len(chunk)
            yield chunk


def serve_private_file(
    name: str, *, download_name: str, content_type: str, as_attachment: bool = False, range_header: str = ""
):
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
        response = stream_stored_file(name, content_type=content_type, range_header=range_header)
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
