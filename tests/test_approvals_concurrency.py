"""Two reviewers deciding the same step at the same moment: exactly one decision is recorded (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from submissions.models import Decision, Video
from submissions.services import approvals
from submissions.services.approvals import ReviewError
from tests.approval_helpers import seen, setup_review, video_in_review
from tests.conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_reviewers_at_once_record_one_decision(program, artist, reviewer):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks: set DATABASE_URL (the services run of .ci/run does)")
    second = make_user("second@example.com", display_name="Sid Second")
    lead = make_user("lead@example.com")
    setup_review(program, safety=[reviewer, second], lead=[lead])
    video = video_in_review(artist, program)
    start = threading.Barrier(2)
    results: dict[str, str] = {}

    def decide(person, outcome):
        start.wait()
        try:
            code = None if outcome == "approve" else program.reason_codes.get()
            approvals.review_decide(video_id=video.pk, reviewer=person, outcome=outcome, reason_code=code, note="n")
            results[person.email] = "recorded"
        except ReviewError as exc:
            results[person.email] = exc.message
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(reviewer, "approve")),
        threading.Thread(target=decide, args=(second, "reject")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results.values())[-1] == "recorded"
    assert list(results.values()).count("recorded") == 1, results
    assert Decision.objects.filter(video=video).count() == 1
    loser = next(message for message in results.values() if message != "recorded")
    assert "decided by Program lead reviewers" in loser or "not waiting for review" in loser
    video.refresh_from_db()
    assert video.status in (Video.Status.PENDING_REVIEW, Video.Status.REJECTED)


ROUNDS = 100


def _race(video, people_and_outcomes, page: dict, code) -> list[str]:
    """Each person submits the decision form as rendered for `page` (step and version), all at one moment."""
    start = threading.Barrier(len(people_and_outcomes))
    results: list[str] = []

    def submit(person, outcome):
        start.wait()
        try:
            approvals.review_decide(
                video_id=video.pk,
                reviewer=person,
                outcome=outcome,
                reason_code=None if outcome == "approve" else code,
                note="" if outcome == "approve" else "n",
                seen_step_id=page["step"],
                seen_version=page["version"],
            )
            results.append("recorded")
        except ReviewError as exc:
            results.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=pair) for pair in people_and_outcomes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.parametrize("race", ["double submit", "two reviewers"])
def test_concurrent_decisions_never_land_on_a_step_their_reviewer_did_not_see(program, artist, reviewer, race):
    """A reviewer in both groups double-clicks, or two reviewers in both groups decide at once, 100 times:
    every decision lands on the step the page showed, exactly one per round. (The different-people rule is
    off here, so only the step and version the form carries stand between a second submit and step 2.)"""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks: set DATABASE_URL (the services run of .ci/run does)")
    second = make_user("second@example.com", display_name="Sid Second")
    rules = setup_review(program, safety=[reviewer, second], lead=[reviewer, second], distinct_people=False)
    first_step = rules["steps"][0]
    pairs = {
        "double submit": [(reviewer, "approve"), (reviewer, "approve")],
        "two reviewers": [(reviewer, "approve"), (second, "approve")],
    }[race]
    unseen = 0
    for _ in range(ROUNDS):
        video = video_in_review(artist, program)
        page = seen(video)
        assert page["step"] == first_step.pk
        results = _race(video, pairs, page, rules["code"])
        assert results.count("recorded") == 1, results
        assert any("moved on since you opened it" in r for r in results), results
        unseen += Decision.objects.filter(video=video).exclude(step=first_step).count()
        assert Decision.objects.filter(video=video, step=first_step).count() == 1
        video.refresh_from_db()
        assert video.status == Video.Status.PENDING_REVIEW and video.review.current_step == rules["steps"][1]
    assert unseen == 0
