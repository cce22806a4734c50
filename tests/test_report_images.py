"""Screenshots: the bad-input corpus is refused with a clear message and leaves no row and no file behind;
good images are re-encoded (no EXIF, no appended bytes), renamed by the server, thumbnailed and private."""

import io
import tracemalloc

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from submissions.images import MAX_PIXELS, ImageRejected, process_screenshot
from submissions.models import BugReport, Screenshot
from tests.conftest import REPORT_FIELDS, file_report
from tests.report_images import (
    HTML_TAIL,
    bad_corpus,
    decompression_bomb_bytes,
    jpeg_with_gps_bytes,
    png_bytes,
    upload,
    webp_bytes,
)


def stored_files() -> list[str]:
    """Every file under the private screenshots folder of this test's media root."""
    found = []

    def walk(folder):
        if not default_storage.exists(folder):
            return
        dirs, files = default_storage.listdir(folder)
        found.extend(f"{folder}/{name}" for name in files)
        for name in dirs:
            walk(f"{folder}/{name}")

    walk("private/screenshots")
    return found


@pytest.mark.parametrize("case", list(bad_corpus()))
def test_process_screenshot_refuses_each_bad_file_with_a_clear_message(case):
    bad, message = bad_corpus()[case]
    with pytest.raises(ImageRejected) as refused:
        process_screenshot(bad)
    assert message in refused.value.message
    assert bad.name.split(".")[0] in refused.value.message  # the message names the file


def test_the_pixel_limit_is_checked_before_anything_is_decoded():
    bomb = upload("bomb.png", decompression_bomb_bytes())
    tracemalloc.start()
    try:
        with pytest.raises(ImageRejected):
            process_screenshot(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Decoding would need 8000 * 8000 * 4 bytes = 256 MB; refusing from the header needs almost nothing.
    assert peak < 5 * 1024 * 1024
    assert Image.MAX_IMAGE_PIXELS == MAX_PIXELS


def test_an_image_at_the_limit_minus_one_row_is_accepted():
    side = 2000  # 4 megapixels: well within the limit, proves the cap is not refusing normal screenshots
    processed = process_screenshot(upload("ok.png", png_bytes((side, side))))
    assert (processed.width, processed.height) == (side, side)


def test_a_png_with_html_appended_is_re_encoded_without_the_tail():
    processed = process_screenshot(upload("tail.png", png_bytes() + HTML_TAIL))
    assert HTML_TAIL not in processed.data
    assert b"<script" not in processed.data
    assert processed.data.endswith(b"IEND\xaeB`\x82")
    assert Image.open(io.BytesIO(processed.data)).size == (64, 48)


def test_jpeg_exif_and_gps_are_stripped():
    original = jpeg_with_gps_bytes()
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825)  # the test file really carries GPS
    processed = process_screenshot(upload("holiday.jpg", original, "image/jpeg"))
    again = Image.open(io.BytesIO(processed.data))
    assert dict(again.getexif()) == {}
    assert b"SecretCam" not in processed.data
    assert processed.content_type == "image/jpeg"


def test_webp_is_accepted_and_every_thumbnail_is_small_webp():
    processed = process_screenshot(upload("w.webp", webp_bytes(), "image/webp"))
    assert processed.format == "WEBP"
    big = process_screenshot(upload("big.png", png_bytes((1600, 900))))
    thumb = Image.open(io.BytesIO(big.thumbnail))
    assert thumb.format == "WEBP"
    assert max(thumb.size) <= 320


def test_the_display_name_drops_folders_and_control_characters():
    processed = process_screenshot(upload("../../etc/pa\x00ss\nwd.png", png_bytes()))
    assert processed.original_name == "passwd.png"


# --- Through the page: nothing is stored on refusal -------------------------------------------------


def post_new_report(client, program, files, *, submit=True):
    data = {**REPORT_FIELDS, "program": program.pk, "screenshots": files}
    if submit:
        data["submit"] = "1"
    return client.post(reverse("submissions:report_new"), data)


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(bad_corpus()))
def test_a_bad_screenshot_refuses_the_whole_report_and_stores_nothing(client, artist, program, case):
    bad, message = bad_corpus()[case]
    client.force_login(artist)
    response = post_new_report(client, program, [upload("fine.png", png_bytes()), bad])
    assert response.status_code == 200
    assert message in response.content.decode()
    assert REPORT_FIELDS["title"] in response.content.decode()  # what the artist typed is kept in the form
    assert not BugReport.objects.exists()
    assert not Screenshot.objects.exists()
    assert stored_files() == []


@pytest.mark.django_db
def test_more_than_five_files_are_refused_and_nothing_is_stored(client, artist, program):
    client.force_login(artist)
    files = [upload(f"s{i}.png", png_bytes()) for i in range(6)]
    response = post_new_report(client, program, files)
    assert "at most 5 screenshots" in response.content.decode()
    assert not BugReport.objects.exists()
    assert stored_files() == []


@pytest.mark.django_db
def test_a_draft_cannot_grow_past_five_screenshots(client, artist, program):
    report = file_report(
        artist, program, submit=False, screenshots=[process_screenshot(upload("a.png", png_bytes()))] * 4
    )
    client.force_login(artist)
    data = {**REPORT_FIELDS, "screenshots": [upload("b.png", png_bytes()), upload("c.png", png_bytes())]}
    response = client.post(reverse("submissions:report_edit", args=[report.pk]), data)
    assert "this one has 4, so you can add 1 more" in response.content.decode()
    assert report.screenshots.count() == 4
    assert len(stored_files()) == 8  # four images and their thumbnails, nothing more


@pytest.mark.django_db
def test_good_screenshots_are_stored_under_server_names_with_thumbnails(client, artist, program):
    client.force_login(artist)
    response = post_new_report(
        client, program, [upload("<i>my shot<i>.png", png_bytes() + HTML_TAIL), upload("x.jpg", jpeg_with_gps_bytes())]
    )
    report = BugReport.objects.get()
    assert response.status_code == 302
    shots = list(report.screenshots.all())
    assert len(shots) == 2
    for shot in shots:
        assert "my shot" not in shot.file and shot.file.startswith(f"private/screenshots/{program.pk}/{report.pk}/")
        assert default_storage.exists(shot.file) and default_storage.exists(shot.thumbnail)
    with default_storage.open(shots[0].file) as handle:
        assert HTML_TAIL not in handle.read()
    assert shots[0].original_name == "<i>my shot<i>.png"
    assert len(stored_files()) == 4


@pytest.mark.django_db
def test_a_storage_failure_midway_leaves_no_row_and_no_file(artist, program, monkeypatch):
    """Storage is not transactional: files saved before a failure are removed with the rolled-back rows."""
    from submissions.services import reports as services

    real_create = Screenshot.objects.create
    calls = {"n": 0}

    def fail_on_second(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return real_create(**kwargs)

    monkeypatch.setattr(Screenshot.objects, "create", fail_on_second)
    images = [process_screenshot(upload(f"{i}.png", png_bytes())) for i in range(2)]
    with pytest.raises(OSError):
        services.bug_report_save_draft(reporter=artist, program=program, fields=REPORT_FIELDS, screenshots=images)
    assert not BugReport.objects.exists()
    assert stored_files() == []
