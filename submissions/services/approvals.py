"""The approval workflow: every move of a video from review to publication, one function each.

Each function runs in one transaction, locks the video row, checks the rule that applies and moves the video
through core.lifecycle (the map is Video.MOVES), which writes a VideoEvent (actor, time, from, to, reason code,
note). A refusal raises ReviewError with a message for the person who asked and
writes nothing. Artists are told of every decision by email and on their video's page.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import lifecycle
from core.batch import batch_item
from core.errors import DomainError, TransitionRefused
from core.mail import absolute_url, mail_send
from programs.access import is_program_reviewer, is_program_staff, is_trusted_publisher
from programs.models import Credit
from programs.selectors_compensation import rate_card_in_force
from programs.services.credit_bookings import credit_book
from submissions.models import (
    Appeal,
    Decision,
    ReasonCode,
    ReviewClaim,
    ReviewPolicy,
    ReviewStep,
    Video,
    VideoReview,
)
from submissions.review_calendar import add_business_days, appeal_window_ends
from submissions.services.review_rules import distinct_people_refusal, nobody_could_decide

S = Video.Status
Outcome = Decision.Outcome
Kind = VideoReview.ApprovalKind
IN_QUEUE = Video.IN_QUEUE


class ReviewError(DomainError):
    """The workflow refused the request; nothing was written."""


class ReviewMoveRefused(TransitionRefused, ReviewError):
    """The video is not in a state that allows the move."""


# --- Moving a video -----------------------------------------------------------------------------


def _lock(video_id: int) -> Video:
    return Video.objects.select_for_update().select_related("program", "artist").get(pk=video_id)


def _move(video: Video, to: str, *, actor, reason: str, reason_code: str = "", note: str = "") -> Video:
    """Move a locked video (Video.MOVES) with its history row."""
    extras = {"reason_code": reason_code, "note": note}
    return lifecycle.move(video, to, actor=actor, reason=reason, history=extras, refusal=ReviewMoveRefused)


def _note_event(video: Video, *, actor, reason: str, reason_code: str = "", note: str = "") -> None:
    """A history row for a step that does not change the status (a step approved, a claim)."""
    lifecycle.note(video, actor=actor, reason=reason, history={"reason_code": reason_code, "note": note})


def _tell_artist(video: Video, subject: str, body: str) -> None:
    """Queued after commit: a mail outage never fails the decision (the task retries until SMTP is back)."""
    url = absolute_url(reverse("submissions:video_detail", args=[video.pk]))
    mail_send(to=video.artist, template="video_news", context={"subject": subject, "body": body, "url": url})


# --- Opening a review ---------------------------------------------------------------------------


def first_step(program) -> ReviewStep | None:
    return ReviewStep.objects.filter(program=program).order_by("position").first()


def review_open(*, video: Video, replaces: Video | None = None) -> VideoReview:
    """A processed video starts waiting for review, with its deadline; a trusted publisher's is approved
    without review. Called by processing in the same transaction that made the video pending_review."""
    policy = ReviewPolicy.for_program(video.program)
    now = timezone.now()
    deadline = add_business_days(now, policy.deadline_business_days) if policy.deadline_business_days else None
    # The row may exist already: a new version is linked to the old one at upload, before processing.
    review, _ = VideoReview.objects.update_or_create(
        video=video,
        defaults={"current_step": first_step(video.program), "opened_at": now, "deadline_at": deadline},
    )
    if is_trusted_publisher(video.artist, video.program):
        locked = _lock(video.pk)
        _move(locked, S.APPROVED, actor=None, reason="Approved without review: the artist is a trusted publisher.")
        _close(review, kind=Kind.WITHOUT_REVIEW)
        _tell_artist(locked, "Your video may be published", f"“{locked}” was approved without review.")
    return review


def _close(review: VideoReview, *, kind: str = "", missed: bool = False) -> None:
    review.decided_at = timezone.now()
    review.approval_kind = kind
    review.deadline_missed = missed
    review.current_step = None
    review.version += 1
    review.save(update_fields=["decided_at", "approval_kind", "deadline_missed", "current_step", "version"])
    ReviewClaim.objects.filter(video_id=review.video_id).delete()


def review_link_new_version(*, new_video: Video, old_video: Video, artist) -> None:
    """The artist answers a request for changes with a new upload, linked to the old one."""
    with transaction.atomic():
        old = _lock(old_video.pk)
        if old.artist_id != artist.pk or new_video.artist_id != artist.pk:
            raise ReviewError("Only the artist of both videos can link a new version.")
        if old.status != S.CHANGES_REQUESTED:
            raise ReviewError("A new version answers a request for changes; this video has none.")
        if VideoReview.objects.filter(replaces=old).exists():
            raise ReviewError("This video already has a new version.")
        review, _ = VideoReview.objects.get_or_create(video=new_video)
        review.replaces = old
        review.save(update_fields=["replaces"])
        _note_event(old, actor=artist, reason=f"A new version was uploaded: video #{new_video.pk}.")


# --- Reviewers ----------------------------------------------------------------------------------


def may_decide(user, video: Video, review: VideoReview | None = None) -> str | None:
    """None when `user` may decide the video's current step now; otherwise why not, for the page."""
    review = review or getattr(video, "review", None)
    if video.status not in IN_QUEUE or review is None:
        return "This video is not waiting for review."
    if video.artist_id == user.pk:
        return "You cannot review your own video."
    if review.current_step is None:
        return "The program has no review steps yet: staff must configure them."
    if not is_program_reviewer(user, video.program):
        return "You are not a reviewer of this program."
    if not review.current_step.group.members.filter(pk=user.pk).exists():
        return f"The step “{review.current_step.name}” is decided by {review.current_step.group.name}."
    if Decision.objects.filter(video=video, step=review.current_step, reviewer=user).exists():
        return "You have already decided on this step."
    return distinct_people_refusal(user, video, review)


