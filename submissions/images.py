"""Screenshot intake: what is accepted, how it is decoded, and what is stored.

Uploads are sniffed by content (never by name or declared type), opened lazily by Pillow restricted to
PNG, JPEG and WebP, and refused before any pixel is decoded when the header declares more than MAX_PIXELS.
Accepted images are decoded and re-encoded from pixels only, which drops EXIF/GPS, text chunks and any bytes
appended after the image, and a small thumbnail is made for lists. Nothing here touches storage.

Decoding is bounded per request: the declared pixels of all the screenshots in one form may not exceed
MAX_REQUEST_PIXELS (checked from the headers before any is decoded), and an image larger than MAX_SIDE is
decoded at reduced size where the format allows (JPEG's DCT scaling through Image.draft), otherwise reduced
right after decoding, so only one full-size image is ever held at a time.
"""

import io
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_SCREENSHOTS = 5
MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_REQUEST_PIXELS = 100_000_000  # all the screenshots of one request together
MAX_SIDE = 4096  # stored screenshots are scaled down to this many pixels on their longer side
THUMBNAIL_BOX = (320, 320)
_TRANSPOSE = {  # EXIF orientation -> the transpose that makes the image upright (as ImageOps.exif_transpose)
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

# Pillow's own guard: it warns above this many pixels and refuses at twice as many. The check in
# process_screenshot turns the warning into a refusal, so nothing larger than MAX_PIXELS is ever decoded.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
)
_CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
_EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
ACCEPT_ATTRIBUTE = ",".join([*_CONTENT_TYPES.values(), ".png", ".jpg", ".jpeg", ".webp"])


def screenshots_request_bytes() -> int:
    """The largest body of a form that carries screenshots: all of them at their limit, and the text."""
    return MAX_SCREENSHOTS * MAX_BYTES + settings.REQUEST_MAX_BYTES


def screenshot_room_error(existing: int, adding: int) -> str:
    """The refusal when `adding` screenshots do not fit next to `existing` ones, or "" when they do."""
    if existing + adding <= MAX_SCREENSHOTS:
        return ""
    room = MAX_SCREENSHOTS - existing
    if existing == 0:
        return _("You chose %(adding)d files; a report can have at most %(max)d screenshots.") % {
            "adding": adding,
            "max": MAX_SCREENSHOTS,
        }
    if room > 0:
        return _(
            "A report can have at most %(max)d screenshots; this one has %(existing)d, so you can add %(room)d more."
        ) % {
            "max": MAX_SCREENSHOTS,
            "existing": existing,
            "room": room,
        }
    return _("A report can have at most %(max)d screenshots; this one is full.") % {"max": MAX_SCREENSHOTS}


class ImageRejected(ValueError):
    """A screenshot that is refused, with the message the uploader sees."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ProcessedImage:
    data: bytes
    thumbnail: bytes
    width: int
    height: int
    format: str
    original_name: str

    @property
    def content_type(self) -> str:
        return _CONTENT_TYPES[self.format]

    @property
    def extension(self) -> str:
        return _EXTENSIONS[self.format]


THUMBNAIL_CONTENT_TYPE = "image/webp"
THUMBNAIL_EXTENSION = "webp"


def sniff_format(head: bytes) -> str | None:
    """The image format the first bytes announce, among the accepted ones, or None."""
    for signature, fmt in _SIGNATURES:
        if head.startswith(signature):
            return fmt
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def display_name(name: str | None) -> str:
    """The uploaded file name, for display only: no folders, no control characters, at most 120 characters."""
    base = PurePath((name or "").replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return cleaned[:120] or "screenshot"


def process_screenshot(upload) -> ProcessedImage:
    """Validate and re-encode one uploaded screenshot, or raise ImageRejected with a clear message."""
    name = display_name(getattr(upload, "name", ""))
    size = upload.size
    if size == 0:
        raise ImageRejected(_("“%(name)s” is empty.") % {"name": name})
    if size > MAX_BYTES:
        raise ImageRejected(
            _("“%(name)s” is larger than %(size)s, the limit for one screenshot.")
            % {"name": name, "size": filesizeformat(MAX_BYTES)}
        )
    upload.seek(0)
    fmt = sniff_format(upload.read(16))
    upload.seek(0)
    if fmt is None:
        raise ImageRejected(
            _("“%(name)s” is not a PNG, JPEG or WebP image (other files, SVG and PDF are refused).") % {"name": name}
        )
    image = _open_within_limits(upload, fmt, name)
    try:
        with image:  # closing frees the full-size pixels before the encoding starts
            pixels = _clean_pixels(*_decode_reduced(image))
        data = _encode(pixels, fmt)
        thumbnail = _thumbnail(pixels)
    except Image.DecompressionBombError as exc:
        raise ImageRejected(_too_many_pixels(name, *image.size)) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageRejected(_damaged(name)) from exc
    return ProcessedImage(data, thumbnail, pixels.width, pixels.height, fmt, name)


def _open_within_limits(upload, fmt: str, name: str) -> Image.Image:
    """Open lazily (header only) and refuse oversized images before a single pixel is decoded."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(upload, formats=[fmt])
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageRejected(_too_many_pixels(name)) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
            raise ImageRejected(_damaged(name)) from exc
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ImageRejected(_too_many_pixels(name, width, height))
    return image


