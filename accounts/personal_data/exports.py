"""A person's data exports: requested on their page, built by a Celery task, kept for 24 hours.

queued -> building -> ready -> expired, or building -> failed (DataExport.MOVES). One function per transition; each
moves the row through core.lifecycle, conditionally on the task's claim, so a retried or duplicated task never builds
twice.
"""

import datetime as dt
import logging
import tempfile
from functools import partial

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import DataExport, export_storage_name
from accounts.personal_data.archive import write_archive
from core import lifecycle
from core.batch import batch_item, each_in_own_transaction
from core.errors import DomainError
from portal.models import User
from submissions.storage import TransientStorageError, delete_files, sha256_of_file

logger = logging.getLogger(__name__)
S = DataExport.Status

KEPT_FOR = dt.timedelta(hours=24)
BUILD_SECONDS = 15 * 60  # the task's soft time limit
BUILD_LEASE = dt.timedelta(minutes=30)  # a build older than this lost its worker
QUEUE_GRACE = dt.timedelta(minutes=5)  # a queued export older than this lost its message (broker down)
ARCHIVE_NAME = "glasshouse-data.zip"
FAILED_MESSAGE = "Something went wrong while preparing your export. Prepare a new one; if it fails again, tell us."
STALLED_MESSAGE = "Preparing your export took far longer than it should. Prepare a new one."


class ExportError(DomainError):
    pass


def discard_files(names: list[str]) -> None:
    """Delete files after commit, best effort: a storage hiccup is logged, never undoes what was recorded."""
    try:
        delete_files(names)
    except TransientStorageError:
        logger.warning("Could not delete %s", names, exc_info=True)


def _enqueue(export_id: int) -> None:
    from accounts.tasks import build_data_export  # the task module imports this one

    build_data_export.delay_on_commit(export_id)


def export_request(*, user: User) -> tuple[DataExport, bool]:
    """Start preparing an export of everything about `user`. Returns (export, started).

    While one is queued or being prepared, that one is returned and nothing new starts (a double click, two tabs).
    """
    if not user.is_active or user.is_deleted:
        raise ExportError(gettext("This account cannot prepare exports."))
    under_way = DataExport.objects.filter(user=user, status__in=DataExport.IN_PROGRESS).first()
    if under_way is not None:
        return under_way, False
    try:
        with transaction.atomic():
            export = DataExport.objects.create(user=user)
    except IntegrityError:  # a concurrent request won the race (the one_export_under_way constraint)
        return DataExport.objects.get(user=user, status__in=DataExport.IN_PROGRESS), False
    _enqueue(export.pk)
    return export, True


def export_claim(*, export_id: int, claim: str) -> DataExport | None:
    """Take the building of an export for `claim` (the task's id), or None: someone else has it, or it is done."""
    with transaction.atomic():
        export = DataExport.objects.select_for_update().select_related("user").filter(pk=export_id).first()
        if export is None:
            return None
        if export.status == S.QUEUED or (export.status == S.BUILDING and export.claim == claim):
            changes = {"claim": claim, "started_at": timezone.now(), "progress": 0, "stage": "Starting"}
            return lifecycle.move(export, S.BUILDING, changes=changes)
    return None


def export_progress(*, export_id: int, claim: str, percent: int, stage: str) -> None:
    """Record how far the build is (100 is reserved for ready)."""
    DataExport.objects.filter(pk=export_id, status=S.BUILDING, claim=claim).update(
        progress=max(0, min(percent, 99)), stage=stage[:120]
    )


def export_finish(*, export_id: int, claim: str, archive: File, size: int, sha256: str) -> DataExport | None:
    """Store the built ZIP and make it downloadable for KEPT_FOR. None when the export went away meanwhile."""
    export = DataExport.objects.filter(pk=export_id, status=S.BUILDING, claim=claim).first()
    if export is None:
        return None
    name = default_storage.save(export_storage_name(export, ARCHIVE_NAME), archive)
    now = timezone.now()
    finished = lifecycle.move(
        export, S.READY, when={"status": S.BUILDING, "claim": claim},
        changes={"file": name, "size_bytes": size, "sha256": sha256, "progress": 100, "stage": "", "ready_at": now,
                 "expires_at": now + KEPT_FOR},
    )  # fmt: skip
    if finished is None:  # the account was deleted, or the build given up, while the file was being stored
        discard_files([name])
        return None
    return DataExport.objects.get(pk=export_id)


