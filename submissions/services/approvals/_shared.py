"""What every step of the approval workflow shares: errors, the video's lock and move, telling the artist."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from core import lifecycle
from core.errors import DomainError, TransitionRefused
from core.language import in_language_of
from core.mail import absolute_url, mail_send
from core.recorded import Said
from programs.models import Credit
from programs.selectors.compensation import rate_card_in_force
from programs.services.credit_bookings import credit_book
from submissions.models import Decision, ReviewClaim, ReviewPolicy, ReviewStep, Video, VideoReview
from submissions.review_calendar import add_business_days

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


def _move(video: Video, to: str, *, actor, reason: Said | str, reason_code: str = "", note: str = "") -> Video:
    """Move a locked video (Video.MOVES) with its history row."""
    extras = {"reason_code": reason_code, "note": note}
    return lifecycle.move(video, to, actor=actor, reason=reason, history=extras, refusal=ReviewMoveRefused)


def _note_event(video: Video, *, actor, reason: Said | str, reason_code: str = "", note: str = "") -> None:
    """A history row for a step that does not change the status (a step approved, a claim)."""
    lifecycle.note(video, actor=actor, reason=reason, history={"reason_code": reason_code, "note": note})


def _tell_artist(video: Video, subject, body, **values) -> None:
    """Queued after commit: a mail outage never fails the decision (the task retries until SMTP is back).
    `subject` and `body` are lazy translations, written in the artist's language with `values` (and the video)."""
    url = absolute_url(reverse("submissions:video_detail", args=[video.pk]))
    with in_language_of(video.artist):
        values = {"video": str(video), **values}
        context = {"subject": str(subject) % values, "body": str(body) % values, "url": url}
    mail_send(to=video.artist, template="video_news", context=context)


def _close(review: VideoReview, *, kind: str = "", missed: bool = False) -> None:
    review.decided_at = timezone.now()
    review.approval_kind = kind
    review.deadline_missed = missed
    review.current_step = None
    review.version += 1
    review.save(update_fields=["decided_at", "approval_kind", "deadline_missed", "current_step", "version"])
    ReviewClaim.objects.filter(video_id=review.video_id).delete()


def _credit(video: Video, kind: str, *, label: Said, url: str) -> None:
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
    label = Said(gettext_noop("Video “%(video)s”"), video=str(video))
    _credit(video, Credit.Kind.VIDEO_APPROVED, label=label, url=url)


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
