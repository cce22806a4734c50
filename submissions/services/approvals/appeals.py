"""Appeals: the artist appeals a rejection, a reviewer or the deadline decides it."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from core.batch import batch_item
from core.recorded import Choice, Said, columns
from submissions.access.review_rules import may_decide_appeal
from submissions.models import Appeal, Decision, ReviewPolicy, Video, VideoReview
from submissions.review_calendar import add_business_days, appeal_window_ends

from ._shared import Kind, Outcome, ReviewError, S, _credit_approval, _lock, _move, _restart, _tell_artist


def video_appeal(*, video_id: int, artist, statement: str) -> Appeal:
    statement = (statement or "").strip()
    if not statement:
        raise ReviewError(_("Say why you think the rejection is wrong."))
    with transaction.atomic():
        video = _lock(video_id)
        if video.artist_id != artist.pk:
            raise ReviewError(_("Only the artist can appeal a decision on their video."))
        if Appeal.objects.filter(video=video).exists():
            raise ReviewError(_("This video has already been appealed; an appeal is decided once."))
        policy = ReviewPolicy.for_program(video.program)
        if video.status == S.REJECTED and timezone.now() > appeal_window_ends(video, policy):
            raise ReviewError(
                _("Appeals must be made within %(days)d business days.") % {"days": policy.appeal_window_business_days}
            )
        _move(
            video,
            S.APPEALED,
            actor=artist,
            reason=Said(gettext_noop("The artist appealed the rejection.")),
            note=statement,
        )
        now = timezone.now()
        appeal = Appeal.objects.create(
            video=video,
            statement=statement,
            created_at=now,
            deadline_at=add_business_days(now, policy.appeal_deadline_business_days),
        )
    return appeal


def appeal_decide(*, video_id: int, reviewer, overturn: bool, note: str) -> Appeal:
    note = (note or "").strip()
    if not note:
        raise ReviewError(_("Explain the appeal decision to the artist."))
    with transaction.atomic():
        video = _lock(video_id)
        if (why_not := may_decide_appeal(reviewer, video)) is not None:
            raise ReviewError(why_not)
        appeal = Appeal.objects.select_for_update().get(video=video)
        outcome = Appeal.Outcome.OVERTURNED if overturn else Appeal.Outcome.UPHELD
        _settle_appeal(video, appeal, outcome=outcome, actor=reviewer, note=note)
    return appeal


def _settle_appeal(video: Video, appeal: Appeal, *, outcome: str, actor, note: Said | str) -> None:
    """`note` is the reviewer's words, or the deadline's sentence: the mail writes it in the artist's language, the
    history row keeps the appeal's English text."""
    appeal.outcome, appeal.decided_by, appeal.decided_at = outcome, actor, timezone.now()
    for name, value in columns("note", note).items():
        setattr(appeal, name, value)
    appeal.save(update_fields=["outcome", "decided_by", "note", "note_said", "decided_at"])
    reason = Said(gettext_noop("Appeal decided: %(outcome)s."), outcome=Choice(Appeal.Outcome, outcome, lower=True))
    if outcome == Appeal.Outcome.UPHELD:
        _move(video, S.REJECTED, actor=actor, reason=reason, note=appeal.note)
        _tell_artist(
            video,
            gettext_lazy("Your appeal was decided"),
            gettext_lazy("The rejection of “%(video)s” was upheld.\n\n%(note)s"),
            note=note,
        )
        return
    if _reopen_at_overturned_step(video, appeal, actor=actor, note=note):
        return
    _move(video, S.APPROVED, actor=actor, reason=reason, note=appeal.note)
    kind = Kind.APPEAL if outcome == Appeal.Outcome.OVERTURNED else Kind.APPEAL_DEADLINE
    VideoReview.objects.filter(video=video).update(approval_kind=kind)
    _credit_approval(video)
    _tell_artist(
        video,
        gettext_lazy("Your appeal was granted"),
        gettext_lazy("The rejection of “%(video)s” was overturned.\n\n%(note)s"),
        note=note,
    )


def _reopen_at_overturned_step(video: Video, appeal: Appeal, *, actor, note: Said | str) -> bool:
    """An overturned rejection sends the video back to the step it was rejected at, so the later steps still
    decide (unless the policy says an overturned decision approves). False when the video is to be approved."""
    policy = ReviewPolicy.for_program(video.program)
    if policy.after_overturned_appeal != ReviewPolicy.OverturnedAppeal.REOPEN_AT_STEP:
        return False
    rejection = Decision.objects.filter(video=video, outcome=Outcome.REJECT).select_related("step").last()
    review = VideoReview.objects.select_for_update().filter(video=video).first()
    if rejection is None or review is None:
        return False
    _move(
        video,
        S.PENDING_REVIEW,
        actor=actor,
        reason=Said(
            gettext_noop("Appeal decided: %(outcome)s. The review reopens at “%(step)s”."),
            outcome=Choice(Appeal.Outcome, appeal.outcome, lower=True),
            step=rejection.step.name,
        ),
        note=appeal.note,
    )
    _restart(review, rejection.step, policy)
    _tell_artist(
        video,
        gettext_lazy("Your appeal was granted"),
        gettext_lazy("The rejection of “%(video)s” was overturned; its review continues at “%(step)s”.\n\n%(note)s"),
        step=rejection.step.name,
        note=note,
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
                note=Said(gettext_noop("No reviewer decided the appeal within the program's appeal deadline.")),
            )
            done += 1
    return done
