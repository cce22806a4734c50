"""The review policy's rules about people and steps: different people per step, a decision bound to the step
and version its reviewer saw, appeals that reopen the review at its step, reviews without steps or without
anyone able to decide them."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from programs.models import ProgramRole
from submissions.access import may_decide
from submissions.models import Decision, ReviewPolicy, ReviewStep, Video, VideoEvent, VideoReview
from submissions.selectors import review_queue
from submissions.services import approvals
from submissions.services.approvals import ReviewError
from tests.approval_helpers import seen, setup_review, video_in_review
from tests.conftest import make_user
from transparency.report import compute

S = Video.Status
K = VideoReview.ApprovalKind
pytestmark = pytest.mark.django_db


@pytest.fixture
def both(program):
    """A reviewer in both steps' groups."""
    return make_user("both@example.com", display_name="Bo Both")


@pytest.fixture
def lead(program):
    return make_user("lead@example.com", display_name="Lea Lead")


def decide(video, person, outcome="approve", code=None, **seen_state):
    note = "" if outcome == "approve" else "Because."
    return approvals.review_decide(
        video_id=video.pk, reviewer=person, outcome=outcome, reason_code=code, note=note, **seen_state
    )


# --- Different people per step ------------------------------------------------------------------------------


def test_new_policies_ask_for_different_people_per_step_and_reopen_overturned_decisions(program):
    policy = ReviewPolicy.objects.create(program=program)
    assert policy.distinct_people_per_step is True
    assert policy.after_overturned_appeal == ReviewPolicy.OverturnedAppeal.REOPEN_AT_STEP
    assert ReviewPolicy.for_program(program).distinct_people_per_step is True


def test_a_reviewer_in_both_groups_decides_one_step_only(program, artist, both, lead):
    setup_review(program, safety=[both], lead=[both, lead])
    video = video_in_review(artist, program)
    decide(video, both)
    video.refresh_from_db()
    assert may_decide(both, video) == (
        "Each step of this video is decided by different people, and you decided “Safety”."
    )
    with pytest.raises(ReviewError, match="decided by different people"):
        decide(video, both)
    assert video not in review_queue(both)
    assert video in review_queue(lead)
    decide(video, lead)
    video.refresh_from_db()
    assert video.status == S.APPROVED
    assert set(Decision.objects.filter(video=video).values_list("reviewer", flat=True)) == {both.pk, lead.pk}


def test_with_the_rule_off_one_reviewer_may_decide_both_steps(program, artist, both):
    setup_review(program, safety=[both], lead=[both], distinct_people=False)
    video = video_in_review(artist, program)
    decide(video, both)
    decide(video, both)
    video.refresh_from_db()
    assert video.status == S.APPROVED


@pytest.mark.parametrize("distinct", [True, False])
def test_the_program_page_and_the_gallery_record_show_the_rule(client, program, artist, both, lead, distinct):
    setup_review(program, safety=[both], lead=[both, lead], distinct_people=distinct)
    video = video_in_review(artist, program)
    decide(video, both)
    decide(video, lead if distinct else both)
    approvals.video_publish(video_id=video.pk, artist=artist)
    page = client.get(reverse("programs:detail", args=[program.slug])).text
    gallery = client.get(reverse("submissions:gallery_video", args=[video.public_id])).text
    if distinct:
        assert "Different people per step:" in page
        assert "Each step was decided by a different person. The program's review rules require it." in gallery
    else:
        assert "one reviewer may decide more than one step of the same video" in page
        assert "One reviewer decided more than one step" in gallery


# --- A decision applies to the step its reviewer saw ---------------------------------------------------------


def test_a_second_submit_of_the_same_page_never_lands_on_the_next_step(program, artist, both):
    setup_review(program, safety=[both], lead=[both], distinct_people=False)
    video = video_in_review(artist, program)
    page = seen(video)
    decide(video, both, seen_step_id=page["step"], seen_version=page["version"])
    with pytest.raises(ReviewError, match="moved on since you opened it \\(now: Program lead\\)"):
        decide(video, both, seen_step_id=page["step"], seen_version=page["version"])
    assert list(Decision.objects.filter(video=video).values_list("step__position", flat=True)) == [1]
    fresh = seen(video)
    decide(video, both, seen_step_id=fresh["step"], seen_version=fresh["version"])
    video.refresh_from_db()
    assert video.status == S.APPROVED


def test_two_reviewers_on_one_page_state_record_only_the_first(program, artist, reviewer, lead):
    setup_review(program, safety=[reviewer, lead], lead=[lead, reviewer], distinct_people=False)
    video = video_in_review(artist, program)
    page = seen(video)
    decide(video, reviewer, seen_step_id=page["step"], seen_version=page["version"])
    with pytest.raises(ReviewError, match="moved on"):
        decide(
            video, lead, "reject", program.reason_codes.get(), seen_step_id=page["step"], seen_version=page["version"]
        )
    assert Decision.objects.filter(video=video).count() == 1