def review_claim(*, video_id: int, reviewer) -> ReviewClaim:
    """Reserve a video for a few minutes so two reviewers do not work on the same one."""
    with transaction.atomic():
        video = _lock(video_id)
        review = VideoReview.objects.select_related("current_step__group").filter(video=video).first()
        if (why_not := may_decide(reviewer, video, review)) is not None:
            raise ReviewError(why_not)
        now = timezone.now()
        existing = ReviewClaim.objects.filter(video=video).select_related("reviewer").first()
        if existing and existing.expires_at > now and existing.reviewer_id != reviewer.pk:
            raise ReviewError(
                f"{existing.reviewer} is reviewing this video until {timezone.localtime(existing.expires_at):%H:%M}."
            )
        expires = now + dt.timedelta(minutes=ReviewPolicy.for_program(video.program).claim_minutes)
        claim, _ = ReviewClaim.objects.update_or_create(
            video=video, defaults={"reviewer": reviewer, "expires_at": expires}
        )
        if video.status == S.PENDING_REVIEW:
            _move(video, S.IN_REVIEW, actor=reviewer, reason=f"Review started ({review.current_step.name}).")
    return claim


def review_release(*, video_id: int, reviewer) -> None:
    ReviewClaim.objects.filter(video_id=video_id, reviewer=reviewer).delete()


