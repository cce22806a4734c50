"""Every change to a video: intake, processing, withdrawal; and the program's API keys.

One function per transition, each through core.lifecycle (the map is Video.MOVES; every move writes a VideoEvent).
Views, the API, admin and tasks call these and never assign `status` themselves.
"""

import dataclasses
import datetime as dt
import hashlib
import time
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import lifecycle
from core.batch import batch_item, each_in_own_transaction
from core.errors import DomainError, TransitionRefused
from core.recorded import Said, columns
from programs.access import contributing_enrolment
from programs.models import Enrolment, Program
from programs.models.consent import CONSENT_PURPOSES
from programs.selectors.consent import current_consent
from submissions import media, storage
from submissions.credentials import provider_credentials_of
from submissions.models import ApiKey, ProgramMediaPolicy, Video, VideoThumbnail
from submissions.models.videos import CONTAINER_CONTENT_TYPES
from submissions.services.approvals import review_open  # one way: the review never imports processing

S = Video.Status

PROCESSING_SECONDS = 120  # the budget for probing and decoding one video (the task's limits sit above it)
# After this, a claim by a worker that died may be taken over: above the task's hard time limit (3 minutes), so a
# live run is never taken over; with the sweeper every 5 minutes, a lost run is picked up within 10.
PROCESSING_LEASE = dt.timedelta(minutes=5)
UNSENT_AFTER = dt.timedelta(minutes=2)  # an uploaded video not claimed by then: its task was lost or never sent
MAX_PROCESSING_ATTEMPTS = 3
INTAKE_PROBE_SECONDS = 15
INCOMING_PREFIX = "incoming"  # where the generation service may drop files for the API's source_key
MAX_SETTINGS = 50


class VideoError(DomainError):
    """A video rule said no."""


class InvalidVideo(VideoError):
    """The file itself is not acceptable (empty, not a video, too long...). Nothing was stored."""


class DuplicateExternalId(VideoError):
    pass


class VideoMoveRefused(TransitionRefused, VideoError):
    """The video is not in a state that allows the move."""


@dataclass(frozen=True)
class Provenance:
    """How a video was made, as the artist or the generation service tells it."""

    prompt: str
    model_name: str
    model_version: str = ""
    negative_prompt: str = ""
    generation_settings: dict = field(default_factory=dict)
    notes: str = ""
    title: str = ""
    consent_training: bool | None = None
    consent_marketing: bool | None = None
    consent_showcase: bool | None = None

    def as_json(self) -> dict:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class StoredFile:
    """A direct upload's object, checked (size, type) and hashed in the bucket: the video keeps it as its file."""

    key: str  # its name in storage
    name: str  # the artist's filename, shown back to them
    sha256: str
    size: int
    container: str


def _transition(video_id: int, *, to: str, actor=None, reason: Said | str = "", changes: dict | None = None) -> Video:
    video = Video.objects.get(pk=video_id)
    return lifecycle.move(video, to, actor=actor, reason=reason, changes=changes, refusal=VideoMoveRefused)


# --- Intake -------------------------------------------------------------------------------------


