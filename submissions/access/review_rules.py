"""Who may decide a review step or an appeal, under the program's review policy. Reads only: the decision services
in submissions.services.approvals apply these under the video's row lock, and the review page, the queue and the
deadline job ask the same questions.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from programs.access import is_program_reviewer
from programs.models import ProgramRole
from submissions.models import Decision, ReviewPolicy, Video, VideoReview


def distinct_people(program) -> bool:
    return ReviewPolicy.for_program(program).distinct_people_per_step


def other_step_decided_by(user, video: Video, review: VideoReview) -> Decision | None:
    """The decision `user` made on another step of `video`, when the policy says each step is decided by
    different people; None when they may still decide the current step."""
    if review.current_step_id is None or not distinct_people(video.program):
        return None
    earlier = Decision.objects.filter(video=video, reviewer=user).exclude(step_id=review.current_step_id)
    return earlier.select_related("step").first()


def distinct_people_refusal(user, video: Video, review: VideoReview) -> str | None:
    earlier = other_step_decided_by(user, video, review)
    if earlier is None:
        return None
    return _("Each step of this video is decided by different people, and you decided “%(step)s”.") % {
        "step": earlier.step.name
    }


def eligible_reviewers(video: Video, review: VideoReview) -> QuerySet:
    """The people who could still decide the review's current step: members of the step's group who review
    the program, did not make the video, have not decided this step and (when the policy says so) no other."""
    step = review.current_step
    if step is None:
        return get_user_model().objects.none()
    members = step.group.members.filter(
        program_roles__program=video.program, program_roles__role=ProgramRole.Role.REVIEWER
    ).exclude(pk=video.artist_id)
    members = members.exclude(Exists(Decision.objects.filter(video=video, step=step, reviewer=OuterRef("pk"))))
    if distinct_people(video.program):
        members = members.exclude(Exists(Decision.objects.filter(video=video, reviewer=OuterRef("pk"))))
    return members.distinct()


def nobody_could_decide(video: Video, review: VideoReview) -> bool:
    """True when no person was able to decide the current step: the program had no steps, or nobody
    eligible is left at it. Such a review is never counted as the reviewers' miss."""
    return review.current_step_id is None or not eligible_reviewers(video, review).exists()


def excluded_by_distinct_people(user) -> Q:
    """For the queue: videos whose current step `user` may not decide because they decided another step,
    in programs whose policy asks for different people per step (the default when no policy is saved)."""
    other_step = Decision.objects.filter(video=OuterRef("pk"), reviewer=user).exclude(
        step=OuterRef("review__current_step")
    )
    policy_on = Q(program__review_policy__isnull=True) | Q(program__review_policy__distinct_people_per_step=True)
    return policy_on & Q(Exists(other_step))


def may_decide(user, video: Video, review: VideoReview | None = None) -> str | None:
    """None when `user` may decide the video's current step now; otherwise why not, for the page."""
    review = review or getattr(video, "review", None)
    if video.status not in Video.IN_QUEUE or review is None:
        return _("This video is not waiting for review.")
    if video.artist_id == user.pk:
        return _("You cannot review your own video.")
    if review.current_step is None:
        return _("The program has no review steps yet: staff must configure them.")
    if not is_program_reviewer(user, video.program):
        return _("You are not a reviewer of this program.")
    step = review.current_step
    if not step.group.members.filter(pk=user.pk).exists():
        return _("The step “%(step)s” is decided by %(group)s.") % {"step": step.name, "group": step.group.name}
    if Decision.objects.filter(video=video, step=step, reviewer=user).exists():
        return _("You have already decided on this step.")
    return distinct_people_refusal(user, video, review)


def may_decide_appeal(
    user, video: Video, *, reviews_program: bool | None = None, took_part: bool | None = None
) -> str | None:
    """None when `user` may decide the video's open appeal; otherwise why not.

    A list of appeals passes what it already knows for every row (`reviews_program`, and `took_part` from
    an annotation with took_part_in_decisions), so the page asks no query per row.
    """
    if video.status != Video.Status.APPEALED:
        return _("This video has no open appeal.")
    if video.artist_id == user.pk:
        return _("You cannot decide an appeal on your own video.")
    if not (is_program_reviewer(user, video.program) if reviews_program is None else reviews_program):
        return _("You are not a reviewer of this program.")
    if took_part is None:
        took_part = Decision.objects.filter(video=video, reviewer=user).exists()
    if took_part:
        return _("You took part in the first decision, so another reviewer must decide the appeal.")
    return None


def took_part_in_decisions(user, video: str = "video") -> Exists:
    """An annotation: whether `user` decided any step of the row's video (`video` names the path to it)."""
    return Exists(Decision.objects.filter(video=OuterRef(video), reviewer=user))
