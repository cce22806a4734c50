"""The pages issue 21 changed, as a newcomer meets them in Chromium at 375 and 1280 px: a refusal that names its
reason and link, the site's 404, the review queue and an application with long answers on a phone, a published
video with its public page and share link, the public page's download, a closed appeal, today's published snapshot,
the payout run's labels and "Log hours" with today's date. Each fits the width; a screenshot of each is kept in
test-artifacts/first-contact/ (the issue asks for them)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from programs.models import Application
from submissions.models import Video
from submissions.services import approvals
from tests.approval_helpers import video_in_review
from tests.browser.test_every_page_fits import INSPECT, LABEL_PX, WIDTHS, problems_of, sign_in
from tests.conftest import ARTIFACTS, publish_agreement
from tests.test_access_matrix import world  # noqa: F401 (the matrix's world, used as a fixture here)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = ARTIFACTS / "first-contact"
LONG_QUESTION = "Which of your past projects used generative tools, and what did you learn about working with them?"


def _shoot(page: Page, live_server, name: str, path: str, *, status: int = 200) -> list[str]:
    page.set_viewport_size({"width": WIDTHS[0], "height": 800})
    response = page.goto(live_server.url + path)
    assert response.status == status, path
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        found += [f"{name}: {p}" for p in problems_of(page.evaluate(INSPECT, LABEL_PX), width)]
        page.screenshot(path=str(SHOTS / f"{name}-{width}px.png"), full_page=True)
    return found


def _rejected_long_ago(artist, program, reviewer) -> Video:
    video = video_in_review(artist, program)
    code = program.reason_codes.first()
    approvals.review_decide(video_id=video.pk, reviewer=reviewer, outcome="reject", reason_code=code, note="No.")
    Video.objects.filter(pk=video.pk).update(status_changed_at=timezone.now() - dt.timedelta(days=30))
    return video


def test_the_changed_pages_fit_and_are_kept_as_screenshots(live_server, page: Page, world):  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    users, program = world.users, world.program
    Application.objects.filter(pk=world.application.pk).update(
        portfolio_links=["https://portfolio.example.com/" + "a-very-long-project-name-" * 4],
        answers=[{"prompt": LONG_QUESTION, "answer": "A music video, cut from two hundred generated shots."}],
    )
    closed = _rejected_long_ago(users["artist"], program, users["reviewer"])
    video_in_review(users["other_artist"], program)  # the queue has a row to review
    found = []
    sign_in(page, live_server, users["reviewer"])
    found += _shoot(page, live_server, "review-queue", reverse("submissions:review_queue"))
    page.context.clear_cookies()
    sign_in(page, live_server, users["artist"])
    pages = {
        "application": reverse("programs:application", args=[program.slug]),
        "video-published": reverse("submissions:video_detail", args=[world.published.pk]),
        "appeal-closed": reverse("submissions:video_detail", args=[closed.pk]),
        "log-hours": reverse("compensation:program", args=[program.slug]),
        "gallery-download": reverse("submissions:gallery_video", args=[world.published.public_id]),
    }
    for name, path in pages.items():
        found += _shoot(page, live_server, name, path)
    found += _shoot(page, live_server, "not-found", "/videos/999999/", status=404)
    page.context.clear_cookies()
    sign_in(page, live_server, users["staff"])
    found += _shoot(page, live_server, "snapshot-published", reverse("transparency:report", args=[program.slug]))
    run = reverse("programs:payoutrun_detail", args=[program.slug, world.compensation.run.pk])
    found += _shoot(page, live_server, "payout-run", run)
    publish_agreement(program, body="1. A changed rule.\n\n2. Another.", actor=users["staff"])
    page.context.clear_cookies()
    sign_in(page, live_server, users["artist"])
    found += _shoot(page, live_server, "refusal-videos", reverse("submissions:video_list"))
    found += _shoot(page, live_server, "refusal-403", reverse("submissions:video_new"), status=403)
    assert not found, found
    assert len(list(SHOTS.glob("*.png"))) == 2 * 11
