"""Sizes and work (issue 12, §1): every endpoint bounds the body it takes before reading it, /verify/ hashes
files without storing them and limits each client address, and screenshot decoding has a pixel budget per
request and decodes at reduced size."""

import io
import uuid

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from PIL import Image

from core.request_limits import STREAMS
from submissions.forms.reports import ScreenshotsField
from submissions.images import MAX_REQUEST_PIXELS, MAX_SIDE, pixel_budget_error, process_screenshot
from submissions.models import ProgramMediaPolicy
from tests.report_images import decompression_bomb_bytes, upload

GiB = 1024**3
DUMMY = {"int": "1", "uuid": str(uuid.uuid4()), "isodate": "2026-09-01"}


def _paths(patterns, prefix: str = ""):
    """(path, view) for every URL of the project, with a value of the right shape for each parameter."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _paths(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield _concrete(prefix + str(pattern.pattern)), pattern.callback


def _concrete(route: str) -> str | None:
    if "(?P" in route or route.startswith("^"):
        return None  # a regular expression (the admin's app index): reached through its own test below
    while "<" in route:
        start, end = route.index("<"), route.index(">")
        kind = route[start + 1 : end].split(":")[0] if ":" in route[start:end] else "str"
        route = route[:start] + DUMMY.get(kind, "x") + route[end + 1 :]
    return "/" + route


ROUTES = [(path, view) for path, view in _paths(get_resolver().url_patterns) if path is not None]
STREAMING = sorted(path for path, view in ROUTES if getattr(view, "body_limit", None) == STREAMS)


def _limit(view) -> int:
    limit = getattr(view, "body_limit", settings.REQUEST_MAX_BYTES)
    return limit() if callable(limit) else limit


def test_the_walk_covers_the_project_the_admin_and_the_accounts():
    paths = {path for path, _ in ROUTES}
    assert {"/verify/", "/accounts/login/", "/accounts/signup/", "/reports/new/", "/admin/"} <= paths
    assert len(paths) > 150
    for path in paths:
        resolve(path)  # every stand-in value has the right shape, so the request reaches the middleware


def test_only_the_views_that_bound_their_own_bodies_stream():
    api = [path for path in STREAMING if path.startswith("/api/v1/")]  # the API: submissions.api bounds its bodies
    assert "/api/v1/videos" in api
    assert sorted(set(STREAMING) - set(api)) == ["/verify.json", "/verify/", "/videos/new/"]


@pytest.mark.django_db
def test_every_endpoint_refuses_a_body_beyond_its_limit_unread(client):
    """The test client's body is empty: a view or middleware that tried to read the declared bytes would fail."""
    refused = []
    for path, view in ROUTES:
        if path in STREAMING:
            continue
        limit = _limit(view)
        response = client.generic("POST", path, b"", CONTENT_LENGTH=str(limit + 1), CONTENT_TYPE="multipart/form-data")
        if response.status_code != 413 or "Nothing was saved" not in response.content.decode():
            refused.append((path, response.status_code))
    assert not refused


def test_the_report_forms_take_their_screenshots_and_ordinary_forms_little():
    views = dict(ROUTES)
    assert _limit(views["/reports/new/"]) >= 5 * 8 * 1024**2
    assert _limit(views["/accounts/login/"]) == settings.REQUEST_MAX_BYTES <= 2 * 1024**2


# --- /verify/ -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_verify_hashes_a_file_without_storing_it(client, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    data = b"\x00\x01" * (3 * 1024**2)  # above FILE_UPLOAD_MAX_MEMORY_SIZE: Django's handler would use a file
    import hashlib

    response = client.post("/verify/", {"file": upload("clip.mp4", data, "video/mp4")})
    assert response.status_code == 200
    assert hashlib.sha256(data).hexdigest() in response.content.decode()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db
def test_verify_refuses_a_body_larger_than_any_published_video_unread(client, program):
    ProgramMediaPolicy.objects.create(program=program, max_size_bytes=300 * 1024**2)
    response = client.generic("POST", "/verify/", b"", CONTENT_LENGTH=str(2 * GiB), CONTENT_TYPE="multipart/form-data")
    assert response.status_code == 413
    assert "300.0 MB" in response.content.decode()


@pytest.mark.django_db
def test_verify_is_limited_per_client_address(client, settings):
    settings.VERIFY_RATE_LIMIT = "3/min"
    digest = "a" * 64
    statuses = [client.post("/verify/", {"sha256": digest}, REMOTE_ADDR="203.0.113.7").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.post("/verify/", {"sha256": digest}, REMOTE_ADDR="203.0.113.7")
    assert int(refused["Retry-After"]) > 0 and "Too many requests" in refused.content.decode()
    assert client.post("/verify/", {"sha256": digest}, REMOTE_ADDR="198.51.100.2").status_code == 200
    assert client.get("/verify/", REMOTE_ADDR="203.0.113.7").status_code == 200  # reading the page is free


@pytest.mark.django_db
def test_verify_still_checks_csrf():
    assert Client(enforce_csrf_checks=True).post("/verify/", {"sha256": "a" * 64}).status_code == 403


# --- Screenshots: a pixel budget per request, decoded at reduced size ----------------------------------------


def test_the_pixels_of_all_screenshots_of_a_request_are_budgeted_before_any_is_decoded():
    side = 6000  # 36 megapixels each, under the per-file cap; three are 108, over the request's 100
    files = [upload(f"big{i}.png", decompression_bomb_bytes(side)) for i in range(3)]
    assert 3 * side * side > MAX_REQUEST_PIXELS
    message = pixel_budget_error(files)
    assert "108 megapixels" in message and "at most 100" in message
    with pytest.raises(Exception, match="at most 100"):
        ScreenshotsField().clean(files)
    assert pixel_budget_error(files[:2]) == ""


def test_a_large_png_is_stored_reduced_to_the_longest_side():
    shot = process_screenshot(upload("wide.png", decompression_bomb_bytes(5000)))
    assert (shot.width, shot.height) == (2500, 2500)
    assert max(Image.open(io.BytesIO(shot.data)).size) <= MAX_SIDE


def _jpeg(size, orientation: int | None = None) -> bytes:
    out = io.BytesIO()
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    Image.new("RGB", size, (20, 90, 200)).save(out, format="JPEG", quality=80, exif=exif.tobytes())
    return out.getvalue()


def test_a_large_jpeg_is_decoded_at_reduced_size_and_kept_upright():
    image = Image.open(io.BytesIO(_jpeg((6000, 2000))))
    image.draft(None, (3000, 1000))
    assert image.size == (3000, 1000)  # the decoder itself scales: this is what process_screenshot relies on
    shot = process_screenshot(upload("wide.jpg", _jpeg((6000, 2000)), "image/jpeg"))
    assert (shot.width, shot.height) == (3000, 1000)
    rotated = process_screenshot(upload("phone.jpg", _jpeg((6000, 2000), orientation=6), "image/jpeg"))
    assert (rotated.width, rotated.height) == (1000, 3000)


def test_a_screenshot_within_the_side_is_kept_at_full_size():
    shot = process_screenshot(upload("small.jpg", _jpeg((1920, 1080)), "image/jpeg"))
    assert (shot.width, shot.height) == (1920, 1080)
