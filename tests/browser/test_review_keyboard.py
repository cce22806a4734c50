"""A reviewer works through a queue of three videos with the keyboard; the artist publishes one and it
appears in the public gallery. Real Chromium, real clips."""

import re

import pytest
from playwright.sync_api import Page, expect

from submissions.models import Decision, Video
from tests.approval_helpers import setup_review, video_in_review
from tests.browser.axe import serious_violations
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()


def next_video(page: Page, step: str) -> None:
    """Press n and wait for the next video's review page, at the expected step."""
    page.keyboard.press("n")
    expect(page).to_have_url(re.compile(r"/review/\d+/$"))
    expect(page.locator("#decide-heading")).to_have_text(f"Decision: {step}")
    page.wait_for_load_state("domcontentloaded")  # the deferred key handlers are ready by then


def test_a_reviewer_clears_the_queue_by_keyboard_and_the_artist_publishes(
    live_server, page: Page, program, artist, reviewer
):
    setup_review(program, safety=[reviewer], lead=[reviewer], distinct_people=False)
    videos = [video_in_review(artist, program) for _ in range(3)]
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    log_in(page, live_server.url, reviewer.email)
    page.goto(live_server.url + "/review/")
    expect(page.get_by_test_id("waiting-count")).to_have_text("3")
    assert serious_violations(page) == []

    next_video(page, "Safety")
    page.keyboard.press("a")  # approve the safety step
    expect(page.get_by_text(re.compile("Recorded: approve"))).to_be_visible()

    next_video(page, "Program lead")  # the reviewer sits in both groups: the first video is back at step 2
    page.keyboard.press("a")
    expect(page.get_by_text(re.compile("Recorded: approve .* at Program lead"))).to_be_visible()

    next_video(page, "Safety")
    page.fill("textarea[name=note]", "The face of a real actor is recognisable.")
    page.locator("textarea[name=note]").blur()
    page.keyboard.press("r")  # no rule cited yet: refused, the note is kept
    expect(page.get_by_role("alert")).to_contain_text("Cite the rule of the review policy")
    expect(page.locator("textarea[name=note]")).to_have_value("The face of a real actor is recognisable.")
    page.select_option("select[name=reason_code]", label="3.2 Depicts a real person without consent")
    page.locator("select[name=reason_code]").blur()
    page.keyboard.press("r")
    expect(page.get_by_text(re.compile("Recorded: reject"))).to_be_visible()

    next_video(page, "Safety")
    page.fill("textarea[name=note]", "Please soften the flicker at 0:01.")
    page.select_option("select[name=reason_code]", label="3.2 Depicts a real person without consent")
    page.locator("textarea[name=note]").blur()
    page.keyboard.press("x")  # c comments on the current frame (frame-level review); x requests changes
    expect(page.get_by_text(re.compile("Recorded: request changes"))).to_be_visible()

    statuses = sorted(Video.objects.filter(pk__in=[v.pk for v in videos]).values_list("status", flat=True))
    assert statuses == ["approved", "changes_requested", "rejected"]
    approved = Video.objects.get(pk__in=[v.pk for v in videos], status="approved")

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server.url, artist.email)
    page.goto(f"{live_server.url}/videos/{approved.pk}/")
    expect(page.get_by_text("Approved by reviewers")).to_be_visible()
    page.get_by_role("button", name="Publish to the gallery").click()
    expect(page.get_by_text("Published: the video is in the public gallery.")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    page.goto(live_server.url + "/gallery/")
    page.get_by_role("link", name=approved.display_title).click()
    expect(page.get_by_role("heading", name="Approval record")).to_be_visible()
    expect(page.get_by_text("Program lead: approved")).to_be_visible()
    assert serious_violations(page) == []
    # The refused decision answered 422 once, by design (Chromium logs every 4xx); nothing else went wrong.
    expected = [e for e in errors if "status of 422" in e]
    assert len(expected) == 1 and [e for e in errors if e not in expected] == [], errors


@pytest.mark.parametrize("how", ["double click", "key pressed twice"])
def test_a_double_submit_sends_one_request_and_records_one_decision(
    live_server, page: Page, program, artist, reviewer, how
):
    """The reviewer sits in both groups and the rule allowing it is on: the buttons' in-flight lock (and the step
    the form carries, on the server) keep a second submit off step 2. The request is held in flight so the lock
    can be seen."""
    setup_review(program, safety=[reviewer], lead=[reviewer], distinct_people=False)
    video = video_in_review(artist, program)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    log_in(page, live_server.url, reviewer.email)
    page.goto(f"{live_server.url}/review/{video.pk}/")
    expect(page.locator("#decide-heading")).to_have_text("Decision: Safety")
    held = []
    page.route("**/decide/", lambda route: held.append(route))
    approve = page.get_by_role("button", name=re.compile("^Approve"))
    if how == "double click":
        approve.dblclick()
    else:
        page.keyboard.press("a")
        page.keyboard.press("a")
    expect(approve).to_be_disabled()
    for button in page.locator("#decision-panel form[data-one-request] button").all():
        expect(button).to_be_disabled()
    page.keyboard.press("a")  # a third try while in flight
    for _ in range(100):  # the held request reaches the route handler in its own time on a busy machine
        if held:
            break
        page.wait_for_timeout(50)
    page.wait_for_timeout(300)  # and a second one would have arrived by now
    assert len(held) == 1, [route.request.url for route in held]
    held[0].continue_()
    expect(page.get_by_text(re.compile("Recorded: approve .* at Safety"))).to_be_visible()
    assert list(Decision.objects.filter(video=video).values_list("step__name", flat=True)) == ["Safety"]
    assert errors == []
