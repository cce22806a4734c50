"""The screenshot corpus, made by the tests themselves: good images and every kind of bad input."""

import io
import struct
import zlib
from functools import cache

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

HTML_TAIL = b"<html><body><script>alert('appended')</script></body></html>"


def png_bytes(size=(64, 48), color=(200, 30, 90), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color if mode != "1" else 1).save(out, format="PNG")
    return out.getvalue()


def noisy_png_bytes(size=(200, 150)) -> bytes:
    """A PNG whose pixel data does not compress to nothing (so truncating it really cuts pixels)."""
    out = io.BytesIO()
    Image.frombytes("RGB", size, bytes((i * 7919) % 251 for i in range(size[0] * size[1] * 3))).save(out, "PNG")
    return out.getvalue()


def jpeg_with_gps_bytes() -> bytes:
    image = Image.new("RGB", (80, 60), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    gps = {1: "N", 2: (52.0, 22.0, 1.0), 3: "E", 4: (4.0, 53.0, 2.0)}
    exif[0x8825] = gps  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def webp_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (50, 50), (0, 200, 0, 128)).save(out, format="WEBP")
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


@cache
def decompression_bomb_bytes(side: int = 8000) -> bytes:
    """A valid RGBA PNG of side x side pixels: ~250 KB on disk, 256 MB once decoded."""
    row = b"\x00" + b"\x00" * (side * 4)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")


@cache
def one_bit_huge_png_bytes() -> bytes:
    """A 1-bit 10000 x 10000 PNG: tiny on disk, 100 megapixels declared."""
    out = io.BytesIO()
    Image.new("1", (10000, 10000), 0).save(out, format="PNG")
    return out.getvalue()


def truncated_png_bytes() -> bytes:
    data = noisy_png_bytes()
    return data[: len(data) // 2]


HTML_AS_PNG = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def upload(name: str, data: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def bad_corpus() -> dict[str, tuple[SimpleUploadedFile, str]]:
    """Every bad screenshot the issue names, with the message fragment each must be refused with."""
    from submissions.images import MAX_BYTES

    oversize = b"\x89PNG\r\n\x1a\n" + b"\x00" * (MAX_BYTES + 1)
    return {
        "decompression bomb": (upload("bomb.png", decompression_bomb_bytes()), "too large"),
        "1-bit 10000x10000 PNG": (upload("huge.png", one_bit_huge_png_bytes()), "too large"),
        "truncated PNG": (upload("cut.png", truncated_png_bytes()), "damaged or incomplete"),
        "HTML renamed .png": (upload("page.png", HTML_AS_PNG), "not a PNG, JPEG or WebP"),
        "SVG": (upload("drawing.svg", SVG, "image/svg+xml"), "not a PNG, JPEG or WebP"),
        "PDF": (upload("doc.pdf", PDF, "application/pdf"), "not a PNG, JPEG or WebP"),
        "oversize file": (upload("big.png", oversize), "larger than 8.0"),
    }
