"""Opening a review: a video enters its program's first review step."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from core.recorded import Said
from programs.access import is_trusted_publisher
from submissions.models import ReviewPolicy, ReviewStep, Video, VideoReview
from submissions.review_calendar import add_business_days

from ._shared import Kind, ReviewError, S, _close, _lock, _move, _note_event, _tell_artist


def first_step(program) -> ReviewStep | None:
    return ReviewStep.objects.filter(program=program).order_by("position").first()


def review_open(*, video: Video, replaces: Video | None = None) -> VideoReview:
    """A processed video starts waiting for review, with its deadline; a trusted publisher's is approved
    without review. Called by processing in the same transaction that made the video pending_review."""
    policy = ReviewPolicy.for_program(video.program)
    now = timezone.now()
    deadline = add_business_days(now, policy.deadline_business_days) if policy.deadline_business_days else None
    # The row may exist already: a new version is linked to the old one at upload, before processing.
    review, _created = VideoReview.objects.update_or_create(
        video=video,
        defaults={"current_step": first_step(video.program), "opened_at": now, "deadline_at": deadline},
    )
    if is_trusted_publisher(video.artist, video.program):
        locked = _lock(video.pk)
        _move(
            locked,
            S.APPROVED,
            actor=None,
            reason=Said(gettext_noop("Approved without review: the artist is a trusted publisher.")),
        )
        _close(review, kind=Kind.WITHOUT_REVIEW)
        _tell_artist(
            locked,
            gettext_lazy("Your video may be published"),
            gettext_lazy("“%(video)s” was approved without review."),
        )
    return review


def review_link_new_version(*, new_video: Video, old_video: Video, artist) -> None:
    """The artist answers a request for changes with a new upload, linked to the old one."""
    with transaction.atomic():
        old = _lock(old_video.pk)
        if old.artist_id != artist.pk or new_video.artist_id != artist.pk:
            raise ReviewError(_("Only the artist of both videos can link a new version."))
        if old.status != S.CHANGES_REQUESTED:
            raise ReviewError(_("A new version answers a request for changes; this video has none."))
        if VideoReview.objects.filter(replaces=old).exists():
            raise ReviewError(_("This video already has a new version."))
        review, _created = VideoReview.objects.get_or_create(video=new_video)
        review.replaces = old
        review.save(update_fields=["replaces"])
        _note_event(
            old, actor=artist, reason=Said(gettext_noop("A new version was uploaded: video #%(id)s."), id=new_video.pk)
        )