def video_create(
    *,
    enrolment: Enrolment,
    actor,
    source: str,
    provenance: Provenance,
    upload=None,
    source_key: str = "",
    external_id: str = "",
    api_key: ApiKey | None = None,
    enqueue: bool = True,
    stored: StoredFile | None = None,
) -> tuple[Video, bool]:
    """Take in a video (an uploaded file, a file the service put under incoming/ in storage, or a direct
    upload's object already checked and hashed in the bucket, which the video then keeps as its file).

    Returns (video, created). The same external id in the program, or the same bytes from the same artist,
    return the existing video instead of a duplicate. A file that is plainly not acceptable raises
    InvalidVideo and leaves no row and no stored file (a `stored` object is the caller's to delete).
    """
    program, artist = enrolment.program, enrolment.user
    if contributing_enrolment(artist, program) is None:
        raise VideoError(
            _("%(artist)s cannot contribute to %(program)s at the moment.") % {"artist": artist, "program": program}
        )
    if [upload is not None, bool(source_key), stored is not None].count(True) != 1:
        raise VideoError(_("Send either a file or a source key, not both and not neither."))
    upload = upload if stored is None else stored
    existing = _find_existing(program, artist, external_id, getattr(upload, "sha256", ""))
    if existing is not None:
        return existing, False
    check_provenance(provenance)
    policy = ProgramMediaPolicy.for_program(program)
    container = ""
    if stored is not None:
        container = stored.container
    elif upload is not None:
        container = _inspect_upload(upload, policy).container
    else:
        _check_source_key(source_key, program, policy)

    written: list[str] = []
    try:
        with transaction.atomic():
            video = Video.objects.create(
                program=program,
                enrolment=enrolment,
                artist=artist,
                source=source,
                api_key=api_key,
                external_id=external_id,
                original_filename=(getattr(upload, "name", "") or "")[:255],
                size_bytes=getattr(upload, "size", None),
                sha256=getattr(upload, "sha256", ""),
                container=container,
                title=provenance.title,
                prompt=provenance.prompt,
                negative_prompt=provenance.negative_prompt,
                model_name=provenance.model_name,
                model_version=provenance.model_version,
                generation_settings=provenance.generation_settings,
                notes=provenance.notes,
                consent_training=provenance.consent_training,
                consent_marketing=provenance.consent_marketing,
                consent_showcase=provenance.consent_showcase,
            )
            lifecycle.start(video, actor=actor, reason=_intake_reason(source, api_key))
            if stored is not None:
                video.file.name = stored.key  # already in the bucket, under the upload's own prefix
            elif upload is not None:
                video.file.save(f"original.{container}", upload, save=False)
            else:
                video.file.name = storage.copy_object(source_key, video.storage_name("original"))
            if stored is None:
                written.append(video.file.name)
            video.save(update_fields=["file"])
    except IntegrityError:
        # A concurrent request (a double click, a retried API call) stored the same video first.
        storage.delete_files(written)
        existing = _find_existing(program, artist, external_id, getattr(upload, "sha256", ""))
        if existing is None:
            raise
        return existing, False
    except BaseException:
        storage.delete_files(written)
        raise
    if source_key:
        transaction.on_commit(lambda: storage.delete_files([source_key]))
    if enqueue:
        _enqueue_processing(video.pk)
    return video, True


def _intake_reason(source: str, api_key: ApiKey | None) -> Said:
    if source == Video.Source.API:
        return Said(gettext_noop("Received through %(key)s."), key=str(api_key))
    if source == Video.Source.STUDIO:
        return Said(gettext_noop("Generated in the studio."))
    return Said(gettext_noop("Uploaded by the artist."))


def _enqueue_processing(video_id: int) -> None:
    """Send the processing task after commit. A broker that is away fails fast and is only logged: the video
    waits as uploaded, and video_requeue_stalled sends it again, so the upload is accepted either way."""
    from submissions.tasks.videos import process_video  # the task module imports this one

    process_video.delay_on_commit(video_id)


def _find_existing(program: Program, artist, external_id: str, sha256: str) -> Video | None:
    if external_id:
        video = Video.objects.filter(program=program, external_id=external_id).first()
        if video is not None:
            if video.artist_id != artist.pk:
                raise DuplicateExternalId(
                    _("The external id %(id)r already belongs to another artist's video in this program.")
                    % {"id": external_id}
                )
            return video
    if sha256:
        return (
            Video.objects.filter(program=program, artist=artist, sha256=sha256)
            .exclude(status__in=[S.WITHDRAWN, S.REJECTED_INVALID])
            .first()
        )
    return None


def check_provenance(provenance: Provenance) -> None:
    if not provenance.prompt.strip():
        raise VideoError(_("Give the prompt the video was generated from."))
    if not provenance.model_name.strip():
        raise VideoError(_("Give the name of the model that generated the video."))
    settings = provenance.generation_settings
    if not isinstance(settings, dict):
        raise VideoError(_("Generation settings must be a set of names and values."))
    if len(settings) > MAX_SETTINGS:
        raise VideoError(_("Give at most %(count)d generation settings.") % {"count": MAX_SETTINGS})
    for name, value in settings.items():
        if not isinstance(name, str) or not name.strip() or len(name) > 64:
            raise VideoError(_("Each generation setting needs a name of at most 64 characters."))
        if not isinstance(value, str | int | float | bool) or len(str(value)) > 1000:
            raise VideoError(
                _("The setting %(name)r must be a single value of at most 1000 characters.") % {"name": name}
            )


def _inspect_upload(upload, policy: ProgramMediaPolicy) -> media.MediaReport:
    """The quick check made while the artist waits: the container's header, not every frame."""
    try:
        return media.analyse(
            upload.temporary_file_path(),
            policy=policy,
            full=False,
            deadline=time.monotonic() + INTAKE_PROBE_SECONDS,
        )
    except media.InvalidMedia as exc:
        raise InvalidVideo(exc.message) from exc


