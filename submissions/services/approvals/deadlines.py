"""Deadlines: overdue reviews are approved, reminders sent, waiting reviews started."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, gettext_noop

from core.batch import batch_item
from core.mail import absolute_url, mail_send
from core.recorded import Said
from submissions.access.review_rules import nobody_could_decide
from submissions.models import ReviewPolicy, Video, VideoReview

from ._shared import IN_QUEUE, Kind, S, _close, _credit_approval, _lock, _move, _note_event, _restart, _tell_artist
from .opening import first_step


def reviews_approve_overdue(*, now: dt.datetime | None = None) -> int:
    """Approve every video whose review deadline has passed without a decision; count the miss."""
    now = now or timezone.now()
    overdue = VideoReview.objects.filter(deadline_at__lt=now, decided_at__isnull=True, video__status__in=IN_QUEUE)
    done = 0
    for video_id in overdue.values_list("video_id", flat=True):
        with batch_item("approve overdue reviews", video_id):  # one bad video never stops the others
            video = _lock(video_id)
            review = VideoReview.objects.select_for_update().get(video=video)
            if video.status not in IN_QUEUE or review.decided_at is not None:
                continue  # decided meanwhile
            if review.current_step is None and _start_at_first_step(video, review):
                continue  # steps exist now: reviewers get their full deadline
            done += 1
            if nobody_could_decide(video, review):
                _approve_undecidable(video, review)
                continue
            _move(
                video,
                S.APPROVED,
                actor=None,
                reason=Said(
                    gettext_noop("Approved by deadline: no decision was made within the program's review deadline.")
                ),
            )
            _close(review, kind=Kind.DEADLINE, missed=True)
            _credit_approval(video)
            _tell_artist(
                video,
                gettext_lazy("Your video was approved by deadline"),
                gettext_lazy("Reviewers did not decide on “%(video)s” in time, so it is approved by deadline."),
            )
    return done


def _approve_undecidable(video: Video, review: VideoReview) -> None:
    """Nobody was able to decide (no steps, or no eligible reviewer left at the step): approved so that
    nothing is held forever, labelled for what it is and never counted as the reviewers' miss."""
    _move(
        video,
        S.APPROVED,
        actor=None,
        reason=Said(gettext_noop("Approved by deadline: no reviewer was able to decide this video.")),
    )
    _close(review, kind=Kind.NO_REVIEWER)
    _credit_approval(video)
    _tell_artist(
        video,
        gettext_lazy("Your video was approved by deadline"),
        gettext_lazy("No reviewer was able to decide on “%(video)s” in time, so it is approved by deadline."),
    )


def _start_at_first_step(video: Video, review: VideoReview) -> bool:
    """A review opened before the program had steps picks up the first step once there is one."""
    step = first_step(video.program)
    if step is None:
        return False
    _restart(review, step, ReviewPolicy.for_program(video.program))
    _note_event(
        video,
        actor=None,
        reason=Said(
            gettext_noop("The program's review steps are set: the review starts at “%(step)s”."), step=step.name
        ),
    )
    return True


def reviews_assign_first_step(*, program) -> int:
    """Every review of `program` still waiting without a step starts at its first step. Called when staff
    configure steps; the deadline job does the same for any it finds."""
    waiting = VideoReview.objects.filter(
        video__program=program, current_step__isnull=True, decided_at__isnull=True, video__status__in=IN_QUEUE
    )
    started = 0
    for video_id in waiting.values_list("video_id", flat=True):
        with transaction.atomic():
            video = _lock(video_id)
            review = VideoReview.objects.select_for_update().get(video=video)
            if video.status in IN_QUEUE and review.current_step is None and review.decided_at is None:
                started += _start_at_first_step(video, review)
    return started


def reviews_send_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind the current step's reviewers of videos whose deadline is near. Once per video."""
    now = now or timezone.now()
    sent = 0
    due = VideoReview.objects.filter(
        decided_at__isnull=True,
        reminder_sent_at__isnull=True,
        deadline_at__gt=now,
        video__status__in=IN_QUEUE,
        current_step__isnull=False,
    ).select_related("video__program", "current_step__group")
    for review in due:
        with batch_item("send review reminders", review.pk):  # a failed send is rolled back and tried next run
            sent += _send_reminder(review, now)
    return sent


def _send_reminder(review: VideoReview, now: dt.datetime) -> bool:
    policy = ReviewPolicy.for_program(review.video.program)
    if review.deadline_at - now > dt.timedelta(hours=policy.reminder_hours_before):
        return False
    # Claim the reminder with a conditional update so two beat runs never send it twice.
    if not VideoReview.objects.filter(pk=review.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now):
        return False
    context = {
        "video_id": review.video_id,
        "program": str(review.video.program),
        "step": review.current_step.name,
        "deadline": review.deadline_at,  # written by the mail in the reviewer's language, with its zone
        "url": absolute_url(reverse("submissions:review_video", args=[review.video_id])),
    }
    for reviewer in review.current_step.group.members.order_by("pk"):  # one mail each, in their own language
        mail_send(to=reviewer, template="review_reminder", context=context, optional="reminders")
    return True
