"""Publication: the artist publishes an approved video; it can be taken down again."""

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from core.recorded import Choice, Said
from programs.access import is_program_staff
from programs.models import Credit
from submissions.models import Video, VideoReview

from ._shared import ReviewError, S, _credit, _lock, _move, _tell_artist


def video_publish(*, video_id: int, artist) -> Video:
    """The artist chooses to show an approved video in the public gallery."""
    with transaction.atomic():
        video = _lock(video_id)
        if video.artist_id != artist.pk:
            raise ReviewError(_("Only the artist can publish their video."))
        review = VideoReview.objects.select_for_update().filter(video=video).first()
        if review is None or not review.approval_kind:
            raise ReviewError(_("Only an approved video can be published."))
        if video.status == S.UNPUBLISHED and review.unpublished_by_staff:
            raise ReviewError(_("Staff took this video down; it cannot be published again."))
        kind = Choice(VideoReview.ApprovalKind, review.approval_kind)
        _move(
            video,
            S.PUBLISHED,
            actor=artist,
            reason=Said(gettext_noop("Published by the artist (%(kind)s)."), kind=kind),
        )
        review.published_at = timezone.now()
        review.save(update_fields=["published_at"])
        url = reverse("submissions:gallery_video", args=[video.public_id])
        label = Said(gettext_noop("Video “%(video)s”"), video=str(video))
        _credit(video, Credit.Kind.VIDEO_SHOWCASED, label=label, url=url)
        _sign_after_commit(video, artist)
    return video


def _sign_after_commit(video: Video, artist) -> None:
    """The published copy gets its Content Credentials in the worker: the artist's click never waits for it.
    A broker that is away only delays it: the re-signing sweep finds the copy unsigned."""
    from submissions.tasks.credentials import sign_video_credentials  # the task module imports the services

    sign_video_credentials.delay_on_commit(video.pk, artist.pk)


def video_unpublish(*, video_id: int, actor, reason: str = "") -> Video:
    """Take a video out of the gallery: by its artist, or by program staff with a recorded reason."""
    reason = (reason or "").strip()
    with transaction.atomic():
        video = _lock(video_id)
        by_staff = video.artist_id != actor.pk
        if by_staff and not is_program_staff(actor, video.program):
            raise ReviewError(_("Only the artist or the program's staff can unpublish this video."))
        if by_staff and not reason:
            raise ReviewError(_("Staff must record why they unpublish a video."))
        _move(
            video,
            S.UNPUBLISHED,
            actor=actor,
            reason=Said(gettext_noop("Unpublished by staff: %(reason)s"), reason=reason)
            if by_staff
            else _artist_unpublish_reason(reason),
            note=reason,
        )
        VideoReview.objects.filter(video=video).update(unpublished_by_staff=by_staff)
        if by_staff:
            _tell_artist(
                video,
                gettext_lazy("Your video was unpublished"),
                gettext_lazy("Staff unpublished “%(video)s”: %(reason)s"),
                reason=reason,
            )
    return video


def _artist_unpublish_reason(reason: str) -> Said:
    if reason:
        return Said(gettext_noop("Unpublished by the artist: %(reason)s"), reason=reason)
    return Said(gettext_noop("Unpublished by the artist."))


def published_videos():
    return Video.objects.filter(status=S.PUBLISHED).filter(~Q(review__published_at=None))