def review_decide(
    *,
    video_id: int,
    reviewer,
    outcome: str,
    reason_code: ReasonCode | None = None,
    note: str = "",
    seen_step_id: int | None = None,
    seen_version: int | None = None,
):
    """Record one reviewer's decision on the current step, and move the video if the step is settled.

    `seen_step_id` and `seen_version` are the step and review version the reviewer's page was rendered for
    (the decision form always sends them): if the review has moved on since, nothing is recorded."""
    note = (note or "").strip()
    if outcome not in Outcome.values:
        raise ReviewError("Choose approve, request changes or reject.")
    if outcome != Outcome.APPROVE:
        if reason_code is None:
            raise ReviewError("Cite the rule of the review policy this decision rests on.")
        if not note:
            raise ReviewError("Write a note to the artist explaining what to change or why.")
    with transaction.atomic():
        video = _lock(video_id)
        review = VideoReview.objects.select_for_update(of=("self",)).select_related("current_step__group")
        review = review.filter(video=video)
        review = review.first()
        _refuse_if_moved_on(review, seen_step_id, seen_version)
        if (why_not := may_decide(reviewer, video, review)) is not None:
            raise ReviewError(why_not)
        claim = ReviewClaim.objects.filter(video=video).first()
        if claim and claim.is_live and claim.reviewer_id != reviewer.pk:
            raise ReviewError(f"{claim.reviewer} is reviewing this video; wait until their claim ends.")
        if reason_code is not None and (reason_code.program_id != video.program_id or not reason_code.is_active):
            raise ReviewError("That reason code is not part of this program's review policy.")
        step = review.current_step
        try:
            with transaction.atomic():
                decision = Decision.objects.create(
                    video=video, step=step, reviewer=reviewer, outcome=outcome, reason_code=reason_code, note=note
                )
        except IntegrityError:
            raise ReviewError("You have already decided on this step.") from None
        _apply(video, review, decision)
    return decision


def _refuse_if_moved_on(review: VideoReview | None, seen_step_id: int | None, seen_version: int | None) -> None:
    """The decision was made on the page as it was; if the review moved since (another decision, a double
    submit, a reopened appeal), it must not land on a step the reviewer never saw."""
    if seen_version is None or review is None:
        return
    if review.version != seen_version or review.current_step_id != seen_step_id:
        now = review.current_step.name if review.current_step else _("no step: the review has ended")
        raise ReviewError(
            _(
                "This review has moved on since you opened it (now: %(step)s), so nothing was recorded. "
                "Look at it again before deciding."
            )
            % {"step": now}
        )


def _apply(video: Video, review: VideoReview, decision: Decision) -> None:
    step, reviewer = decision.step, decision.reviewer
    code = decision.reason_code.code if decision.reason_code else ""
    if decision.outcome == Outcome.REQUEST_CHANGES:
        _move(
            video,
            S.CHANGES_REQUESTED,
            actor=reviewer,
            reason=f"Changes requested at “{step.name}”.",
            reason_code=code,
            note=decision.note,
        )
        _close(review)
        _tell_artist(
            video,
            "Changes requested on your video",
            f"Changes were requested on “{video}” under rule {decision.reason_code}.\n\n{decision.note}",
        )
        return
    if decision.outcome == Outcome.REJECT:
        _move(
            video,
            S.REJECTED,
            actor=reviewer,
            reason=f"Rejected at “{step.name}”.",
            reason_code=code,
            note=decision.note,
        )
        _close(review)
        _tell_artist(
            video,
            "Your video was rejected",
            f"“{video}” was rejected under rule {decision.reason_code}.\n\n{decision.note}\n\n"
            "You may appeal: a reviewer who took no part in this decision will decide.",
        )
        return
    approvals = Decision.objects.filter(video=video, step=step, outcome=Outcome.APPROVE).count()
    if approvals < step.approvals_required:
        _note_event(
            video,
            actor=reviewer,
            reason=f"Approved at “{step.name}” ({approvals} of {step.approvals_required} approvals).",
            note=decision.note,
        )
        return
    next_step = ReviewStep.objects.filter(program=video.program, position__gt=step.position).order_by("position")
    next_step = next_step.first()
    if next_step is not None:
        review.current_step = next_step
        review.version += 1
        review.save(update_fields=["current_step", "version"])
        ReviewClaim.objects.filter(video=video).delete()
        _note_event(
            video, actor=reviewer, reason=f"“{step.name}” approved; next: “{next_step.name}”.", note=decision.note
        )
        return
    _move(
        video,
        S.APPROVED,
        actor=reviewer,
        reason=f"Approved: every step passed (last: “{step.name}”).",
        note=decision.note,
    )
    _close(review, kind=_kind_of_review_approval(video))
    _credit_approval(video)
    _tell_artist(video, "Your video was approved", f"“{video}” passed every review step. You may publish it.")


