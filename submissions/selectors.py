"""Reads for the approval workflow that grow complex: the reviewer queue and the public gallery.

The queue is one query for the page's rows (with its program, artist, step, review and claim joined), one
for the count and one each for the filter choices, whatever the page size or the number of waiting videos.
"""

from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from programs.models import Program, ProgramRole
from submissions.access.review_rules import excluded_by_distinct_people
from submissions.models import Decision, ReviewStep, Video

S = Video.Status
QUEUE_STATES = (S.PENDING_REVIEW, S.IN_REVIEW)


@dataclass(frozen=True)
class QueueFilters:
    program: int | None = None
    step: int | None = None
    state: str | None = None


def reviewer_programs(user) -> QuerySet[Program]:
    return Program.objects.filter(roles__user=user, roles__role=ProgramRole.Role.REVIEWER).distinct()


def reviewer_steps(user) -> QuerySet[ReviewStep]:
    """The steps `user` may decide: their group's, in programs where they are a reviewer."""
    return ReviewStep.objects.filter(group__members=user, program__in=reviewer_programs(user).values("pk"))


def review_queue(user, filters: QueueFilters | None = None) -> QuerySet[Video]:
    """Videos waiting for a step `user` may decide, oldest deadline first. Never their own, never a step
    they already decided, never a second step of one video where the policy asks for different people."""
    filters = filters or QueueFilters()
    already_decided = Decision.objects.filter(
        video=OuterRef("pk"), step=OuterRef("review__current_step"), reviewer=user
    )
    queue = (
        Video.objects.filter(status__in=QUEUE_STATES, review__current_step__in=reviewer_steps(user).values("pk"))
        .exclude(artist=user)
        .exclude(Exists(already_decided))
        .exclude(excluded_by_distinct_people(user))
        .select_related("program", "artist", "review", "review__current_step", "claim", "claim__reviewer")
        .order_by(F("review__deadline_at").asc(nulls_last=True), "review__opened_at", "pk")
    )
    if filters.program:
        queue = queue.filter(program_id=filters.program)
    if filters.step:
        queue = queue.filter(review__current_step_id=filters.step)
    if filters.state in QUEUE_STATES:
        queue = queue.filter(status=filters.state)
    return queue


def gallery_videos() -> QuerySet[Video]:
    return (
        Video.objects.filter(status=S.PUBLISHED)
        .select_related("program", "artist", "review")
        .order_by("-review__published_at", "-pk")
    )


def review_status_for(video: Video, user) -> dict:
    """What a video's page shows about its review: where it is, who decides next, the deadline, every
    decision with its rule, the appeal, and which actions are open to `user`."""
    from programs.access import is_program_staff
    from submissions.models import Appeal, ReviewPolicy, VideoReview
    from submissions.review_calendar import appeal_window_ends

    review = VideoReview.objects.filter(video=video).select_related("current_step", "replaces").first()
    is_artist = video.artist_id == user.pk
    appeal = Appeal.objects.filter(video=video).first()
    policy = ReviewPolicy.for_program(video.program)
    approved = bool(review and review.approval_kind)
    rejected_unappealed = is_artist and video.status == S.REJECTED and appeal is None
    window_ends = appeal_window_ends(video, policy) if rejected_unappealed else None
    return {
        "review": review,
        "policy": policy,
        "decisions": video.decisions.select_related("step", "reason_code"),
        "appeal": appeal,
        "replaced_by": VideoReview.objects.filter(replaces=video).select_related("video").first(),
        "waiting": video.status in Video.IN_QUEUE,
        "can_publish": (is_artist and approved and video.status == S.APPROVED)
        or (is_artist and video.status == S.UNPUBLISHED and review is not None and not review.unpublished_by_staff),
        "can_unpublish": is_artist and video.status == S.PUBLISHED,
        "can_staff_unpublish": not is_artist and video.status == S.PUBLISHED and is_program_staff(user, video.program),
        "can_appeal": rejected_unappealed and timezone.now() <= window_ends,
        "appeal_window_ends": window_ends,
        "can_upload_new_version": is_artist
        and video.status == S.CHANGES_REQUESTED
        and not (VideoReview.objects.filter(replaces=video).exists()),
        "embargo_over": policy.embargo_over(),
    }
