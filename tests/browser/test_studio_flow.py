"""In real Chromium, with the stand-in renderer: an artist asks for a clip in the studio, watches it queue and
finish without reloading, and the clip goes the whole way of any video: review, approval, publication, gallery."""

import re

import pytest
from django.core.servers.basehttp import WSGIServer
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from studio.models import GenerationJob
from submissions.models import Video
from tests.approval_helpers import setup_review
from tests.conftest import PASSWORD
from tests.studio_helpers import open_studio, tick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("tasks_in_process")]


class OneRequestAtATime(WSGIServer):
    """As in test_video_browser: on SQLite the live server's threads share one in-memory connection."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


@pytest.fixture(scope="module")
def live_server(request):
    server = LiveServer("localhost", start=False)
    server.thread.server_class = OneRequestAtATime
    server.start()
    yield server
    server.stop()


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def run_the_poller_between_polls(page: Page) -> None:
    """The worker's beat job, run right after one of the page's polls so the two never overlap on SQLite."""
    with page.expect_response(lambda response: "/studio/jobs/" in response.url):
        pass
    tick()


def test_prompt_to_queue_to_review_to_gallery(live_server, page: Page, program, artist, reviewer):
    open_studio(program)
    setup_review(program, safety=[reviewer], lead=[reviewer], distinct_people=False)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    log_in(page, live_server.url, artist.email)
    page.goto(live_server.url + "/studio/")
    expect(page.get_by_text("is a stand-in renderer, not a real model")).to_be_visible()
    page.get_by_label("Title").fill("Paper boats")
    page.get_by_label("Prompt", exact=True).fill("Paper boats drifting on a canal at dusk, slow pan")
    page.get_by_label("Size and aspect ratio").select_option(label="640x360 · 16:9 landscape")
    page.get_by_label("Seed").fill("42")
    page.get_by_role("button", name="Generate").click()

    expect(page.get_by_text("Queued: “Paper boats”. This page follows it.")).to_be_visible()
    row = page.locator("tr", has_text="Paper boats")
    expect(row.locator("[data-status]")).to_have_text("Queued")
    expect(row.locator("[data-position]")).to_contain_text("Number 1 in the queue")
    expect(page.locator("[data-allowance]")).to_contain_text("Your allowance this week: 1 of 40 clips.")
    page.evaluate("window.notReloaded = true")

    run_the_poller_between_polls(page)  # sent to the stand-in renderer
    expect(row.locator("[data-status]")).to_have_text("Generating", timeout=10_000)
    run_the_poller_between_polls(page)  # finished: downloaded, taken in, processed
    expect(row.locator("[data-status]")).to_have_text("Finished", timeout=10_000)
    assert page.evaluate("window.notReloaded") is True
    job = GenerationJob.objects.get()
    video = Video.objects.get(pk=job.video_id)
    assert video.status == Video.Status.PENDING_REVIEW and video.source == Video.Source.STUDIO

    row.get_by_role("link", name="The video").click()
    expect(page.locator("[data-status]")).to_have_text("Waiting for review")
    expect(page.get_by_text("Paper boats drifting on a canal at dusk, slow pan")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("provider job id"))).to_contain_text(job.provider_job_id)

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server.url, reviewer.email)
    for step in ("Safety", "Program lead"):
        page.goto(f"{live_server.url}/review/{video.pk}/")
        expect(page.locator("#decide-heading")).to_have_text(f"Decision: {step}")
        page.get_by_role("button", name=re.compile("^Approve")).click()
        expect(page.get_by_text(re.compile(f"Recorded: approve .* at {step}"))).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server.url, artist.email)
    page.goto(f"{live_server.url}/videos/{video.pk}/")
    page.get_by_role("button", name="Publish to the gallery").click()
    expect(page.get_by_text("Published: the video is in the public gallery.")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    page.goto(live_server.url + "/gallery/")
    page.get_by_role("link", name="Paper boats").click()
    expect(page.get_by_role("heading", name="Approval record")).to_be_visible()
    assert errors == []