def _kind_of_review_approval(video: Video) -> str:
    """Every step approved. After an overturned rejection reopened the review, the approval is still one on
    appeal: without the appeal the video would have stayed rejected."""
    outcome = Appeal.objects.filter(video=video).values_list("outcome", flat=True).first()
    if outcome == Appeal.Outcome.OVERTURNED:
        return Kind.APPEAL
    if outcome == Appeal.Outcome.OVERTURNED_BY_DEADLINE:
        return Kind.APPEAL_DEADLINE
    return Kind.REVIEWED


def _credit(video: Video, kind: str, *, label: str, url: str) -> None:
    """Credit the artist at the rate card in force. A program without one pays nothing for it, and its
    public page says there is no rate card: the review itself never waits for money to be configured."""
    if rate_card_in_force(video.program, timezone.localdate()) is None:
        return
    credit_book(  # a credit that cannot be booked is kept pending and retried: it never undoes the decision
        user=video.artist,
        program=video.program,
        kind=kind,
        reference=video.pk,
        source_label=label,
        source_url=url,
    )


def _credit_approval(video: Video) -> None:
    url = reverse("submissions:video_detail", args=[video.pk])
    _credit(video, Credit.Kind.VIDEO_APPROVED, label=f"Approved video “{video}”", url=url)


# --- Deadlines ----------------------------------------------------------------------------------


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
                reason="Approved by deadline: no decision was made within the program's review deadline.",
            )
            _close(review, kind=Kind.DEADLINE, missed=True)
            _credit_approval(video)
            _tell_artist(
                video,
                "Your video was approved by deadline",
                f"Reviewers did not decide on “{video}” in time, so it is approved by deadline.",
            )
    return done


def _approve_undecidable(video: Video, review: VideoReview) -> None:
    """Nobody was able to decide (no steps, or no eligible reviewer left at the step): approved so that
    nothing is held forever, labelled for what it is and never counted as the reviewers' miss."""
    _move(video, S.APPROVED, actor=None, reason=_("Approved by deadline: no reviewer was able to decide this video."))
    _close(review, kind=Kind.NO_REVIEWER)
    _credit_approval(video)
    _tell_artist(
        video,
        _("Your video was approved by deadline"),
        _("No reviewer was able to decide on “%(video)s” in time, so it is approved by deadline.") % {"video": video},
    )


def _restart(review: VideoReview, step: ReviewStep, policy: ReviewPolicy) -> None:
    """The review waits again at `step`, with a fresh deadline counted from now."""
    now = timezone.now()
    days = policy.deadline_business_days
    review.current_step, review.version = step, review.version + 1
    review.opened_at, review.deadline_at = now, add_business_days(now, days) if days else None
    review.decided_at, review.approval_kind, review.deadline_missed, review.reminder_sent_at = None, "", False, None
    review.save(
        update_fields=[
            *("current_step", "version", "opened_at", "deadline_at"),
            *("decided_at", "approval_kind", "deadline_missed", "reminder_sent_at"),
        ]
    )
    ReviewClaim.objects.filter(video_id=review.video_id).delete()


def _start_at_first_step(video: Video, review: VideoReview) -> bool:
    """A review opened before the program had steps picks up the first step once there is one."""
    step = first_step(video.program)
    if step is None:
        return False
    _restart(review, step, ReviewPolicy.for_program(video.program))
    _note_event(
        video,
        actor=None,
        reason=_("The program's review steps are set: the review starts at “%(step)s”.") % {"step": step.name},
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
        "deadline": f"{timezone.localtime(review.deadline_at):%Y-%m-%d %H:%M %Z}",
        "url": absolute_url(reverse("submissions:review_video", args=[review.video_id])),
    }
    for reviewer in review.current_step.group.members.order_by("pk"):  # one mail each, in their own language
        mail_send(to=reviewer, template="review_reminder", context=context)
    return True