def _check_source_key(source_key: str, program: Program, policy: ProgramMediaPolicy) -> None:
    prefix = f"{INCOMING_PREFIX}/{program.slug}/"
    if not source_key.startswith(prefix) or ".." in source_key.split("/"):
        raise VideoError(_("A source key must lie under %(prefix)r.") % {"prefix": prefix})
    size = storage.size_of(source_key)
    if size is None:
        raise InvalidVideo(_("There is no file at %(key)r.") % {"key": source_key})
    if size == 0:
        raise InvalidVideo(_("The file is empty (0 bytes)."))
    if size > policy.max_size_bytes:
        raise InvalidVideo(
            _("The file is larger than this program's limit of %(size)s.") % {"size": policy.max_size_label}
        )


# --- Processing ---------------------------------------------------------------------------------


def video_claim_processing(*, video_id: int, claim: str) -> Video | None:
    """Take the processing of a video for `claim` (the task's id), or return None: nothing to do.

    A waiting video moves to processing. A video already processing is taken only by the same task
    retrying, or when its lease ran out (the worker died). Anything else was done already.
    """
    now = timezone.now()
    with transaction.atomic():
        video = Video.objects.select_for_update().filter(pk=video_id).first()
        if video is None:
            return None
        if video.status == S.UPLOADED:
            return _transition(
                video.pk,
                to=S.PROCESSING,
                reason=Said(gettext_noop("Checking the file.")),
                changes={
                    "processing_claim": claim,
                    "processing_started_at": now,
                    "processing_attempts": video.processing_attempts + 1,
                },
            )
        lease_over = video.processing_started_at is None or video.processing_started_at < now - PROCESSING_LEASE
        if video.status == S.PROCESSING and (video.processing_claim == claim or lease_over):
            video.processing_claim, video.processing_started_at = claim, now
            video.processing_attempts += 1
            video.save(update_fields=["processing_claim", "processing_started_at", "processing_attempts"])
            return video
    return None


def video_process(*, video_id: int, claim: str) -> Video | None:
    """Probe, hash and check the file, take the poster and thumbnails, then move the video on.

    Idempotent: a second run finds nothing to claim; files are written under fixed names and replaced.
    Raises storage.TransientStorageError when storage fails, for the task to retry.
    """
    video = video_claim_processing(video_id=video_id, claim=claim)
    if video is None:
        return None
    if not video.file:
        return video_reject_invalid(
            video_id=video.pk, reason=Said(gettext_noop("No file was received for this video."))
        )
    policy = ProgramMediaPolicy.for_program(video.program)
    # An upload was hashed by the upload handler while its bytes arrived; a file dropped in through the API is
    # hashed here, while it is fetched.
    digest = None if video.sha256 else hashlib.sha256()
    try:
        with storage.local_copy(video.file.name, digest=digest) as path:
            report = media.analyse(path, policy=policy, full=True, deadline=time.monotonic() + PROCESSING_SECONDS)
            provider = provider_credentials_of(path, content_type=media_type(report.container))
        sha256 = video.sha256 or digest.hexdigest()
    except storage.MissingFile:
        return video_reject_invalid(video_id=video.pk, reason=Said(gettext_noop("The file was not found in storage.")))
    except media.InvalidMedia as exc:
        return video_reject_invalid(video_id=video.pk, reason=exc.said)
    duplicate = _find_existing(video.program, video.artist, "", sha256)
    if duplicate is not None and duplicate.pk != video.pk:
        return video_reject_invalid(
            video_id=video.pk,
            reason=Said(
                gettext_noop("This file is identical to “%(title)s”, already submitted."), title=duplicate.display_title
            ),
        )
    poster = _store_stills(video, report)
    try:
        return video_finish_processing(
            video_id=video.pk, report=report, sha256=sha256, poster=poster, provider_credentials=provider
        )
    except VideoError:
        return None  # withdrawn meanwhile, or another worker finished first: nothing more to do


def media_type(container: str) -> str | None:
    return CONTAINER_CONTENT_TYPES.get(container)


def _store_stills(video: Video, report: media.MediaReport) -> str:
    poster = storage.replace(video.storage_name("poster.jpg"), report.poster_jpeg)
    for position, (at_seconds, jpeg) in enumerate(report.thumbnails, start=1):
        name = storage.replace(video.storage_name(f"thumb-{position}.jpg"), jpeg)
        VideoThumbnail.objects.update_or_create(
            video=video, position=position, defaults={"at_seconds": at_seconds, "image": name}
        )
    return poster


