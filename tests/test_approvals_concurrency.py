"""Two reviewers deciding the same step at the same moment: exactly one decision is recorded (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from submissions.models import Decision, Video
from submissions.services import approvals
from submissions.services.approvals import ReviewError
from tests.approval_helpers import setup_review, video_in_review
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