# --- Appeals ------------------------------------------------------------------------------------


def video_appeal(*, video_id: int, artist, statement: str) -> Appeal:
    statement = (statement or "").strip()
    if not statement:
        raise ReviewError("Say why you think the rejection is wrong.")
    with transaction.atomic():
        video = _lock(video_id)
        if video.artist_id != artist.pk:
            raise ReviewError("Only the artist can appeal a decision on their video.")
        if Appeal.objects.filter(video=video).exists():
            raise ReviewError("This video has already been appealed; an appeal is decided once.")
        policy = ReviewPolicy.for_program(video.program)
        if video.status == S.REJECTED and timezone.now() > appeal_window_ends(video, policy):
            raise ReviewError(f"Appeals must be made within {policy.appeal_window_business_days} business days.")
        _move(video, S.APPEALED, actor=artist, reason="The artist appealed the rejection.", note=statement)
        now = timezone.now()
        appeal = Appeal.objects.create(
            video=video,
            statement=statement,
            created_at=now,
            deadline_at=add_business_days(now, policy.appeal_deadline_business_days),
        )
    return appeal


def may_decide_appeal(user, video: Video) -> str | None:
    if video.status != S.APPEALED:
        return "This video has no open appeal."
    if video.artist_id == user.pk:
        return "You cannot decide an appeal on your own video."
    if not is_program_reviewer(user, video.program):
        return "You are not a reviewer of this program."
    if Decision.objects.filter(video=video, reviewer=user).exists():
        return "You took part in the first decision, so another reviewer must decide the appeal."
    return None


def appeal_decide(*, video_id: int, reviewer, overturn: bool, note: str) -> Appeal:
    note = (note or "").strip()
    if not note:
        raise ReviewError("Explain the appeal decision to the artist.")
    with transaction.atomic():
        video = _lock(video_id)
        if (why_not := may_decide_appeal(reviewer, video)) is not None:
            raise ReviewError(why_not)
        appeal = Appeal.objects.select_for_update().get(video=video)
        outcome = Appeal.Outcome.OVERTURNED if overturn else Appeal.Outcome.UPHELD
        _settle_appeal(video, appeal, outcome=outcome, actor=reviewer, note=note)
    return appeal


def _settle_appeal(video: Video, appeal: Appeal, *, outcome: str, actor, note: str) -> None:
    appeal.outcome, appeal.decided_by, appeal.note, appeal.decided_at = outcome, actor, note, timezone.now()
    appeal.save(update_fields=["outcome", "decided_by", "note", "decided_at"])
    label = Appeal.Outcome(outcome).label
    if outcome == Appeal.Outcome.UPHELD:
        _move(video, S.REJECTED, actor=actor, reason=f"Appeal decided: {label.lower()}.", note=note)
        _tell_artist(video, "Your appeal was decided", f"The rejection of “{video}” was upheld.\n\n{note}")
        return
    if _reopen_at_overturned_step(video, appeal, actor=actor, note=note):
        return
    _move(video, S.APPROVED, actor=actor, reason=f"Appeal decided: {label.lower()}.", note=note)
    kind = Kind.APPEAL if outcome == Appeal.Outcome.OVERTURNED else Kind.APPEAL_DEADLINE
    VideoReview.objects.filter(video=video).update(approval_kind=kind)
    _credit_approval(video)
    _tell_artist(video, "Your appeal was granted", f"The rejection of “{video}” was overturned.\n\n{note}")


