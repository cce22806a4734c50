import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404

from portal.private_media import serve_private_file


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
