"""Approval figures of the report equal a recomputation from the review records, written here independently."""

import datetime as dt
import statistics

import pytest
import time_machine
from django.utils import timezone

from programs.models import Enrolment, TrustedPublisher
from submissions.models import Appeal, Decision, VideoReview
from submissions.services import approvals
from tests.approval_helpers import fresh_clip, setup_review, video_in_review
from tests.conftest import enrol, make_user
from tests.video_helpers import make_video
from transparency.report import build, compute

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(program, staff, reviewer):
    """Eight artists, sixteen videos: approved by reviewers, by deadline, without review, on appeal; changes
    requested, rejected under two reason codes, an appeal upheld, published videos. Decisions hours apart."""
    lead = make_user("lead@example.com")
    rules = setup_review(program, safety=[reviewer], lead=[lead], after_overturned_appeal="approve")
    second = rules["code"].__class__.objects.create(
        program=program, code="4.1", title="Shows a brand", explanation="No logos without permission."
    )
    artists = [make_user(f"maker{i}@example.com") for i in range(8)]
    for person in artists:
        enrol(person, program)
    start = timezone.now() - dt.timedelta(days=20)
    videos = []
    with time_machine.travel(start, tick=False) as clock:
        for i, person in enumerate(artists):
            for _ in range(2):
                videos.append((i, video_in_review(person, program)))
                clock.shift(dt.timedelta(minutes=7))
        for n, (_, video) in enumerate(videos):
            clock.shift(dt.timedelta(hours=2 + n))
            kind = n % 6
            if kind in (0, 1):
                approvals.review_decide(video_id=video.pk, reviewer=reviewer, outcome="approve")
                approvals.review_decide(video_id=video.pk, reviewer=lead, outcome="approve")
                if kind == 0:
                    approvals.video_publish(video_id=video.pk, artist=video.artist)
            elif kind == 2:
                approvals.review_decide(
                    video_id=video.pk, reviewer=reviewer, outcome="request_changes", reason_code=rules["code"],
                    note="Blur the face.",
                )  # fmt: skip
            elif kind in (3, 4):
                code = rules["code"] if kind == 3 else second
                approvals.review_decide(
                    video_id=video.pk, reviewer=reviewer, outcome="reject", reason_code=code, note="No."
                )
        # Appeals: one overturned, one upheld.
        rejected = [v for n, (i, v) in enumerate(videos) if n % 6 in (3, 4)]
        approvals.video_appeal(video_id=rejected[0].pk, artist=rejected[0].artist, statement="It is my own face.")
        approvals.appeal_decide(video_id=rejected[0].pk, reviewer=lead, overturn=True, note="Agreed.")
        approvals.video_appeal(video_id=rejected[1].pk, artist=rejected[1].artist, statement="Please.")
        approvals.appeal_decide(video_id=rejected[1].pk, reviewer=lead, overturn=False, note="The rule holds.")
        clock.shift(dt.timedelta(days=10))  # the videos nobody decided (n % 6 == 5) pass their deadline
        approvals.reviews_approve_overdue()
    trusted = Enrolment.objects.get(user=artists[0], program=program)
    TrustedPublisher.objects.create(enrolment=trusted, reason="Consistently approved work.", granted_by=staff)
    free = make_video(artists[0], program, data=fresh_clip())
    assert free.review.approval_kind == VideoReview.ApprovalKind.WITHOUT_REVIEW
    approvals.video_publish(video_id=free.pk, artist=artists[0])
    return artists


def expected_from_rows(program) -> dict:
    reviews = list(
        VideoReview.objects.filter(video__program=program).values(
            "video_id", "video__artist_id", "opened_at", "decided_at", "deadline_at", "deadline_missed",
            "approval_kind", "published_at",
        )
    )  # fmt: skip
    decisions = list(Decision.objects.filter(video__program=program).values("video_id", "outcome", "reason_code__code"))
    appeals = list(Appeal.objects.filter(video__program=program).values("outcome"))
    decided = [r for r in reviews if r["decided_at"] and r["approval_kind"] != "without_review"]
    hours = [(r["decided_at"] - r["opened_at"]).total_seconds() / 3600 for r in decided]
    with_deadline = [r for r in decided if r["deadline_at"]]
    inside = [r for r in with_deadline if not r["deadline_missed"] and r["decided_at"] <= r["deadline_at"]]
    kinds = {}
    for r in reviews:
        if r["approval_kind"]:
            kinds[r["approval_kind"]] = kinds.get(r["approval_kind"], 0) + 1
    reasons = {}
    for d in decisions:
        if d["outcome"] == "reject":
            reasons[d["reason_code__code"]] = reasons.get(d["reason_code__code"], 0) + 1
    return {
        "videos_submitted": len(reviews),
        "videos_decided": len(decided),
        "videos_approved": sum(kinds.values()),
        "approved_by_reviewers": kinds.get("reviewed", 0),
        "approved_by_deadline": kinds.get("deadline", 0),
        "approved_without_review": kinds.get("without_review", 0),
        "approved_on_appeal": kinds.get("appeal", 0),
        "changes_requested": len({d["video_id"] for d in decisions if d["outcome"] == "request_changes"}),
        "rejected": sum(reasons.values()),
        "appealed": len(appeals),
        "appeals_upheld": sum(1 for a in appeals if a["outcome"] == "upheld"),
        "appeals_overturned": sum(1 for a in appeals if a["outcome"].startswith("overturned")),
        "published": sum(1 for r in reviews if r["published_at"]),
        "published_without_review": sum(
            1 for r in reviews if r["published_at"] and r["approval_kind"] == "without_review"
        ),
        "median": statistics.median(hours),
        "p90": statistics.quantiles(hours, n=10, method="inclusive")[8],
        "inside_share": len(inside) / len(with_deadline),
        "reasons": reasons,
    }


