"""Who may see and change which video. Every video view asks these helpers; none checks roles by hand.

Artists see their own videos; reviewers and staff of a program see all of its videos (see
Video.objects.visible_to). Only the artist may change a video; others who may see it get 403.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import Refusal
from programs.access import contributing_enrolments, is_program_reviewer, is_program_staff, programs_reviewed_by
from programs.models import Enrolment
from submissions.models import ReviewPolicy, Video


def get_video_for_user(user, pk: int, *, write: bool = False) -> Video:
    """The video, or 404 when `user` may not see it (its existence does not leak), or 403 when `write`
    is asked by someone who may only look."""
    video = Video.objects.select_related("program", "artist", "enrolment").filter(pk=pk).first()
    if video is None or not can_see_video(user, video):
        raise Http404("No such video.")
    if write and video.artist_id != user.pk:
        raise Refusal(
            _("Only the artist who made this video can change it."),
            next_url=reverse("submissions:video_detail", args=[video.pk]),
            next_label=_("Back to the video"),
        )
    return video


def can_see_video(user, video: Video) -> bool:
    """The rule behind Video.objects.visible_to, for one video."""
    if not user.is_authenticated:
        return False
    return (
        video.artist_id == user.pk or is_program_staff(user, video.program) or is_program_reviewer(user, video.program)
    )


def artist_hidden_from(user, video: Video) -> bool:
    """Blind review: nobody but the artist and the program's staff learns who made a video of a program that
    reviews blind, on any page (the review page, the video page and its partials, the queue, appeals)."""
    if video.artist_id == user.pk or is_program_staff(user, video.program):
        return False
    return ReviewPolicy.for_program(video.program).blind_review


def upload_enrolments(user) -> list[Enrolment]:
    """The enrolments under which `user` may send videos now (programs.access decides), with their programs."""
    return list(contributing_enrolments(user).select_related("program").order_by("program__name"))


def get_video_for_reviewer(user, pk: int) -> Video:
    """A video of a program `user` reviews, or 404: artists and outsiders learn nothing from this URL."""
    video = (
        Video.objects.filter(pk=pk, program__in=reviewer_program_ids(user))
        .select_related("program", "program__review_policy", "artist", "review", "review__current_step__group")
        .first()
    )
    if video is None:
        raise Http404("No such video in your review programs.")
    return video


def reviewer_program_ids(user):
    if not user.is_authenticated:
        return []
    return programs_reviewed_by(user).values("pk")


def get_published_video(public_id) -> Video:
    """A published video, for anyone; anything else is 404, checked again on every request."""
    video = Video.objects.filter(public_id=public_id, status=Video.Status.PUBLISHED).select_related(
        "program", "artist", "review"
    )
    video = video.first()
    if video is None:
        raise Http404("No such published video.")
    return video