def test_approvals_of_a_step_that_needs_two_are_not_refused_as_moved_on(program, artist, reviewer, lead):
    second = make_user("second@example.com")
    setup_review(program, safety=[reviewer, second], lead=[lead], approvals_required=2)
    video = video_in_review(artist, program)
    page = seen(video)
    decide(video, reviewer, seen_step_id=page["step"], seen_version=page["version"])
    decide(video, second, seen_step_id=page["step"], seen_version=page["version"])
    video.refresh_from_db()
    assert video.review.current_step.position == 2


@pytest.mark.parametrize("headers", [{}, {"HX-Request": "true"}], ids=["form", "htmx"])
@pytest.mark.parametrize("posted", ["stale", "missing", "other-step"])
def test_the_decision_form_refuses_a_state_the_page_did_not_show(client, program, artist, both, headers, posted):
    setup_review(program, safety=[both], lead=[both], distinct_people=False)
    video = video_in_review(artist, program)
    page = seen(video)
    decide(video, both, seen_step_id=page["step"], seen_version=page["version"])  # the review moves to step 2
    now = seen(video)
    form = {
        "stale": page,
        "missing": {"step": now["step"]},
        "other-step": {"step": page["step"], "version": now["version"]},
    }[posted]
    client.force_login(both)
    url = reverse("submissions:review_decide", args=[video.pk])
    response = client.post(url, {"outcome": "approve", **form}, headers=headers, follow=not headers)
    assert "moved on since you opened it" in response.text or "reload it before deciding" in response.text
    assert Decision.objects.filter(video=video).count() == 1
    video.refresh_from_db()
    assert video.status == S.PENDING_REVIEW


def test_the_review_page_renders_the_step_and_version_and_disables_buttons_in_flight(client, program, artist, both):
    setup_review(program, safety=[both], lead=[both], distinct_people=False)
    video = video_in_review(artist, program)
    client.force_login(both)
    page = client.get(reverse("submissions:review_video", args=[video.pk])).text
    state = seen(video)
    assert f'name="step" value="{state["step"]}"' in page
    assert f'name="version" value="{state["version"]}"' in page
    assert "data-one-request" in page and "js/one-request.js" in page
    # After an htmx refusal the panel is rendered again with the review as it is now.
    decide(video, both, seen_step_id=state["step"], seen_version=state["version"])
    stale = client.post(
        reverse("submissions:review_decide", args=[video.pk]),
        {"outcome": "approve", **state},
        headers={"HX-Request": "true"},
    )
    assert stale.status_code == 422
    now = seen(video)
    assert f'name="version" value="{now["version"]}"' in stale.text and "Decision: Program lead" in stale.text


# --- Appeals reopen the review at their step -----------------------------------------------------------------


def _rejected_at_step_one(program, artist, reviewer, lead, **policy):
    rules = setup_review(program, safety=[reviewer], lead=[lead], **policy)
    video = video_in_review(artist, program)
    decide(video, reviewer, "reject", rules["code"])
    approvals.video_appeal(video_id=video.pk, artist=artist, statement="It is my own face.")
    return video, rules


@pytest.mark.parametrize("how", ["decided", "deemed"])
def test_an_overturned_rejection_at_step_one_reopens_the_review_there(program, artist, reviewer, lead, how):
    appeals_reviewer = make_user("appeals@example.com")
    ProgramRole.objects.create(user=appeals_reviewer, program=program, role=ProgramRole.Role.REVIEWER)
    video, rules = _rejected_at_step_one(program, artist, reviewer, lead)
    before = VideoReview.objects.get(video=video).version
    if how == "decided":
        approvals.appeal_decide(video_id=video.pk, reviewer=appeals_reviewer, overturn=True, note="Consent shown.")
    else:
        with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
            assert approvals.appeals_overturn_overdue() == 1
    video.refresh_from_db()
    review = video.review
    assert video.status == S.PENDING_REVIEW
    assert review.current_step == rules["steps"][0] and review.approval_kind == "" and review.decided_at is None
    assert review.version > before and review.deadline_at > timezone.now()
    assert VideoEvent.objects.filter(video=video, reason__contains="The review reopens at “Safety”").exists()
    with pytest.raises(ReviewError, match="already decided on this step"):
        decide(video, reviewer)  # the overturned reviewer does not decide the step again
    # Step 1 needs a reviewer who has not decided it: the lead group's member is added to it for the test.
    rules["steps"][0].group.members.add(appeals_reviewer)
    decide(video, appeals_reviewer)
    video.refresh_from_db()
    assert video.status == S.PENDING_REVIEW and video.review.current_step == rules["steps"][1]  # step 2 still decides
    decide(video, lead)
    video.refresh_from_db()
    # Without the appeal it would have stayed rejected: it counts as approved on appeal.
    expected = K.APPEAL if how == "decided" else K.APPEAL_DEADLINE
    assert video.status == S.APPROVED and video.review.approval_kind == expected
    approvals.video_publish(video_id=video.pk, artist=artist)
    gallery = Client().get(reverse("submissions:gallery_video", args=[video.public_id])).text
    assert "The review then reopened at the step that had rejected it." in gallery


