"""Receiving a video upload: straight to a temporary file, hashed on the way, cut off at the size limit.

Install the handler before anything reads request.POST (so the view must be csrf_exempt and run the CSRF
check itself afterwards). Memory stays at one chunk (64 KB) whatever the size of the upload.
"""

import datetime as dt
import hashlib
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from submissions.models.videos import MiB

# Room for the other form fields and the multipart boundaries around the file.
FORM_OVERHEAD_BYTES = 1 * MiB


class UploadTooLarge(Exception):
    def __init__(self, max_bytes: int):
        limit = filesizeformat(max_bytes).replace("\xa0", " ")
        super().__init__(_("The file is larger than this program's limit of %(limit)s.") % {"limit": limit})
        self.max_bytes = max_bytes
        self.message = str(self)


class _HashesEachFile:
    """Counts and hashes each file of the request afresh (the handlers keep `received` and `_sha256`)."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self._sha256 = hashlib.sha256()


class LimitedVideoUploadHandler(_HashesEachFile, TemporaryFileUploadHandler):
    """Streams each file to a temporary file, computing its SHA-256, and stops past `max_bytes`.

    With `drain=True` (web forms) it stops storing but reads the rest of the request so the browser
    gets the form back with a message; `exceeded` tells the view. With `drain=False` (API) it raises
    UploadTooLarge at once, before reading the body when Content-Length already says too much.

    Draining discards the rest chunk by chunk instead of raising StopUpload: Django drains a stopped upload
    with readline(), which holds a whole newline-free body (a gigabyte of zeros) in memory.
    """

    def __init__(self, request=None, *, max_bytes: int, drain: bool):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.drain = drain
        self.exceeded = False
        self.received = 0
        self._sha256 = hashlib.sha256()

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if not self.drain and content_length and content_length > self.max_bytes + FORM_OVERHEAD_BYTES:
            raise UploadTooLarge(self.max_bytes)
        return super().handle_raw_input(input_data, META, content_length, boundary, encoding)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.exceeded:
            return None  # draining: read and forget
        if self.received > self.max_bytes:
            self.exceeded = True
            self.file.close()  # a temporary file deletes itself on close: nothing is left behind
            if not self.drain:
                raise UploadTooLarge(self.max_bytes)
            return None
        self._sha256.update(raw_data)
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size):
        if self.exceeded:
            return None  # no file: the view reports `exceeded`
        uploaded = super().file_complete(file_size)
        uploaded.sha256 = self._sha256.hexdigest()
        return uploaded


def install_upload_handler(request, *, max_bytes: int, drain: bool) -> LimitedVideoUploadHandler:
    handler = LimitedVideoUploadHandler(request, max_bytes=max_bytes, drain=drain)
    request.upload_handlers = [handler]
    # An upload cut short (the client went away, the request failed) leaves its partial file outside
    # request.FILES, which Django closes at the end of the request; close it too. Django calls request.close()
    # after every response, the error pages included.
    closing = request.close

    def close() -> None:
        handler.upload_interrupted()
        closing()

    request.close = close
    return handler


def upload_temp_files_sweep(*, older_than: dt.timedelta, now: float | None = None) -> int:
    """Delete upload temporary files last written more than `older_than` ago: what a killed web worker left.

    Only Django's upload files (tmp*.upload*) directly in the upload temp folder are touched; one still being
    written is younger than any sensible `older_than`. Returns how many were deleted.
    """
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir())
    cutoff = (now if now is not None else time.time()) - older_than.total_seconds()
    deleted = 0
    for path in folder.glob("tmp*.upload*"):
        try:
            if path.is_file() and not path.is_symlink() and path.stat().st_mtime < cutoff:
                path.unlink()
                deleted += 1
        except FileNotFoundError:
            continue  # its own request finished and removed it meanwhile
    return deleted


def temporary_upload(data: bytes, name: str, content_type: str = "video/mp4") -> TemporaryUploadedFile:
    """Bytes as the handler would have received them (a temporary file that knows its SHA-256): for the
    demo data and the tests, which send videos through the same services as the upload form."""
    upload = TemporaryUploadedFile(name, content_type, len(data), None)
    upload.write(data)
    upload.seek(0)
    upload.sha256 = hashlib.sha256(data).hexdigest()
    return upload
