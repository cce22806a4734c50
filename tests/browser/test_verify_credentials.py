"""A visitor checks a published video's signed file at /verify/ in Chromium, then a damaged copy of it."""

import re
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from playwright.sync_api import Page, expect

from programs.services.consent import consent_set
from submissions.services import approvals
from tests.approval_helpers import setup_review, video_in_review
from tests.browser.axe import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_reads_the_credentials_of_a_published_file_and_of_a_damaged_copy(
    live_server, page: Page, program, artist, reviewer, tmp_path
):
    consent_set(user=artist, program=program, training=True, marketing=True, showcase=True)
    setup_review(program, safety=[reviewer], lead=[reviewer], distinct_people=False)
    video = video_in_review(artist, program)
    for _ in range(2):
        approvals.review_decide(video_id=video.pk, reviewer=reviewer, outcome="approve")
    approvals.video_publish(video_id=video.pk, artist=artist)  # commits: the signing task runs in-process
    signed = Path(default_storage.path(video.signings.get().file.name))
    damaged = tmp_path / "damaged.mp4"
    data = bytearray(signed.read_bytes())
    data[len(data) * 3 // 4] ^= 0x01
    damaged.write_bytes(bytes(data))
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto(live_server.url + "/verify/")
    expect(page.get_by_role("link", name=re.compile("trust anchor"))).to_be_visible()
    page.set_input_files("input[name=file]", str(signed))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name=re.compile("Valid, signed by this portal"))).to_be_visible()
    expect(page.get_by_text("Yes: published through Glasshouse")).to_be_visible()
    expect(page.locator("[data-training]")).to_contain_text("AI training: allowed")
    assert serious_violations(page) == []

    page.set_input_files("input[name=file]", str(damaged))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name=re.compile("Content Credentials: Invalid"))).to_be_visible()
    expect(page.locator("[data-reasons]")).to_contain_text("mismatch")
    expect(page.get_by_text("No published video matches")).to_be_visible()
    assert errors == []
