"""Random sequences of actions by random people never publish an unapproved video, never skip a step and
never record an artist's decision on their own video (hypothesis RuleBasedStateMachine)."""

import contextlib
import datetime as dt
import itertools

import pytest
from django.db.models import Count, F
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from programs.models import Enrolment, Program
from submissions.models import Decision, ReviewStep, Video, VideoReview
from submissions.services import approvals
from submissions.services import videos as video_services
from submissions.services.approvals import ReviewError
from submissions.services.videos import VideoError
from tests.approval_helpers import setup_review
from tests.conftest import enrol, make_user

S = Video.Status
_ids = itertools.count()
FUTURE = dt.timedelta(days=40)


class ApprovalMachine(RuleBasedStateMachine):
    videos = Bundle("videos")
    published = 0  # across examples: proves the machine reaches publication, so the invariants bite

    def __init__(self):
        super().__init__()
        n = next(_ids)
        self.program = Program.objects.create(slug=f"machine-{n}", name="Machine", pitch="p", status="open")
        self.artist = make_user(f"artist{n}@example.com")
        self.reviewers = [make_user(f"r{i}-{n}@example.com") for i in range(3)]
        # r0 is also an artist of the program, so the machine can try to make them review themselves.
        setup_review(self.program, safety=self.reviewers[:2], lead=self.reviewers[1:], approvals_required=2)
        self.code = self.program.reason_codes.get()
        self.people = [self.artist, *self.reviewers]
        for person in (self.artist, self.reviewers[0]):
            enrol(person, self.program)

    def _refuse_quietly(self, action) -> None:
        with contextlib.suppress(ReviewError, VideoError):  # a refusal is fine: the invariants judge the rest
            action()

    @rule(target=videos, by_reviewer=st.booleans())
    def new_video(self, by_reviewer):
        maker = self.reviewers[0] if by_reviewer else self.artist
        enrolment = Enrolment.objects.get(user=maker, program=self.program)
        video = Video.objects.create(
            program=self.program,
            enrolment=enrolment,
            artist=maker,
            status=S.PENDING_REVIEW,
            source=Video.Source.UPLOAD,
            prompt="p",
            model_name="Lumen",
        )
        approvals.review_open(video=video)
        return video

    @rule(video=videos, who=st.integers(0, 3), outcome=st.sampled_from(["approve", "request_changes", "reject"]))
    def decide(self, video, who, outcome):
        code = None if outcome == "approve" else self.code
        self._refuse_quietly(
            lambda: approvals.review_decide(
                video_id=video.pk, reviewer=self.people[who], outcome=outcome, reason_code=code, note="n"
            )
        )

    @rule(video=videos)
    def every_reviewer_approves(self, video):
        """A macro step: each reviewer approves in turn (refusals allowed), so runs reach publication often."""
        for reviewer in self.reviewers:
            self._refuse_quietly(
                lambda r=reviewer: approvals.review_decide(video_id=video.pk, reviewer=r, outcome="approve")
            )

    @rule(video=videos, who=st.integers(0, 3))
    def claim(self, video, who):
        self._refuse_quietly(lambda: approvals.review_claim(video_id=video.pk, reviewer=self.people[who]))

    @rule(video=videos, who=st.integers(0, 3))
    def publish(self, video, who):
        try:
            approvals.video_publish(video_id=video.pk, artist=self.people[who])
        except ReviewError:
            return
        ApprovalMachine.published += 1

    @rule(video=videos, who=st.integers(0, 3))
    def unpublish(self, video, who):
        self._refuse_quietly(lambda: approvals.video_unpublish(video_id=video.pk, actor=self.people[who], reason="r"))

    @rule(video=videos, who=st.integers(0, 3))
    def appeal(self, video, who):
        self._refuse_quietly(lambda: approvals.video_appeal(video_id=video.pk, artist=self.people[who], statement="s"))

    @rule(video=videos, who=st.integers(0, 3), overturn=st.booleans())
    def decide_appeal(self, video, who, overturn):
        self._refuse_quietly(
            lambda: approvals.appeal_decide(video_id=video.pk, reviewer=self.people[who], overturn=overturn, note="n")
        )

    @rule(video=videos)
    def withdraw(self, video):
        fresh = Video.objects.get(pk=video.pk)
        self._refuse_quietly(lambda: video_services.video_withdraw(video=fresh, actor=fresh.artist))

    @rule()
    def deadlines_pass(self):
        approvals.reviews_approve_overdue(now=timezone.now() + FUTURE)
        approvals.appeals_overturn_overdue(now=timezone.now() + FUTURE)

    @invariant()
    def nothing_unapproved_is_published(self):
        for video in Video.objects.filter(program=self.program, status=S.PUBLISHED).select_related("review"):
            assert video.review.approval_kind, f"video {video.pk} published without an approval"
            assert video.events.filter(to_status=S.APPROVED).exists()

    @invariant()
    def no_artist_decides_on_their_own_video(self):
        assert not Decision.objects.filter(video__program=self.program, reviewer=F("video__artist")).exists()

    @invariant()
    def no_step_is_skipped(self):
        steps = list(ReviewStep.objects.filter(program=self.program).order_by("position"))
        for decision in Decision.objects.filter(video__program=self.program).select_related("step"):
            for earlier in steps[: steps.index(decision.step)]:
                approved = Decision.objects.filter(video=decision.video_id, step=earlier, outcome="approve").count()
                assert approved >= earlier.approvals_required, "a later step was decided before an earlier passed"

    @invariant()
    def each_step_of_a_video_is_decided_by_different_people(self):
        """r1 sits in both groups; the policy's default says one person decides one step of a video."""
        per_person = Decision.objects.filter(video__program=self.program).values("video", "reviewer")
        assert not per_person.annotate(steps=Count("step", distinct=True)).filter(steps__gt=1).exists()

    @invariant()
    def approved_by_reviewers_means_every_step_passed(self):
        reviewed = VideoReview.objects.filter(video__program=self.program, approval_kind="reviewed")
        for review in reviewed:
            for step in ReviewStep.objects.filter(program=self.program):
                approved = Decision.objects.filter(video=review.video_id, step=step, outcome="approve").count()
                assert approved >= step.approvals_required


@pytest.mark.django_db
def test_random_actions_by_random_people_keep_the_workflow_honest():
    ApprovalMachine.published = 0
    run_state_machine_as_test(
        ApprovalMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=25,
            deadline=None,
            derandomize=True,  # the same runs every time: CI stays deterministic
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    assert ApprovalMachine.published > 0, "no example reached publication: the search is too weak"