def export_fail(*, export_id: int, claim: str, error: str) -> None:
    if (export := DataExport.objects.filter(pk=export_id).first()) is not None:
        changes = {"error": error, "failed_at": timezone.now(), "stage": ""}
        lifecycle.move(export, S.FAILED, when={"status": S.BUILDING, "claim": claim}, changes=changes)


def export_build(*, export_id: int, claim: str) -> DataExport | None:
    """Claim, write the ZIP into a temporary file (reporting progress), store it, mark it ready.

    Idempotent: a second run finds nothing to claim. A failure is recorded on the export for the person to see.
    """
    export = export_claim(export_id=export_id, claim=claim)
    if export is None:
        return None
    report = partial(_report_progress, export_id, claim)
    try:
        with tempfile.TemporaryFile(prefix="glasshouse-export-") as target:
            write_archive(export.user, target, progress=report)
            size, sha256 = target.tell(), _sha256(target)
            return export_finish(
                export_id=export_id, claim=claim, archive=File(target, name=ARCHIVE_NAME), size=size, sha256=sha256
            )
    except Exception:  # including the task's soft time limit: the person is told, the error is logged
        logger.exception("Building data export %s failed", export_id)
        export_fail(export_id=export_id, claim=claim, error=FAILED_MESSAGE)
        return None


def _report_progress(export_id: int, claim: str, percent: int, stage: str) -> None:
    export_progress(export_id=export_id, claim=claim, percent=percent, stage=stage)


def _sha256(target) -> str:
    target.seek(0)
    digest = sha256_of_file(target)
    target.seek(0)
    return digest


def exports_expire(*, now: dt.datetime | None = None) -> int:
    """Ready exports past their 24 hours become expired, and their files are deleted."""
    now = now or timezone.now()
    expired = 0
    for export in list(DataExport.objects.filter(status=S.READY, expires_at__lte=now).only("pk", "file")):
        with batch_item("expire data exports", export.pk):
            name = export.file.name
            changes = {"expired_at": now, "file": ""}
            if lifecycle.move(export, S.EXPIRED, when={"status": S.READY}, changes=changes):
                transaction.on_commit(partial(discard_files, [name]))
                expired += 1
    return expired


def exports_fail_stalled(*, now: dt.datetime | None = None) -> int:
    """Builds whose worker died (well past the task's time limit) fail with a message, so nobody waits forever."""
    now = now or timezone.now()
    stalled = {"status": S.BUILDING, "started_at__lt": now - BUILD_LEASE}
    changes = {"error": STALLED_MESSAGE, "failed_at": now, "stage": ""}
    moved = [
        lifecycle.move(export, S.FAILED, when=stalled, changes=changes)
        for export in list(DataExport.objects.filter(**stalled))
    ]
    return sum(export is not None for export in moved)


def exports_requeue_waiting(*, now: dt.datetime | None = None) -> int:
    """Send again the exports whose task message was lost (the claim keeps a duplicate from building twice)."""
    now = now or timezone.now()
    waiting = list(
        DataExport.objects.filter(status=S.QUEUED, created_at__lt=now - QUEUE_GRACE).values_list("pk", flat=True)
    )
    return each_in_own_transaction("requeue data exports", waiting, _enqueue).done


def export_delete_all(*, user: User) -> list[str]:
    """Delete every export of `user` (account deletion); returns the file names, deleted after commit."""
    names = [name for name in DataExport.objects.filter(user=user).values_list("file", flat=True) if name]
    DataExport.objects.filter(user=user).delete()
    transaction.on_commit(partial(discard_files, names))
    return names