def test_a_policy_may_let_an_overturned_rejection_approve(program, artist, reviewer, lead):
    video, _ = _rejected_at_step_one(program, artist, reviewer, lead, after_overturned_appeal="approve")
    approvals.appeal_decide(video_id=video.pk, reviewer=lead, overturn=True, note="Consent shown.")
    video.refresh_from_db()
    assert video.status == S.APPROVED and video.review.approval_kind == K.APPEAL


# --- Reviews without steps, and reviews nobody could decide --------------------------------------------------


def test_a_review_opened_before_there_were_steps_starts_at_the_first_step(program, artist, reviewer, lead):
    ReviewPolicy.objects.create(program=program, deadline_business_days=3)
    video = video_in_review(artist, program)
    assert video.review.current_step is None
    rules = setup_review(program, safety=[reviewer], lead=[lead])
    assert approvals.reviews_assign_first_step(program=program) == 1
    video.refresh_from_db()
    assert video.review.current_step == rules["steps"][0]
    assert video in review_queue(reviewer)
    assert approvals.reviews_assign_first_step(program=program) == 0  # once


def test_the_deadline_job_starts_a_stepless_review_when_steps_exist_instead_of_approving_it(
    program, artist, reviewer, lead
):
    ReviewPolicy.objects.create(program=program, deadline_business_days=3)
    video = video_in_review(artist, program)
    rules = setup_review(program, safety=[reviewer], lead=[lead])
    with time_machine.travel(timezone.now() + dt.timedelta(days=6)):
        assert approvals.reviews_approve_overdue() == 0
        video.refresh_from_db()
        assert video.status == S.PENDING_REVIEW and video.review.current_step == rules["steps"][0]
        assert video.review.deadline_at > timezone.now()


def test_the_admin_adding_a_first_step_starts_waiting_reviews(client, program, artist, reviewer, superuser):
    ReviewPolicy.objects.create(program=program)
    video = video_in_review(artist, program)
    rules = setup_review(program, safety=[reviewer], lead=[reviewer])
    ReviewStep.objects.filter(program=program).delete()
    client.force_login(superuser)
    response = client.post(
        reverse("admin:submissions_reviewstep_add"),
        {"program": program.pk, "position": 1, "name": "Safety", "group": rules["steps"][0].group_id,
         "approvals_required": 1},
    )  # fmt: skip
    assert response.status_code == 302, response.text[:2000]
    video.refresh_from_db()
    assert video.review.current_step.name == "Safety"


@pytest.mark.parametrize("why", ["no steps", "no eligible reviewer"])
def test_a_review_nobody_could_decide_is_approved_but_never_counted_as_a_miss(program, artist, reviewer, why):
    if why == "no steps":
        ReviewPolicy.objects.create(program=program, deadline_business_days=3)
    else:  # the only member of step 2 decided step 1, and the policy asks for different people
        setup_review(program, safety=[reviewer], lead=[reviewer])
    video = video_in_review(artist, program)
    if why == "no eligible reviewer":
        decide(video, reviewer)
    missed = video_in_review(artist, program) if why == "no eligible reviewer" else None
    with time_machine.travel(timezone.now() + dt.timedelta(days=6)):
        approvals.reviews_approve_overdue()
    video.refresh_from_db()
    assert video.status == S.APPROVED
    assert video.review.approval_kind == K.NO_REVIEWER and video.review.deadline_missed is False
    assert video.review.get_approval_kind_display() == "Approved by deadline: no reviewer could decide"
    cells = compute(program).cells
    assert cells[("all", "videos_approved", "")].value == (2 if missed else 1)
    assert cells[("all", "approved_by_deadline", "")].value == (1 if missed else 0)  # only the real miss
    assert cells[("all", "_decided_outside_deadline", "")].value == (1 if missed else 0)
    if missed is not None:
        missed.refresh_from_db()
        assert missed.review.approval_kind == K.DEADLINE and missed.review.deadline_missed is True