def video_finish_processing(
    *, video_id: int, report: media.MediaReport, sha256: str, poster: str, provider_credentials: dict | None = None
) -> Video:
    summary = Said(
        gettext_noop("Checked: %(seconds).1f s, %(width)sx%(height)s, %(codec)s."),
        seconds=report.duration_seconds,
        width=report.width,
        height=report.height,
        codec=report.video_codec,
    )
    with transaction.atomic():
        video = _transition(
            video_id,
            to=S.PENDING_REVIEW,
            reason=summary,
            changes={
                "sha256": sha256,
                "size_bytes": report.size_bytes,
                "container": report.container,
                "duration_seconds": report.duration_seconds,
                "width": report.width,
                "height": report.height,
                "frame_rate": report.frame_rate,
                "video_codec": report.video_codec,
                "audio_codec": report.audio_codec,
                "bit_rate": report.bit_rate,
                "poster": poster,
                "provider_credentials": provider_credentials or {},
                "processing_claim": "",
                "processed_at": timezone.now(),
            },
        )
        review_open(video=video)
    return video


def video_reject_invalid(*, video_id: int, reason: Said | str, actor=None) -> Video:
    """The file is not a video this program accepts: say why, and delete its bytes."""
    with transaction.atomic():
        current = Video.objects.select_for_update().get(pk=video_id)
        names = [current.file.name, current.poster.name, *current.thumbnails.values_list("image", flat=True)]
        # A run killed after storing the poster never recorded it: delete it by its fixed name too.
        names.append(current.storage_name("poster.jpg"))
        video = _transition(
            video_id,
            to=S.REJECTED_INVALID,
            actor=actor,
            reason=reason,
            changes={
                **columns("invalid_reason", reason),
                "file": "",
                "poster": "",
                "processing_claim": "",
                "processed_at": timezone.now(),
            },
        )
        video.thumbnails.all().delete()
        transaction.on_commit(lambda: storage.delete_files(names))
    return video


def video_requeue_stalled(*, now: dt.datetime | None = None) -> int:
    """Send again the videos whose processing was lost (broker down at upload, worker killed).

    After MAX_PROCESSING_ATTEMPTS a video is rejected with a reason, so nobody waits forever.
    """
    now = now or timezone.now()
    stale = Video.objects.filter(status=S.PROCESSING, processing_started_at__lt=now - PROCESSING_LEASE)
    for video_id in stale.filter(processing_attempts__gte=MAX_PROCESSING_ATTEMPTS).values_list("pk", flat=True):
        with batch_item("reject unprocessable videos", video_id):
            video_reject_invalid(
                video_id=video_id,
                reason=Said(
                    gettext_noop(
                        "We could not process this file after %(attempts)d attempts. "
                        "Please upload it again; if this happens again, tell the program staff."
                    ),
                    attempts=MAX_PROCESSING_ATTEMPTS,
                ),
            )
    waiting = Video.objects.filter(status=S.UPLOADED, created_at__lt=now - UNSENT_AFTER)
    video_ids = [*waiting.values_list("pk", flat=True), *stale.values_list("pk", flat=True)]
    return each_in_own_transaction("requeue stalled videos", video_ids, _enqueue_processing).done


# --- The artist ---------------------------------------------------------------------------------


def video_withdraw(*, video: Video, actor, reason: str = "") -> Video:
    """The artist takes a video back. Its files stay private; nothing can publish it any more."""
    if actor is None or actor.pk != video.artist_id:
        raise VideoError(_("Only the artist who made a video can withdraw it."))
    return _transition(
        video.pk, to=S.WITHDRAWN, actor=actor, reason=reason.strip() or Said(gettext_noop("Withdrawn by the artist."))
    )


def video_consent(video: Video) -> list[dict]:
    """For each use (training, marketing, showcase): whether this video may be used so, and whether that comes
    from the video's own choice or from the artist's program consent. Later issues ask this before any use."""
    defaults = current_consent(video.artist, video.program).choices()
    rows = []
    for purpose, (label, _description) in CONSENT_PURPOSES.items():
        override = getattr(video, f"consent_{purpose}")
        rows.append(
            {
                "purpose": purpose,
                "label": label,
                "allowed": defaults[purpose] if override is None else override,
                "overridden": override is not None,
                "program_default": defaults[purpose],
            }
        )
    return rows


def video_can_withdraw(*, video: Video, user) -> bool:
    return user.is_authenticated and user.pk == video.artist_id and video.status in Video.WITHDRAWABLE
