"""Direct uploads: the browser sends a master to the bucket in parts; the portal signs, checks and takes it in.

start (limits checked, key chosen here) -> sign each request the browser makes to the bucket -> complete (size by
HEAD and type by the first bytes, from the stored object) -> process in the video worker (SHA-256 streamed from
the bucket, then the same intake as a streamed upload) -> processed, or rejected with the object deleted.
Every status change goes through core.lifecycle (DirectUpload.MOVES); every function is safe to call twice.
"""

import contextlib
import datetime as dt
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import lifecycle
from core.batch import batch_item, each_in_own_transaction
from core.errors import DomainError, TransitionRefused
from core.recorded import Said, Size, columns
from programs.access import contributing_enrolment
from programs.models import Enrolment
from submissions import bucket, media, storage
from submissions.models import DirectUpload, ProgramMediaPolicy, Video
from submissions.models.direct_uploads import DIRECT_UPLOAD_PREFIX
from submissions.models.videos import CONTAINER_CONTENT_TYPES
from submissions.services import videos as video_services

S = DirectUpload.Status
MAX_PARTS = 10_000  # S3's own ceiling
LOST_PROCESSING_AFTER = dt.timedelta(minutes=10)  # a completed upload not taken in by then: its task was lost
MAX_PROCESSING_ATTEMPTS = 3
MAX_FILENAME = 255


class DirectUploadError(DomainError):
    """A direct upload rule said no."""


class DirectUploadMoveRefused(TransitionRefused, DirectUploadError):
    pass


def _move(
    upload: DirectUpload, to: str, *, reason: Said | str, actor=None, changes: dict | None = None
) -> DirectUpload:
    return lifecycle.move(upload, to, actor=actor, reason=reason, changes=changes, refusal=DirectUploadMoveRefused)


def size_limit(policy: ProgramMediaPolicy) -> int:
    return min(policy.max_size_bytes, settings.UPLOAD_MAX_BYTES)


def _limit_label(policy: ProgramMediaPolicy) -> str:
    return filesizeformat(size_limit(policy)).replace("\xa0", " ")


# --- Start ---------------------------------------------------------------------------------------


