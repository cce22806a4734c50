"""A program with a two-step review (safety, then the program lead), reason codes, and videos in review."""

from programs.models import ProgramRole
from submissions.models import ReasonCode, ReviewerGroup, ReviewPolicy, ReviewStep, Video, VideoReview
from tests.video_helpers import clip, make_video

_next_hue = iter(range(1, 10_000))


def setup_review(
    program,
    *,
    safety,
    lead,
    deadline_days: int | None = 3,
    approvals_required: int = 1,
    distinct_people: bool = True,
    **policy,
) -> dict:
    """`distinct_people=False` lets one reviewer in both groups decide both steps (the policy's default is
    that different people decide each step)."""
    ReviewPolicy.objects.update_or_create(
        program=program,
        defaults={"deadline_business_days": deadline_days, "distinct_people_per_step": distinct_people, **policy},
    )
    steps = []
    for position, (name, members) in enumerate((("Safety", safety), ("Program lead", lead)), start=1):
        group = ReviewerGroup.objects.create(program=program, name=f"{name} reviewers")
        for member in members:
            ProgramRole.objects.get_or_create(user=member, program=program, role=ProgramRole.Role.REVIEWER)
        group.members.set(members)
        steps.append(
            ReviewStep.objects.create(
                program=program,
                position=position,
                name=name,
                group=group,
                approvals_required=approvals_required if position == 1 else 1,
            )
        )
    code = ReasonCode.objects.create(
        program=program,
        code="3.2",
        title="Depicts a real person without consent",
        explanation="Videos may not show a recognisable real person who has not agreed to it.",
    )
    return {"steps": steps, "code": code}


def fresh_clip() -> bytes:
    """A short real clip whose bytes no other clip of this run shares, so it is never a duplicate upload."""
    return clip(seconds=0.4, width=64, height=48, hue=next(_next_hue))


def video_in_review(artist, program, **extra) -> Video:
    """A real clip, uploaded and processed: it arrives in pending_review like any video."""
    video = make_video(artist, program, data=fresh_clip(), **extra)
    assert video.status == Video.Status.PENDING_REVIEW, video.invalid_reason
    return video


def seen(video: Video) -> dict:
    """The hidden fields of the decision form as the review page renders them now: its step and version."""
    review = VideoReview.objects.get(video=video)
    return {"step": review.current_step_id or "", "version": review.version}