def _damaged(name: str) -> str:
    return _("“%(name)s” is damaged or incomplete and cannot be read as an image.") % {"name": name}


def _too_many_pixels(name: str, width: int = 0, height: int = 0) -> str:
    values = {"name": name, "width": width, "height": height, "max": MAX_PIXELS // 1_000_000}
    if width:
        return (
            _(
                "“%(name)s” is too large (%(width)d by %(height)d pixels): "
                "a screenshot may have at most %(max)d megapixels."
            )
            % values
        )
    return _("“%(name)s” is too large: a screenshot may have at most %(max)d megapixels.") % values


def _decode_reduced(image: Image.Image) -> tuple[Image.Image, int | None]:
    """The first frame in a plain mode, at most MAX_SIDE pixels on its longer side: decoded at reduced size
    where the format can (JPEG), otherwise reduced at once. Also its EXIF orientation, which reducing drops."""
    if image.format == "JPEG" and (factor := _factor(image.size)) > 1:
        image.draft(None, (image.width // factor, image.height // factor))  # decodes at 1/2, 1/4 or 1/8 scale
    image.load()
    orientation = image.getexif().get(0x0112)
    image = _plain_mode(image)
    if (factor := _factor(image.size)) > 1:
        image = image.reduce(factor)
    return image, orientation


def _factor(size: tuple[int, int]) -> int:
    """The smallest whole factor that brings the longer side within MAX_SIDE."""
    return -(-max(size) // MAX_SIDE)


def _plain_mode(image: Image.Image) -> Image.Image:
    if image.mode in ("RGB", "RGBA", "L"):
        return image
    if image.mode in ("LA", "PA", "P") and image.has_transparency_data:
        return image.convert("RGBA")
    return image.convert("RGB")


def pixel_budget_error(uploads) -> str:
    """A message when the screenshots of one request together declare more than MAX_REQUEST_PIXELS; their
    headers are read, no pixel is decoded. Unreadable files count for nothing here (processing refuses them)."""
    total = sum(_declared_pixels(upload) for upload in uploads)
    if total <= MAX_REQUEST_PIXELS:
        return ""
    return _(
        "Together these images have %(total).0f megapixels; one request may bring at most %(max)d. "
        "Send some of them in a later answer, or scale them down."
    ) % {"total": total / 1_000_000, "max": MAX_REQUEST_PIXELS // 1_000_000}


def _declared_pixels(upload) -> int:
    upload.seek(0)
    fmt = sniff_format(upload.read(16))
    upload.seek(0)
    if fmt is None:
        return 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(upload, formats=[fmt]) as image:
                width, height = image.size
        except Image.DecompressionBombError:
            return MAX_PIXELS + 1
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            return 0
        finally:
            upload.seek(0)
    return width * height


def _clean_pixels(image: Image.Image, orientation: int | None) -> Image.Image:
    """Upright, with no metadata carried over."""
    method = _TRANSPOSE.get(orientation)
    clean = image.transpose(method) if method is not None else image.copy()
    clean.info = {}
    return clean


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, format="JPEG", quality=90, optimize=True)
    elif fmt == "WEBP":
        image.save(out, format="WEBP", quality=90)
    else:
        image.save(out, format="PNG")
    return out.getvalue()


def _thumbnail(image: Image.Image) -> bytes:
    small = image.copy()
    small.thumbnail(THUMBNAIL_BOX)
    out = io.BytesIO()
    small.save(out, format="WEBP", quality=80)
    return out.getvalue()