def direct_upload_start(
    *,
    enrolment: Enrolment,
    actor,
    filename: str,
    size: int,
    content_type: str,
    last_modified: int,
    provenance: video_services.Provenance,
    replaces: Video | None = None,
) -> tuple[DirectUpload, bool]:
    """Open a multipart upload in the bucket for this file, or return the artist's open one for the same file
    (same program, name, size and modification time: a reload, a second click). Returns (upload, created)."""
    if not bucket.available():
        raise DirectUploadError(_("Direct uploads need the S3 storage; send the file through the form."))
    if actor.pk != enrolment.user_id or contributing_enrolment(actor, enrolment.program) is None:
        raise DirectUploadError(_("You cannot send videos to this program at the moment."))
    filename = (filename or "").strip()[:MAX_FILENAME] or "video"
    policy = ProgramMediaPolicy.for_program(enrolment.program)
    _check_declared(size=size, content_type=content_type, policy=policy)
    video_services.check_provenance(provenance)
    same_file = DirectUpload.objects.filter(
        artist=actor, program=enrolment.program, status=S.STARTED, original_filename=filename,
        declared_size=size, file_last_modified=last_modified,
    )  # fmt: skip
    if (open_upload := same_file.first()) is not None:
        return open_upload, False
    public_id = uuid.uuid4()
    key = f"{DIRECT_UPLOAD_PREFIX}/{public_id.hex}/master"
    upload_id = bucket.multipart_create(key, content_type)
    part_size = max(settings.DIRECT_UPLOAD_PART_BYTES, -(-size // MAX_PARTS))
    try:
        with transaction.atomic():
            upload = DirectUpload.objects.create(
                public_id=public_id, program=enrolment.program, enrolment=enrolment, artist=actor, key=key,
                s3_upload_id=upload_id, part_size=part_size, original_filename=filename, declared_size=size,
                declared_content_type=content_type, file_last_modified=last_modified,
                provenance=provenance.as_json(), replaces=replaces,
            )  # fmt: skip
            lifecycle.start(upload, actor=actor, reason=Said(gettext_noop("Upload to the bucket started.")))
    except IntegrityError:  # the same file was started meanwhile (a double click): that one goes on
        bucket.multipart_abort(key, upload_id)
        return same_file.get(), False
    return upload, True


def _check_declared(*, size: int, content_type: str, policy: ProgramMediaPolicy) -> None:
    if size <= 0:
        raise DirectUploadError(_("The file is empty (0 bytes)."))
    if size > size_limit(policy):
        raise DirectUploadError(
            _("The file is larger than this program's limit of %(limit)s.") % {"limit": _limit_label(policy)}
        )
    accepted = {CONTAINER_CONTENT_TYPES[name] for name in policy.accepted_containers if name in CONTAINER_CONTENT_TYPES}
    if content_type not in accepted:
        raise DirectUploadError(
            _("This program accepts %(types)s videos; this file is %(type)s.")
            % {"types": policy.accepted_containers_label, "type": content_type or _("of an unknown type")}
        )


# --- Signing the browser's requests to the bucket ----------------------------------------------------


def direct_upload_sign(*, upload: DirectUpload, actor, operation: str, part_number: int | None = None) -> str:
    """A presigned URL for one request of this upload: a part (numbered within the declared size), the list of
    parts (to resume), the completion or the abort. Only for the artist's own upload while it is open."""
    _check_owner(upload, actor)
    if not upload.is_open:
        raise DirectUploadError(
            _("This upload is %(state)s: start a new one.") % {"state": upload.get_status_display().lower()}
        )
    if operation not in bucket.OPERATIONS:
        raise DirectUploadError(_("Unknown request to the bucket."))
    if operation == "upload_part":
        if part_number is None or not 1 <= part_number <= upload.part_count:
            raise DirectUploadError(
                _("Part numbers run from 1 to %(count)s for this file.") % {"count": upload.part_count}
            )
    else:
        part_number = None
    return bucket.presign(operation, upload.key, upload.s3_upload_id, part_number)


def _check_owner(upload: DirectUpload, actor) -> None:
    if actor is None or actor.pk != upload.artist_id:
        raise DirectUploadError(_("Only the artist who started an upload can continue it."))


# --- Complete: check the stored object, then hand it to the worker ---------------------------------------


def direct_upload_complete(*, upload: DirectUpload, actor) -> DirectUpload:
    """The browser has completed the multipart upload: check size (HEAD) and type (first bytes) from the stored
    object and queue its processing. Twice is harmless: a completed or finished upload is returned as it is."""
    _check_owner(upload, actor)
    if not upload.is_open:
        return upload
    size = bucket.size_of(upload.key)
    if size is None:
        raise DirectUploadError(_("The bucket has not received the whole file yet; the upload goes on."))
    policy = ProgramMediaPolicy.for_program(upload.program)
    problem, container = _check_stored(upload, size, policy)
    if problem:
        return _reject(upload.pk, reason=problem, actor=actor)
    with transaction.atomic():
        upload = _move(
            upload,
            S.COMPLETED,
            actor=actor,
            reason=Said(gettext_noop("Received: %(size)s."), size=Size(size)),
            changes={"container": container},
        )
        _enqueue_processing(upload.pk)
    return upload


def _check_stored(upload: DirectUpload, size: int, policy: ProgramMediaPolicy) -> tuple[Said | None, str]:
    """(what is wrong with the stored object, or None, and its container)."""
    if size > size_limit(policy):
        limit = Size(size_limit(policy))
        return Said(gettext_noop("The file is larger than this program's limit of %(limit)s."), limit=limit), ""
    if size != upload.declared_size:
        return Said(
            gettext_noop("The bucket holds %(got)s bytes where the file had %(declared)s: upload it again."),
            got=size,
            declared=upload.declared_size,
        ), ""
    head = bucket.first_bytes(upload.key)
    container = media.sniff_container(head)
    if container is None:
        return media.describe_non_video(head), ""
    if container not in policy.accepted_containers:
        return Said(
            gettext_noop("This program accepts %(types)s videos; this file is %(type)s."),
            types=policy.accepted_containers_label,
            type=container,
        ), ""
    return None, container


def _enqueue_processing(upload_id: int) -> None:
    from submissions.tasks.videos import process_direct_upload  # the task module imports this one

    process_direct_upload.delay_on_commit(upload_id)


def _reject(upload_id: int, *, reason: Said | str, actor=None, video: Video | None = None) -> DirectUpload:
    """Refuse the upload with `reason` and delete its object (never half-kept)."""
    with transaction.atomic():
        upload = DirectUpload.objects.select_for_update().get(pk=upload_id)
        if upload.status not in (S.STARTED, S.COMPLETED):
            return upload
        changes = {**columns("reason", reason), "video": video}
        upload = _move(upload, S.REJECTED, actor=actor, reason=reason, changes=changes)
        key, upload_id_at_bucket, keep = upload.key, upload.s3_upload_id, _kept_by_a_video(upload.key)
        transaction.on_commit(lambda: _remove_object(key, upload_id_at_bucket, keep=keep))
    return upload


def _kept_by_a_video(key: str) -> bool:
    return Video.objects.filter(file=key).exists()


def _remove_object(key: str, upload_id: str, *, keep: bool = False) -> None:
    bucket.multipart_abort(key, upload_id)
    if not keep:
        storage.delete_files([key])


# --- Processing (the video worker) -----------------------------------------------------------------------


def direct_upload_process(*, upload_id: int) -> DirectUpload | None:
    """Hash the stored object by streaming it from the bucket, then take it in as a video (duplicates, provenance,
    review as for any upload). Idempotent: an upload that is not waiting for this is left alone."""
    with transaction.atomic():
        upload = DirectUpload.objects.select_for_update().filter(pk=upload_id, status=S.COMPLETED).first()
        if upload is None:
            return None
        upload.processing_attempts += 1
        upload.save(update_fields=["processing_attempts"])
    try:
        sha256, size = bucket.sha256_and_size(upload.key)
    except storage.MissingFile:
        return _reject(upload.pk, reason=Said(gettext_noop("The file was no longer in the bucket: upload it again.")))
    if size != upload.declared_size:
        changed = Said(gettext_noop("The stored file changed size while it was checked: upload it again."))
        return _reject(upload.pk, reason=changed)
    return _take_in(upload, sha256=sha256, size=size)


def _take_in(upload: DirectUpload, *, sha256: str, size: int) -> DirectUpload:
    stored = video_services.StoredFile(
        key=upload.key, name=upload.original_filename, sha256=sha256, size=size, container=upload.container
    )
    try:
        video, created = video_services.video_create(
            enrolment=upload.enrolment,
            actor=upload.artist,
            source=Video.Source.UPLOAD,
            provenance=video_services.Provenance(**upload.provenance),
            stored=stored,
        )
    except video_services.VideoError as exc:
        return _reject(upload.pk, reason=exc.message)
    if not created and video.file.name != upload.key:
        reason = Said(gettext_noop("You had already sent this exact file: “%(title)s”."), title=video.display_title)
        return _reject(upload.pk, reason=reason, video=video)
    with transaction.atomic():
        upload = _move(
            DirectUpload.objects.get(pk=upload.pk),
            S.PROCESSED,
            reason=Said(gettext_noop("Taken in as video #%(id)s."), id=video.pk),
            changes={"video": video, "sha256": sha256},
        )
    if created and upload.replaces is not None:
        _link_new_version(video, upload)
    return upload


def _link_new_version(video: Video, upload: DirectUpload) -> None:
    from submissions.services.approvals import ReviewError, review_link_new_version

    # The old video may have moved on meanwhile (withdrawn, decided): the new one then stands on its own.
    with contextlib.suppress(ReviewError):
        review_link_new_version(new_video=video, old_video=upload.replaces, artist=upload.artist)


# --- The artist cancels; the scheduled sweep ---------------------------------------------------------------


def direct_upload_abort(*, upload: DirectUpload, actor) -> DirectUpload:
    """The artist cancels an upload in progress: the bucket drops its parts. Twice is harmless."""
    _check_owner(upload, actor)
    with transaction.atomic():
        current = DirectUpload.objects.select_for_update().get(pk=upload.pk)
        if not current.is_open:
            return current
        current = _move(current, S.ABORTED, actor=actor, reason=Said(gettext_noop("Cancelled by the artist.")))
        key, upload_id = current.key, current.s3_upload_id
        transaction.on_commit(lambda: _remove_object(key, upload_id))
    return current


def direct_uploads_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Expire uploads left unfinished past DIRECT_UPLOAD_MAX_AGE_HOURS (their parts removed), abort multipart
    uploads the bucket holds with no open upload behind them, and send lost processing again."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=settings.DIRECT_UPLOAD_MAX_AGE_HOURS)
    stale = DirectUpload.objects.filter(status=S.STARTED, created_at__lt=cutoff).values_list("pk", flat=True)
    expired = each_in_own_transaction("expire direct uploads", list(stale), _expire).done
    orphans = _abort_orphans(cutoff) if bucket.available() else 0
    lost = DirectUpload.objects.filter(status=S.COMPLETED, status_changed_at__lt=now - LOST_PROCESSING_AFTER)
    for upload_id in lost.filter(processing_attempts__gte=MAX_PROCESSING_ATTEMPTS).values_list("pk", flat=True):
        with batch_item("reject unprocessable direct uploads", upload_id):
            again = Said(gettext_noop("We could not check this file after several attempts: upload it again."))
            _reject(upload_id, reason=again)
    requeued = each_in_own_transaction("requeue direct uploads", list(lost.values_list("pk", flat=True)),
                                       _enqueue_processing).done  # fmt: skip
    return {"expired": expired, "orphans": orphans, "requeued": requeued}


def _expire(upload_id: int) -> None:
    upload = DirectUpload.objects.select_for_update().get(pk=upload_id)
    if upload.status != S.STARTED:
        return
    hours = settings.DIRECT_UPLOAD_MAX_AGE_HOURS
    _move(
        upload,
        S.EXPIRED,
        reason=Said(gettext_noop("Left unfinished for %(hours)s hours; its parts were removed."), hours=hours),
    )
    key, upload_id_at_bucket = upload.key, upload.s3_upload_id
    transaction.on_commit(lambda: _remove_object(key, upload_id_at_bucket))


def _abort_orphans(cutoff: dt.datetime) -> int:
    open_ids = set(DirectUpload.objects.filter(status=S.STARTED).values_list("s3_upload_id", flat=True))
    aborted = 0
    for key, upload_id in bucket.multipart_uploads_before(DIRECT_UPLOAD_PREFIX + "/", cutoff):
        if upload_id not in open_ids:
            bucket.multipart_abort(key, upload_id)
            aborted += 1
    return aborted