def _reopen_at_overturned_step(video: Video, appeal: Appeal, *, actor, note: str) -> bool:
    """An overturned rejection sends the video back to the step it was rejected at, so the later steps still
    decide (unless the policy says an overturned decision approves). False when the video is to be approved."""
    policy = ReviewPolicy.for_program(video.program)
    if policy.after_overturned_appeal != ReviewPolicy.OverturnedAppeal.REOPEN_AT_STEP:
        return False
    rejection = Decision.objects.filter(video=video, outcome=Outcome.REJECT).select_related("step").last()
    review = VideoReview.objects.select_for_update().filter(video=video).first()
    if rejection is None or review is None:
        return False
    label = Appeal.Outcome(appeal.outcome).label
    _move(
        video,
        S.PENDING_REVIEW,
        actor=actor,
        reason=_("Appeal decided: %(outcome)s. The review reopens at “%(step)s”.")
        % {"outcome": label.lower(), "step": rejection.step.name},
        note=note,
    )
    _restart(review, rejection.step, policy)
    _tell_artist(
        video,
        _("Your appeal was granted"),
        _("The rejection of “%(video)s” was overturned; its review continues at “%(step)s”.\n\n%(note)s")
        % {"video": video, "step": rejection.step.name, "note": note},
    )
    return True


def appeals_overturn_overdue(*, now: dt.datetime | None = None) -> int:
    """An appeal not decided within its deadline is granted: no indefinite holds, on appeal either."""
    now = now or timezone.now()
    done = 0
    for video_id in Appeal.objects.filter(deadline_at__lt=now, decided_at__isnull=True).values_list(
        "video_id", flat=True
    ):
        with batch_item("overturn overdue appeals", video_id):
            video = _lock(video_id)
            appeal = Appeal.objects.select_for_update().get(video=video)
            if appeal.decided_at is not None or video.status != S.APPEALED:
                continue
            _settle_appeal(
                video,
                appeal,
                outcome=Appeal.Outcome.OVERTURNED_BY_DEADLINE,
                actor=None,
                note="No reviewer decided the appeal within the program's appeal deadline.",
            )
            done += 1
    return done


# --- Publication --------------------------------------------------------------------------------


def video_publish(*, video_id: int, artist) -> Video:
    """The artist chooses to show an approved video in the public gallery."""
    with transaction.atomic():
        video = _lock(video_id)
        if video.artist_id != artist.pk:
            raise ReviewError("Only the artist can publish their video.")
        review = VideoReview.objects.select_for_update().filter(video=video).first()
        if review is None or not review.approval_kind:
            raise ReviewError("Only an approved video can be published.")
        if video.status == S.UNPUBLISHED and review.unpublished_by_staff:
            raise ReviewError("Staff took this video down; it cannot be published again.")
        _move(
            video, S.PUBLISHED, actor=artist, reason=f"Published by the artist ({review.get_approval_kind_display()})."
        )
        review.published_at = timezone.now()
        review.save(update_fields=["published_at"])
        url = reverse("submissions:gallery_video", args=[video.public_id])
        _credit(video, Credit.Kind.VIDEO_SHOWCASED, label=f"Published video “{video}”", url=url)
    return video


def video_unpublish(*, video_id: int, actor, reason: str = "") -> Video:
    """Take a video out of the gallery: by its artist, or by program staff with a recorded reason."""
    reason = (reason or "").strip()
    with transaction.atomic():
        video = _lock(video_id)
        by_staff = video.artist_id != actor.pk
        if by_staff and not is_program_staff(actor, video.program):
            raise ReviewError("Only the artist or the program's staff can unpublish this video.")
        if by_staff and not reason:
            raise ReviewError("Staff must record why they unpublish a video.")
        _move(
            video,
            S.UNPUBLISHED,
            actor=actor,
            reason=f"Unpublished by staff: {reason}" if by_staff else _artist_unpublish_reason(reason),
            note=reason,
        )
        VideoReview.objects.filter(video=video).update(unpublished_by_staff=by_staff)
        if by_staff:
            _tell_artist(video, "Your video was unpublished", f"Staff unpublished “{video}”: {reason}")
    return video


def _artist_unpublish_reason(reason: str) -> str:
    return f"Unpublished by the artist: {reason}" if reason else "Unpublished by the artist."


def published_videos():
    return Video.objects.filter(status=S.PUBLISHED).filter(~Q(review__published_at=None))
