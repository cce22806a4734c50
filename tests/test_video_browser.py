"""In real headless Chromium: an artist uploads a video and watches it reach "Waiting for review"."""

import re

import pytest
from django.core.servers.basehttp import WSGIServer
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from submissions.models import Video
from submissions.tasks.videos import process_video
from tests.celery_broker import queued_on
from tests.conftest import PASSWORD
from tests.video_helpers import clip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("tasks_in_process")]


class OneRequestAtATime(WSGIServer):
    """The live server without a thread per request: on SQLite the test database is one in-memory connection
    shared by every thread, and a page that loads a poster, stills and a video at once makes its requests
    collide (allauth's session tracking opens a write transaction on each). PostgreSQL has no such limit."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


@pytest.fixture(scope="module")
def live_server(request):
    server = LiveServer("localhost", start=False)
    server.thread.server_class = OneRequestAtATime
    server.start()
    yield server
    server.stop()


def log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def upload(page, live_server, tmp_path) -> None:
    path = tmp_path / "harbour at night.mp4"
    path.write_bytes(clip(hue=77))
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="My videos").click()
    page.get_by_role("link", name="Upload a video").click()
    page.get_by_label("Title").fill("Harbour at night")
    page.get_by_label("Prompt").fill("A harbour at night, lanterns on the water, slow pan")
    page.get_by_label("Model", exact=True).fill("Lumen")
    page.get_by_label("Generation settings").fill("seed = 3\nguidance = 7")
    page.get_by_label("May be shown in the public showcase once approved").select_option("yes")
    page.get_by_label("Video file").set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()


def test_an_artist_uploads_a_video_and_plays_it_once_checked(page, live_server, artist, tmp_path):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server, artist)
    upload(page, live_server, tmp_path)
    expect(page.get_by_role("heading", name="Harbour at night")).to_be_visible()
    expect(page.locator("[data-status]")).to_have_text("Waiting for review")
    expect(page.get_by_text("Checked: 2.0 s, 320x240, h264.")).to_be_visible()
    player = page.locator("video.player")
    player.evaluate("v => v.load()")
    expect(player).not_to_have_js_property("readyState", 0)
    assert player.evaluate("v => Math.round(v.duration)") == 2
    stills = page.locator(".stills img")
    expect(stills).to_have_count(3)
    stills.last.scroll_into_view_if_needed()  # lazily loaded: bring them into view, then wait for each to decode
    for index in range(3):
        expect(stills.nth(index)).to_have_js_property("naturalWidth", 320)
    assert errors == []
    video = Video.objects.get()
    assert video.status == Video.Status.PENDING_REVIEW and video.consent_showcase is True


def test_the_page_follows_processing_without_a_reload(page, live_server, artist, tmp_path):
    """The task is queued (not run at once); the page polls, and updates when the worker is done."""
    log_in(page, live_server, artist)
    with queued_on("memory://"):
        upload(page, live_server, tmp_path)
        expect(page.locator("[data-status]")).to_have_text("Uploaded")
        expect(page.locator(".working")).to_contain_text("This page updates by itself.")
        page.evaluate("window.notReloaded = true")
        video = Video.objects.get()
        # Run the task as the worker would, right after a poll so the two do not overlap on SQLite.
        with page.expect_response(lambda response: "/status/" in response.url):
            pass
        assert process_video.apply(args=[video.pk]).get() == "pending_review"
        expect(page.locator("[data-status]")).to_have_text("Waiting for review", timeout=10_000)
    expect(page.locator("video.player")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    page.get_by_role("link", name="← My videos").click()
    expect(page.get_by_role("row", name=re.compile("Harbour at night"))).to_contain_text("Waiting for review")
