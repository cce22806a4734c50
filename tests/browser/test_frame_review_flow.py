"""Frame-level review in real Chromium with real clips: a reviewer marks a range, draws a box and requests
changes citing that comment; the artist sees the frame with the drawing and uploads a new version; the comparison
plays both versions in sync with the old comment at its time; the reviewer resolves it and approves."""

import re

import pytest
from playwright.sync_api import Page, expect

from submissions.models import FrameComment, Video
from tests.approval_helpers import fresh_clip, setup_review, video_in_review
from tests.browser.axe import serious_violations
from tests.browser.test_report_duplicate_flow import sign_in, watch_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("tasks_in_process")]


PAINTED = """() => { const canvas = document.querySelector('[data-frame-stage] canvas');
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  return pixels.some((value, index) => index % 4 === 3 && value > 0); }"""


def ready(page: Page, selector: str = "video") -> None:
    page.wait_for_function(
        "s => [...document.querySelectorAll(s)].every(v => v.readyState >= 1 && v.duration > 0)", arg=selector
    )


def seek(page: Page, seconds: float) -> None:
    page.evaluate(
        "t => new Promise(done => { const v = document.querySelector('[data-frame-stage] video');"
        " v.addEventListener('seeked', done, {once: true}); v.currentTime = t; })",
        seconds,
    )


def current_times(page: Page) -> list[float]:
    return page.evaluate("() => [...document.querySelectorAll('[data-compare-video]')].map(v => v.currentTime)")


def test_a_range_with_a_box_is_cited_fixed_in_a_new_version_compared_resolved_and_approved(
    live_server, page: Page, program, artist, reviewer, tmp_path
):
    setup_review(program, safety=[reviewer], lead=[reviewer], distinct_people=False)
    video = video_in_review(artist, program)
    errors = watch_errors(page)

    sign_in(page.context, live_server, reviewer)
    page.goto(f"{live_server.url}/review/{video.pk}/")
    ready(page)
    seek(page, 0.1)
    page.keyboard.press("i")
    page.keyboard.press(".")  # one frame on
    page.wait_for_function("() => document.querySelector('[data-frame-stage] video').currentTime > 0.1")
    seek(page, 0.3)
    page.keyboard.press("o")
    expect(page.locator("#comment-at")).to_have_value("0.100")
    expect(page.locator("#comment-until")).to_have_value("0.300")
    page.get_by_role("button", name="Box").click()
    page.locator("[data-frame-stage] canvas").scroll_into_view_if_needed()
    box = page.locator("[data-frame-stage] canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.25)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.5, steps=5)
    page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.7, steps=5)
    page.mouse.up()
    page.get_by_role("button", name="Box").click()  # drawing off: the player's controls work again
    page.keyboard.press("c")
    expect(page.locator("#comment-body")).to_be_focused()
    page.keyboard.type("The cup melts into the saucer here.")
    page.get_by_role("button", name="Add the comment").click()
    thread = page.locator("[data-thread]").filter(has_text="The cup melts into the saucer here.")
    expect(thread).to_be_visible()
    expect(thread).to_contain_text("0:00.100\N{EN DASH}0:00.300")
    comment = FrameComment.objects.get()
    assert [shape["shape"] for shape in comment.drawing] == ["box"]
    assert comment.drawing[0]["x"] == pytest.approx(0.25, abs=0.02) and comment.drawing[0]["w"] == pytest.approx(
        0.5, abs=0.03
    )
    # The thread's time shows its drawing over the player, read back from the still's SVG.
    assert thread.evaluate("t => window.threadDrawing(t)") == [pytest.approx(shape) for shape in comment.drawing]
    assert not page.evaluate(PAINTED)
    thread.get_by_role("button", name=re.compile("0:00.100")).click()
    page.wait_for_function(PAINTED)
    assert serious_violations(page) == []

    page.select_option("select[name=reason_code]", label="3.2 Depicts a real person without consent")
    page.fill("textarea[name=note]", "Fix the frames I marked.")
    page.get_by_label(re.compile("The cup melts")).check()
    page.get_by_role("button", name=re.compile("^Request changes")).click()
    expect(page.get_by_text(re.compile("Recorded: request changes"))).to_be_visible()
    page.context.clear_cookies()

    sign_in(page.context, live_server, artist)
    page.goto(f"{live_server.url}/videos/{video.pk}/")
    expect(page.get_by_role("heading", name="What to change, frame by frame")).to_be_visible()
    still = page.locator(f"#comment-{comment.pk} .frame-still img")
    expect(still).to_be_visible()
    still.scroll_into_view_if_needed()  # the still loads lazily, as a long page's images should
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=still.element_handle())
    expect(page.locator(f"#comment-{comment.pk} .frame-still svg rect")).to_have_count(1)
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("Cited in a decision")
    assert serious_violations(page) == []

    page.get_by_role("link", name="Upload a new version").click()
    clip = tmp_path / "teacup v2.mp4"
    clip.write_bytes(fresh_clip())
    page.get_by_label("Title").fill("Teacup storm v2")
    page.get_by_label("Prompt").fill("A storm in a teacup, the cup stays whole")
    page.get_by_label("Model", exact=True).fill("Lumen")
    page.get_by_label("Video file").set_input_files(str(clip))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("heading", name="Teacup storm v2")).to_be_visible(timeout=60_000)
    expect(page.locator("[data-status]")).to_have_text("Waiting for review")
    new = Video.objects.get(title="Teacup storm v2")
    expect(page.get_by_role("heading", name="Versions")).to_be_visible()
    page.get_by_role("link", name="Compare with version 1").click()

    ready(page, "[data-compare-video]")
    old_thread = page.locator("[data-thread]").filter(has_text="The cup melts")
    expect(old_thread).to_contain_text("Unresolved")
    old_thread.get_by_role("button", name=re.compile("0:00.100")).click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-compare-video]')].every(v => Math.abs(v.currentTime - 0.1) < 0.01)"
    )
    page.get_by_role("button", name="Play both").click()
    page.wait_for_timeout(150)
    page.get_by_role("button", name="Pause both").click()
    old_time, new_time = current_times(page)
    assert abs(old_time - new_time) < 0.05, (old_time, new_time)
    page.get_by_label("Wipe", exact=True).check()
    expect(page.locator("[data-compare-stage]")).to_have_class(re.compile("is-wipe"))
    assert serious_violations(page) == []
    page.context.clear_cookies()

    sign_in(page.context, live_server, reviewer)
    page.goto(f"{live_server.url}/videos/{new.pk}/compare/")
    page.locator("[data-thread]").filter(has_text="The cup melts").get_by_role("button", name="Mark resolved").click()
    expect(page.locator("[data-thread]").filter(has_text="The cup melts")).to_contain_text("Resolved")
    for step in ("Safety", "Program lead"):
        page.goto(f"{live_server.url}/review/{new.pk}/")
        expect(page.locator("#decide-heading")).to_have_text(f"Decision: {step}")
        page.keyboard.press("a")
        expect(page.get_by_text(re.compile(f"Recorded: approve .* at {step}"))).to_be_visible()
    new.refresh_from_db()
    comment.refresh_from_db()
    assert new.status == Video.Status.APPROVED and comment.is_resolved
    assert errors == []
