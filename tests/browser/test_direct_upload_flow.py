"""In real Chromium against a real SeaweedFS: the upload page sends a master straight to the bucket in parts with Uppy.
One part PUT fails once and Uppy sends it again; an upload cut off after its first part continues after a reload
without sending that part twice."""

import re

import pytest
from playwright.sync_api import Page, expect

from submissions.models import DirectUpload, Video
from tests.browser.test_report_duplicate_flow import sign_in, watch_errors
from tests.test_direct_uploads import MiB, padded_clip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("tasks_in_process"),
]


@pytest.fixture
def direct(settings, s3_media):
    """S3 as production has it, with the bucket's origin allowed to the page (as S3_PUBLIC_ORIGIN does without the
    proxy path), and parts of S3's least size so a 12 MiB master makes three."""
    settings.DIRECT_UPLOAD_PART_BYTES = 5 * MiB
    csp = dict(settings.SECURE_CSP)
    for directive in ("connect-src", "img-src", "media-src"):
        csp[directive] = [*csp[directive], s3_media.endpoint]
    settings.SECURE_CSP = csp
    return s3_media


def part_puts(page: Page, *, fail: dict[int, int]) -> list[int]:
    """Record the part number of every part PUT; fail the first `fail[n]` attempts of part n at the network."""
    sent: list[int] = []

    def handle(route):
        if route.request.method != "PUT":
            return route.continue_()
        number = int(re.search(r"partNumber=(\d+)", route.request.url)[1])
        sent.append(number)
        if sent.count(number) <= fail.get(number, 0):
            return route.abort("connectionreset")
        return route.continue_()

    page.route(re.compile(r".*[?&]uploadId=.*"), handle)
    return sent


def fill_form(page: Page, live_server, path) -> None:
    page.goto(f"{live_server.url}/videos/new/")
    page.get_by_label("Title").fill("Harbour master")
    page.get_by_label("Prompt").fill("A harbour at night, lanterns on the water, slow pan")
    page.get_by_label("Model", exact=True).fill("Lumen")
    page.get_by_label("Video file").set_input_files(str(path))
    page.get_by_role("button", name="Upload", exact=True).click()


def test_a_master_goes_to_the_bucket_in_parts_and_a_failed_part_is_sent_again(
    live_server, page: Page, direct, artist, tmp_path
):
    errors = watch_errors(page)
    data = padded_clip(12 * MiB, hue=120)
    path = tmp_path / "harbour master.mp4"
    path.write_bytes(data)
    sign_in(page.context, live_server, artist)
    sent = part_puts(page, fail={2: 1})
    fill_form(page, live_server, path)
    expect(page.get_by_role("heading", name="Harbour master")).to_be_visible(timeout=60_000)
    expect(page.locator("[data-status]")).to_have_text("Waiting for review")
    assert sorted(sent) == [1, 2, 2, 3]  # part 2 failed once and was sent again
    upload = DirectUpload.objects.get()
    video = Video.objects.get()
    assert upload.status == DirectUpload.Status.PROCESSED and upload.video == video
    assert video.file.name == upload.key and video.size_bytes == len(data)
    assert [e for e in errors if "net::ERR_CONNECTION_RESET" not in e] == []


def test_an_upload_cut_off_continues_after_a_reload_without_sending_a_part_twice(
    live_server, page: Page, direct, artist, tmp_path
):
    path = tmp_path / "long master.mp4"
    path.write_bytes(padded_clip(12 * MiB, hue=130))
    sign_in(page.context, live_server, artist)
    sent = part_puts(page, fail={2: 99})  # the connection is gone for good after the first part
    fill_form(page, live_server, path)
    expect(page.locator("[data-upload-progress]")).to_contain_text("The upload stopped", timeout=60_000)
    assert DirectUpload.objects.get().status == DirectUpload.Status.STARTED

    page.unroute_all()
    sent = part_puts(page, fail={})
    page.reload()
    fill_form(page, live_server, path)
    expect(page.locator("[data-status]")).to_have_text("Waiting for review", timeout=60_000)
    assert sorted(sent) == [2, 3]  # the bucket already had part 1
    assert DirectUpload.objects.count() == 1 and Video.objects.get().title == "Harbour master"
