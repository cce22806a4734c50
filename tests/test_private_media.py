import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404

from core.private_media import serve_private_file


@pytest.mark.django_db
def test_it_streams_a_local_file_with_nosniff_and_a_server_chosen_name():
    name = default_storage.save("private/abc.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42"))
    response = serve_private_file(name, download_name="video-42.mp4", content_type="video/mp4")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x00\x00\x00\x18ftypmp42"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'inline; filename="video-42.mp4"'
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_it_hands_streaming_to_nginx_when_configured(settings):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/protected/"
    name = default_storage.save("private/x.png", ContentFile(b"png"))
    response = serve_private_file(name, download_name="s.png", content_type="image/png", as_attachment=True)
    assert response["X-Accel-Redirect"] == f"/protected/{name}"
    assert response["Content-Disposition"] == 'attachment; filename="s.png"'


@pytest.mark.django_db
def test_a_missing_file_is_404():
    with pytest.raises(Http404):
        serve_private_file("private/nothing-here.mp4", download_name="x.mp4", content_type="video/mp4")


# --- Byte ranges: video players seek with them, and Safari will not play without them ---------------------------
CLIP = bytes(range(256)) * 4  # 1,024 bytes, each position recognisable


@pytest.fixture
def stored_clip():
    return default_storage.save("private/ranged.mp4", ContentFile(CLIP))


def ranged(name, header):
    return serve_private_file(name, download_name="v.mp4", content_type="video/mp4", range_header=header)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=0-99", 0, 99), ("bytes=1000-", 1000, 1023), ("bytes=-24", 1000, 1023), ("bytes=1000-5000", 1000, 1023)],
)
def test_one_range_is_answered_with_206_and_exactly_those_bytes(stored_clip, header, first, last):
    response = ranged(stored_clip, header)
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == CLIP[first : last + 1]
    assert response["Content-Range"] == f"bytes {first}-{last}/1024"
    assert response["Content-Length"] == str(last - first + 1)
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_range_past_the_end_is_416_with_the_size(stored_clip):
    response = ranged(stored_clip, "bytes=2048-")
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */1024"


@pytest.mark.django_db
@pytest.mark.parametrize("header", ["", "bytes=0-1,5-6", "bytes=9-2", "items=0-1", "bytes=-"])
def test_no_range_several_or_a_malformed_one_get_the_whole_file(stored_clip, header):
    response = ranged(stored_clip, header)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CLIP
    assert response["Accept-Ranges"] == "bytes"
