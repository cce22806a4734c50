"""Reviewers claim, release and decide; an approval credits the artist."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from core.recorded import Said
from submissions.access.review_rules import may_decide
from submissions.models import Appeal, Decision, ReasonCode, ReviewClaim, ReviewPolicy, ReviewStep, Video, VideoReview
from submissions.services.comments import CommentError, cited_lines, comments_cite

from ._shared import (
    Kind,
    Outcome,
    ReviewError,
    S,
    _close,
    _credit_approval,
    _lock,
    _move,
    _note_event,
    _tell_artist,
)


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
                _("%(reviewer)s is reviewing this video until %(time)s.")
                % {"reviewer": existing.reviewer, "time": time_format(timezone.localtime(existing.expires_at))}
            )
        expires = now + dt.timedelta(minutes=ReviewPolicy.for_program(video.program).claim_minutes)
        claim, _created = ReviewClaim.objects.update_or_create(
            video=video, defaults={"reviewer": reviewer, "expires_at": expires}
        )
        if video.status == S.PENDING_REVIEW:
            _move(
                video,
                S.IN_REVIEW,
                actor=reviewer,
                reason=Said(gettext_noop("Review started (%(step)s)."), step=review.current_step.name),
            )
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
    cited_comment_ids: list[int] | None = None,
):
    """Record one reviewer's decision on the current step, and move the video if the step is settled.

    `seen_step_id` and `seen_version` are the step and review version the reviewer's page was rendered for
    (the decision form always sends them): if the review has moved on since, nothing is recorded.
    `cited_comment_ids` are the frame comments a request for changes or a rejection rests on: the artist's page
    and mail show them."""
    note = (note or "").strip()
    if outcome not in Outcome.values:
        raise ReviewError(_("Choose approve, request changes or reject."))
    if outcome != Outcome.APPROVE:
        if reason_code is None:
            raise ReviewError(_("Cite the rule of the review policy this decision rests on."))
        if not note:
            raise ReviewError(_("Write a note to the artist explaining what to change or why."))
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
            raise ReviewError(
                _("%(reviewer)s is reviewing this video; wait until their claim ends.") % {"reviewer": claim.reviewer}
            )
        if reason_code is not None and (reason_code.program_id != video.program_id or not reason_code.is_active):
            raise ReviewError(_("That reason code is not part of this program's review policy."))
        step = review.current_step
        try:
            with transaction.atomic():
                decision = Decision.objects.create(
                    video=video, step=step, reviewer=reviewer, outcome=outcome, reason_code=reason_code, note=note
                )
        except IntegrityError:
            raise ReviewError(_("You have already decided on this step.")) from None
        try:
            cited = comments_cite(decision=decision, comment_ids=cited_comment_ids or [])
        except CommentError as exc:
            raise ReviewError(exc.message) from None
        _apply(video, review, decision, cited)
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


def _cited_in_mail(cited: list):
    """The cited comments as the mail lists them, written when the mail is (in the artist's language)."""
    return lazy(lambda: f"\n\n{cited_lines(cited)}" if cited else "", str)()


def _apply(video: Video, review: VideoReview, decision: Decision, cited: list) -> None:
    step, reviewer = decision.step, decision.reviewer
    code = decision.reason_code.code if decision.reason_code else ""
    frames = _cited_in_mail(cited)
    if decision.outcome == Outcome.REQUEST_CHANGES:
        _move(
            video,
            S.CHANGES_REQUESTED,
            actor=reviewer,
            reason=Said(gettext_noop("Changes requested at “%(step)s”."), step=step.name),
            reason_code=code,
            note=decision.note,
        )
        _close(review)
        _tell_artist(
            video,
            gettext_lazy("Changes requested on your video"),
            gettext_lazy("Changes were requested on “%(video)s” under rule %(rule)s.\n\n%(note)s%(frames)s"),
            rule=str(decision.reason_code),
            note=decision.note,
            frames=frames,
        )
        return
    if decision.outcome == Outcome.REJECT:
        _move(
            video,
            S.REJECTED,
            actor=reviewer,
            reason=Said(gettext_noop("Rejected at “%(step)s”."), step=step.name),
            reason_code=code,
            note=decision.note,
        )
        _close(review)
        _tell_artist(
            video,
            gettext_lazy("Your video was rejected"),
            gettext_lazy(
                "“%(video)s” was rejected under rule %(rule)s.\n\n%(note)s%(frames)s\n\n"
                "You may appeal: a reviewer who took no part in this decision will decide."
            ),
            rule=str(decision.reason_code),
            note=decision.note,
            frames=frames,
        )
        return
    approvals = Decision.objects.filter(video=video, step=step, outcome=Outcome.APPROVE).count()
    if approvals < step.approvals_required:
        _note_event(
            video,
            actor=reviewer,
            reason=Said(
                gettext_noop("Approved at “%(step)s” (%(approvals)s of %(required)s approvals)."),
                step=step.name,
                approvals=approvals,
                required=step.approvals_required,
            ),
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
        reason = Said(gettext_noop("“%(step)s” approved; next: “%(next)s”."), step=step.name, next=next_step.name)
        _note_event(video, actor=reviewer, reason=reason, note=decision.note)
        return
    _move(
        video,
        S.APPROVED,
        actor=reviewer,
        reason=Said(gettext_noop("Approved: every step passed (last: “%(step)s”)."), step=step.name),
        note=decision.note,
    )
    _close(review, kind=_kind_of_review_approval(video))
    _credit_approval(video)
    _tell_artist(
        video,
        gettext_lazy("Your video was approved"),
        gettext_lazy("“%(video)s” passed every review step. You may publish it."),
    )


def _kind_of_review_approval(video: Video) -> str:
    """Every step approved. After an overturned rejection reopened the review, the approval is still one on
    appeal: without the appeal the video would have stayed rejected."""
    outcome = Appeal.objects.filter(video=video).values_list("outcome", flat=True).first()
    if outcome == Appeal.Outcome.OVERTURNED:
        return Kind.APPEAL
    if outcome == Appeal.Outcome.OVERTURNED_BY_DEADLINE:
        return Kind.APPEAL_DEADLINE
    return Kind.REVIEWED
