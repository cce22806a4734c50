"""Every transition and refusal of the approval workflow, through the services."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from programs.models import Credit
from submissions.access import may_decide
from submissions.models import Appeal, Decision, ReviewClaim, ReviewPolicy, Video, VideoEvent, VideoReview
from submissions.review_calendar import add_business_days
from submissions.services import approvals
from submissions.services.approvals import ReviewError
from tests.approval_helpers import fresh_clip, setup_review, video_in_review
from tests.conftest import enrol, make_user

S = Video.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def people(program, artist, reviewer):
    second = make_user("second@example.com", display_name="Sid Second")
    lead = make_user("lead@example.com", display_name="Lea Lead")
    return {"artist": artist, "safety": reviewer, "second": second, "lead": lead}


@pytest.fixture
def rules(program, people):
    return setup_review(program, safety=[people["safety"], people["second"]], lead=[people["lead"]])


def approve(video, reviewer, note=""):
    return approvals.review_decide(video_id=video.pk, reviewer=reviewer, outcome="approve", note=note)


def test_business_days_skip_the_weekend():
    friday = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)
    assert add_business_days(friday, 1) == dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)
    assert add_business_days(friday, 3) == dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.UTC)


def test_a_processed_video_waits_at_the_first_step_with_its_deadline(program, people, rules):
    video = video_in_review(people["artist"], program)
    review = video.review
    assert review.current_step == rules["steps"][0]
    assert review.deadline_at == add_business_days(review.opened_at, 3)
    assert review.approval_kind == ""


def test_approval_walks_every_step_and_then_approves(program, people, rules, django_capture_on_commit_callbacks):
    video = video_in_review(people["artist"], program)
    approve(video, people["safety"])
    video.refresh_from_db()
    assert video.status == S.PENDING_REVIEW
    assert video.review.current_step == rules["steps"][1]
    assert VideoEvent.objects.filter(video=video, reason__contains="next: “Program lead”").exists()

    with django_capture_on_commit_callbacks(execute=True):  # the artist is told once the decision commits
        approve(video, people["lead"], note="Lovely light.")
    video.refresh_from_db()
    assert video.status == S.APPROVED
    assert video.review.approval_kind == VideoReview.ApprovalKind.REVIEWED
    assert video.review.decided_at is not None
    event = video.events.get(to_status=S.APPROVED)
    assert (event.actor, event.from_status, event.note) == (people["lead"], S.PENDING_REVIEW, "Lovely light.")
    assert "approved" in mail.outbox[-1].subject and mail.outbox[-1].to == [people["artist"].email]


def test_an_approved_video_is_credited_once_at_the_rate_card(program, people, rules, rate_card):
    video = video_in_review(people["artist"], program)
    approve(video, people["safety"])
    approve(video, people["lead"])
    credit = Credit.objects.get(user=people["artist"], kind=Credit.Kind.VIDEO_APPROVED)
    assert credit.amount == rate_card.video_approved
    assert credit.idempotency_key == f"video_approved:{program.pk}:{video.pk}"


@pytest.mark.parametrize("outcome", ["request_changes", "reject"])
def test_a_negative_decision_needs_a_reason_code_and_a_note(program, people, rules, outcome):
    video = video_in_review(people["artist"], program)
    with pytest.raises(ReviewError, match="Cite the rule"):
        approvals.review_decide(video_id=video.pk, reviewer=people["safety"], outcome=outcome, note="why")
    with pytest.raises(ReviewError, match="Write a note"):
        approvals.review_decide(
            video_id=video.pk, reviewer=people["safety"], outcome=outcome, reason_code=rules["code"]
        )
    assert not Decision.objects.exists()
    video.refresh_from_db()
    assert video.status == S.PENDING_REVIEW


def test_rejection_records_the_rule_and_tells_the_artist_how_to_appeal(
    program, people, rules, django_capture_on_commit_callbacks
):
    video = video_in_review(people["artist"], program)
    with django_capture_on_commit_callbacks(execute=True):
        approvals.review_decide(
            video_id=video.pk,
            reviewer=people["safety"],
            outcome="reject",
            reason_code=rules["code"],
            note="A real face.",
        )
    video.refresh_from_db()
    assert video.status == S.REJECTED
    event = video.events.get(to_status=S.REJECTED)
    assert (event.reason_code, event.note) == ("3.2", "A real face.")
    assert "3.2 Depicts a real person" in mail.outbox[-1].body and "appeal" in mail.outbox[-1].body


def test_requested_changes_are_answered_by_a_linked_new_version(program, people, rules):
    old = video_in_review(people["artist"], program)
    approvals.review_decide(
        video_id=old.pk, reviewer=people["safety"], outcome="request_changes", reason_code=rules["code"], note="Blur"
    )
    new = video_in_review(people["artist"], program)
    approvals.review_link_new_version(new_video=new, old_video=old, artist=people["artist"])
    assert VideoReview.objects.get(video=new).replaces == old
    assert old.replaced_by.video == new
    with pytest.raises(ReviewError, match="already has a new version"):
        approvals.review_link_new_version(
            new_video=video_in_review(people["artist"], program), old_video=old, artist=people["artist"]
        )


def test_nobody_reviews_their_own_video(program, people, rules):
    enrol(people["safety"], program)
    video = video_in_review(people["safety"], program)
    with pytest.raises(ReviewError, match="your own video"):
        approve(video, people["safety"])
    assert may_decide(people["safety"], video) == "You cannot review your own video."


def test_a_reviewer_decides_a_step_once(program, people):
    setup_review(program, safety=[people["safety"], people["second"]], lead=[people["lead"]], approvals_required=2)
    video = video_in_review(people["artist"], program)
    approve(video, people["safety"])
    with pytest.raises(ReviewError, match="already decided"):
        approve(video, people["safety"])
    approve(video, people["second"])
    video.refresh_from_db()
    assert video.review.current_step.name == "Program lead"
    assert Decision.objects.filter(video=video).count() == 2


def test_only_the_steps_group_decides_it(program, people, rules):
    video = video_in_review(people["artist"], program)
    with pytest.raises(ReviewError, match="decided by Safety reviewers"):
        approve(video, people["lead"])
    with pytest.raises(ReviewError, match="not a reviewer of this program"):
        approve(video, make_user("outsider@example.com"))


def test_a_claim_keeps_others_out_until_it_expires(program, people, rules):
    video = video_in_review(people["artist"], program)
    approvals.review_claim(video_id=video.pk, reviewer=people["safety"])
    video.refresh_from_db()
    assert video.status == S.IN_REVIEW
    with pytest.raises(ReviewError, match="Rita Reviewer is reviewing this video"):
        approvals.review_claim(video_id=video.pk, reviewer=people["second"])
    with pytest.raises(ReviewError, match="wait until their claim ends"):
        approve(video, people["second"])
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        approvals.review_claim(video_id=video.pk, reviewer=people["second"])
        assert ReviewClaim.objects.get(video=video).reviewer == people["second"]


def _rejected(program, people, rules) -> Video:
    video = video_in_review(people["artist"], program)
    approvals.review_decide(
        video_id=video.pk, reviewer=people["safety"], outcome="reject", reason_code=rules["code"], note="No."
    )
    return video


def _overturn_approves(program) -> None:
    ReviewPolicy.objects.filter(program=program).update(after_overturned_appeal="approve")


def test_an_appeal_is_decided_by_someone_outside_the_rejection(program, people, rules):
    _overturn_approves(program)  # the default, reopening at the step, is in test_approvals_review_rules
    video = _rejected(program, people, rules)
    approvals.video_appeal(video_id=video.pk, artist=people["artist"], statement="It is me, and I consent.")
    with pytest.raises(ReviewError, match="took part in the first decision"):
        approvals.appeal_decide(video_id=video.pk, reviewer=people["safety"], overturn=True, note="ok")
    approvals.appeal_decide(video_id=video.pk, reviewer=people["second"], overturn=True, note="Consent shown.")
    video.refresh_from_db()
    assert video.status == S.APPROVED
    assert video.review.approval_kind == VideoReview.ApprovalKind.APPEAL
    assert Appeal.objects.get(video=video).outcome == Appeal.Outcome.OVERTURNED


def test_an_upheld_appeal_leaves_the_video_rejected_and_cannot_be_repeated(program, people, rules):
    video = _rejected(program, people, rules)
    approvals.video_appeal(video_id=video.pk, artist=people["artist"], statement="Please look again.")
    approvals.appeal_decide(video_id=video.pk, reviewer=people["lead"], overturn=False, note="Still a real face.")
    video.refresh_from_db()
    assert video.status == S.REJECTED
    with pytest.raises(ReviewError, match="already been appealed"):
        approvals.video_appeal(video_id=video.pk, artist=people["artist"], statement="Again")


def test_appeals_have_a_window_and_belong_to_the_artist(program, people, rules):
    video = _rejected(program, people, rules)
    with pytest.raises(ReviewError, match="Only the artist"):
        approvals.video_appeal(video_id=video.pk, artist=people["lead"], statement="?")
    late = time_machine.travel(timezone.now() + dt.timedelta(days=30))
    with late, pytest.raises(ReviewError, match="within 10 business days"):
        approvals.video_appeal(video_id=video.pk, artist=people["artist"], statement="Late")
    assert not Appeal.objects.exists()


def test_an_appeal_nobody_decides_is_granted_by_its_deadline(program, people, rules):
    _overturn_approves(program)
    video = _rejected(program, people, rules)
    approvals.video_appeal(video_id=video.pk, artist=people["artist"], statement="Please.")
    assert approvals.appeals_overturn_overdue() == 0
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        assert approvals.appeals_overturn_overdue() == 1
    video.refresh_from_db()
    assert video.status == S.APPROVED
    assert video.review.approval_kind == VideoReview.ApprovalKind.APPEAL_DEADLINE


def test_the_deadline_approves_what_reviewers_left_waiting(program, people, rules):
    waiting = video_in_review(people["artist"], program)
    decided = _rejected(program, people, rules)
    assert approvals.reviews_approve_overdue() == 0
    with time_machine.travel(timezone.now() + dt.timedelta(days=6)):
        assert approvals.reviews_approve_overdue() == 1
        assert approvals.reviews_approve_overdue() == 0  # idempotent
    waiting.refresh_from_db()
    assert waiting.status == S.APPROVED
    assert waiting.review.approval_kind == VideoReview.ApprovalKind.DEADLINE
    assert waiting.review.deadline_missed is True
    assert "Approved by deadline" in waiting.events.get(to_status=S.APPROVED).reason
    decided.refresh_from_db()
    assert decided.status == S.REJECTED


def test_reviewers_are_reminded_once_before_the_deadline(program, people, rules, django_capture_on_commit_callbacks):
    video = video_in_review(people["artist"], program)
    mail.outbox.clear()
    assert approvals.reviews_send_reminders() == 0  # three business days away
    with (
        time_machine.travel(video.review.deadline_at - dt.timedelta(hours=2)),
        django_capture_on_commit_callbacks(execute=True),  # queued once the claim commits
    ):
        assert approvals.reviews_send_reminders() == 1
        assert approvals.reviews_send_reminders() == 0
    # One mail to each reviewer of the step (each in their own language, no one sees the others' addresses).
    assert sorted(m.to[0] for m in mail.outbox) == sorted([people["safety"].email, people["second"].email])


def test_only_the_artist_publishes_and_only_after_approval(program, people, rules):
    video = video_in_review(people["artist"], program)
    with pytest.raises(ReviewError, match="Only an approved video"):
        approvals.video_publish(video_id=video.pk, artist=people["artist"])
    approve(video, people["safety"])
    approve(video, people["lead"])
    with pytest.raises(ReviewError, match="Only the artist"):
        approvals.video_publish(video_id=video.pk, artist=people["lead"])
    approvals.video_publish(video_id=video.pk, artist=people["artist"])
    video.refresh_from_db()
    assert video.status == S.PUBLISHED and video.review.published_at is not None


def test_staff_take_downs_need_a_reason_and_stick(program, people, rules, staff):
    video = video_in_review(people["artist"], program)
    approve(video, people["safety"])
    approve(video, people["lead"])
    approvals.video_publish(video_id=video.pk, artist=people["artist"])
    with pytest.raises(ReviewError, match="must record why"):
        approvals.video_unpublish(video_id=video.pk, actor=staff)
    with pytest.raises(ReviewError, match="Only the artist or the program's staff"):
        approvals.video_unpublish(video_id=video.pk, actor=people["lead"], reason="I dislike it")
    approvals.video_unpublish(video_id=video.pk, actor=staff, reason="Music rights claim.")
    with pytest.raises(ReviewError, match="Staff took this video down"):
        approvals.video_publish(video_id=video.pk, artist=people["artist"])


def test_the_artist_may_unpublish_and_publish_again(program, people, rules):
    video = video_in_review(people["artist"], program)
    approve(video, people["safety"])
    approve(video, people["lead"])
    approvals.video_publish(video_id=video.pk, artist=people["artist"])
    approvals.video_unpublish(video_id=video.pk, actor=people["artist"])
    approvals.video_publish(video_id=video.pk, artist=people["artist"])
    video.refresh_from_db()
    assert video.status == S.PUBLISHED


def test_illegal_moves_are_refused_and_change_nothing(program, people, rules):
    video = video_in_review(people["artist"], program)
    from submissions.services import videos as video_services

    video_services.video_withdraw(video=video, actor=people["artist"])
    events = VideoEvent.objects.filter(video=video).count()
    with pytest.raises(ReviewError, match="not waiting for review"):
        approve(video, people["safety"])
    with pytest.raises(ReviewError):
        approvals.video_publish(video_id=video.pk, artist=people["artist"])
    assert VideoEvent.objects.filter(video=video).count() == events
    video.refresh_from_db()
    assert video.status == S.WITHDRAWN


def test_a_trusted_publishers_video_is_approved_without_review_and_labelled(program, people, rules, staff):
    from programs.services.trust import trusted_publisher_grant
    from tests.video_helpers import make_video

    enrolment = people["artist"].enrolments.get(program=program)
    trusted_publisher_grant(enrolment=enrolment, actor=staff, reason="Long-standing partner studio.")
    video = make_video(people["artist"], program, data=fresh_clip())
    assert video.status == S.APPROVED
    assert video.review.approval_kind == VideoReview.ApprovalKind.WITHOUT_REVIEW
    assert not Decision.objects.filter(video=video).exists()
    assert "trusted publisher" in video.events.get(to_status=S.APPROVED).reason
    approvals.video_publish(video_id=video.pk, artist=people["artist"])
    video.refresh_from_db()
    assert video.status == S.PUBLISHED