def test_approval_figures_equal_a_recomputation_from_the_review_records(program, reviewed):
    expected = expected_from_rows(program)
    cells = compute(program).cells
    for name in ("videos_submitted", "videos_decided", "videos_approved", "approved_by_reviewers",
                 "approved_by_deadline", "approved_without_review", "approved_on_appeal", "changes_requested",
                 "rejected", "appealed", "appeals_upheld", "appeals_overturned", "published",
                 "published_without_review"):  # fmt: skip
        assert cells[("all", name, "")].value == expected[name], name
    assert expected["approved_by_deadline"] > 0 and expected["approved_on_appeal"] == 1
    assert float(cells[("all", "decision_hours_median", "")].value) == pytest.approx(expected["median"], abs=0.05)
    assert float(cells[("all", "decision_hours_p90", "")].value) == pytest.approx(expected["p90"], abs=0.05)
    share = cells[("all", "decisions_inside_deadline_share", "")].value
    assert float(share) == pytest.approx(expected["inside_share"], abs=0.0001)
    for code, count in expected["reasons"].items():
        assert cells[("all", "rejections_by_reason", code)].value == count


def test_the_page_shows_rejections_by_reason_code_and_the_approval_chart(client, program, reviewed):
    html = client.get(f"/programs/{program.slug}/transparency/").text
    assert "Rejections by reason code" in html and "3.2 Depicts a real person without consent" in html
    report = build(program)
    assert set(report["whole_program"]["approval"]["rejections_by_reason"]) == {"3.2", "4.1"}
    assert "Review decisions per month" in html or "Videos submitted for review and Review decisions" in html


def test_a_new_decision_shows_with_the_next_release_once_five_artists_changed(client, program, reviewer, reviewed):
    """Was: a new decision shows within a minute. A lone rejection would be read off by difference (rejections
    under its reason code from n to n + 1), so decisions show in a release covering five or more artists."""
    from transparency.current import CACHE_SECONDS

    videos = [video_in_review(person, program) for person in reviewed[1:6]]
    url = f"/programs/{program.slug}/transparency.json"
    code = program.reason_codes.first()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        before = client.get(url).json()
        clock.shift(dt.timedelta(seconds=1))  # events after the release's time count towards the next one
        approvals.review_decide(
            video_id=videos[0].pk, reviewer=reviewer, outcome="reject", reason_code=code, note="No."
        )
        clock.shift(dt.timedelta(seconds=CACHE_SECONDS + 1))
        assert client.get(url).json() == before  # one artist changed: still the same release
        for video in videos[1:]:
            approvals.review_decide(
                video_id=video.pk, reviewer=reviewer, outcome="reject", reason_code=code, note="No."
            )
        clock.shift(dt.timedelta(seconds=CACHE_SECONDS + 1))
        after = client.get(url).json()
    assert after["generated_at"] > before["generated_at"]
    rejected_before = before["whole_program"]["approval"]["rejected"]
    assert rejected_before is not None and after["whole_program"]["approval"]["rejected"] == rejected_before + 5


def test_the_sitemap_lists_published_videos_and_the_gallery(client, program, reviewed):
    body = client.get("/sitemap.xml").text
    assert "<loc>http://testserver/gallery/</loc>" in body and "<loc>http://testserver/verify/</loc>" in body
    published = VideoReview.objects.filter(video__program=program, published_at__isnull=False)
    assert published.count() >= 2
    for review in published.select_related("video"):
        assert f"/gallery/{review.video.public_id}/</loc>" in body
    waiting = VideoReview.objects.filter(video__program=program, published_at__isnull=True).select_related("video")
    assert all(str(r.video.public_id) not in body for r in waiting)
