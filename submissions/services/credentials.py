"""Signing published videos with Content Credentials, and keeping them true to the consent ledger.

The signing runs in the worker after publication (tasks.credentials), never while the artist waits. Each signing
starts from the file as received, so the portal's manifest never wraps an older one of its own; the provider's
manifest, where the file had one, goes in as an ingredient. A video is signed again when what its manifest would
state changes (the artist's training consent, their public credit): the sweep notices, and the history keeps
every signing with its claims and the hash of its copy.
"""

import functools
import logging
import secrets
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from c2pa import C2paError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_noop

from core import lifecycle
from core.batch import each_in_own_transaction
from core.recorded import Said
from programs.selectors.consent import current_consent
from submissions import credentials, storage
from submissions.credentials.assets import sign_file
from submissions.credentials.keys import signing_material
from submissions.credentials.manifest import claims_for, manifest_from
from submissions.models import Video, VideoSigning
from submissions.services.videos import video_consent

S = Video.Status
PROVIDER_KEPT, PROVIDER_INVALID, PROVIDER_NONE = "kept as an ingredient", "invalid: not carried", "none"
logger = logging.getLogger(__name__)
SIGNING_SECONDS = 220  # the task's soft limit; the video queue allows 240


def credentials_claims(video: Video) -> dict | None:
    """What a signing of `video` would state now, or None when it is not to be signed (not published, or a
    container that cannot carry a manifest)."""
    if video.status != S.PUBLISHED or not video.file or video.content_type not in credentials.SIGNABLE_TYPES:
        return None
    training = next(row for row in video_consent(video) if row["purpose"] == "training")
    record = current_consent(video.artist, video.program).record
    return claims_for(
        video,
        training_allowed=training["allowed"],
        training_from_video=training["overridden"],
        consent_version=record.version if record else None,
    )


def credentials_due(video: Video) -> bool:
    """Whether the published copy must be signed (again): what its manifest would state differs from its newest
    signing's. A consent change that leaves the training answer as it was (marketing, say) changes nothing signed."""
    claims = credentials_claims(video)
    latest = video.signings.first()
    return claims is not None and (latest is None or latest.manifest != manifest_from(claims))


def credentials_sign(*, video_id: int, requested_by=None) -> VideoSigning | None:
    """Sign the published copy of a video when its claims differ from its newest signing (else do nothing).

    Idempotent: a second run finds the claims signed already; two runs at once record one signing, and the
    loser's file is deleted. Raises storage.TransientStorageError for the task to retry.
    """
    video = Video.objects.select_related("program", "artist").filter(pk=video_id).first()
    if video is None or not credentials_due(video):
        return None
    claims = credentials_claims(video)
    latest = video.signings.first()
    number = latest.number + 1 if latest else 1
    stored, signed = _sign_copy(video, claims, number)
    with transaction.atomic():
        Video.objects.select_for_update().get(pk=video.pk)
        if VideoSigning.objects.filter(video=video, number__gte=number).exists():
            transaction.on_commit(lambda: storage.delete_files([stored]))
            return None
        signing = VideoSigning.objects.create(
            video=video,
            number=number,
            reason=VideoSigning.Reason.PUBLICATION if number == 1 else VideoSigning.Reason.CHANGE,
            requested_by=requested_by,
            file=stored,
            **signed,
        )
        lifecycle.note(video, actor=requested_by, reason=_history_reason(signing))
    return signing


def _sign_copy(video: Video, claims: dict, number: int) -> tuple[str, dict]:
    material = signing_material()
    manifest = manifest_from(claims)
    with storage.local_copy(video.file.name) as source, tempfile.TemporaryDirectory(prefix="glasshouse-") as folder:
        target = str(Path(folder) / f"signed.{video.container}")
        started = time.perf_counter()
        provider = _sign_keeping_provider_manifest(video, source, target, manifest, material)
        seconds = time.perf_counter() - started
        sha256, size = storage.sha256_of(target), Path(target).stat().st_size
        # A name of its own: of two runs at once, the one that loses deletes its copy and never the winner's.
        leaf = f"signed-{number}-{secrets.token_hex(4)}.{video.container}"
        stored = storage.replace_from_path(video.storage_name(leaf), target)
    return stored, {
        "claims": {**claims, "provider_manifest": provider},
        "manifest": manifest,
        "sha256": sha256,
        "size_bytes": size,
        "signer": material.signer_certificate.subject.rfc4514_string()[:255],
        "demo_signer": material.is_demo,
        "signing_seconds": Decimal(f"{seconds:.3f}"),
    }


def _sign_keeping_provider_manifest(video: Video, source: str, target: str, manifest: dict, material) -> str:
    """Sign, with the provider's manifest as an ingredient where the received file had a valid one. An invalid
    one cannot be carried (the library refuses it): the copy is signed without it, and the video's provenance
    keeps what it said and why it failed. Returns what became of the provider's manifest."""
    recorded = video.provider_credentials or credentials.provider_credentials_of(
        source, content_type=video.content_type
    )
    state = recorded.get("state")
    sign = functools.partial(
        sign_file, source=source, target=target, content_type=video.content_type, manifest=manifest, material=material
    )
    if state in (credentials.VALID, credentials.TRUSTED):
        try:
            sign(ingredient=True)
            return PROVIDER_KEPT
        except C2paError:
            logger.warning("Video %s: the provider's manifest could not be kept as an ingredient", video.pk)
    sign(ingredient=False)
    return PROVIDER_INVALID if state in (credentials.VALID, credentials.TRUSTED, credentials.INVALID) else PROVIDER_NONE


def _history_reason(signing: VideoSigning) -> Said:
    allowed = signing.training_allowed
    if signing.reason == VideoSigning.Reason.PUBLICATION:
        if allowed:
            return Said(gettext_noop("Published copy signed with Content Credentials (model training: allowed)."))
        return Said(gettext_noop("Published copy signed with Content Credentials (model training: not allowed)."))
    if allowed:
        return Said(
            gettext_noop("Published copy signed again (signing %(n)s): model training allowed."), n=signing.number
        )
    return Said(
        gettext_noop("Published copy signed again (signing %(n)s): model training not allowed."), n=signing.number
    )


def credentials_resign_due() -> int:
    """Every few minutes (beat): queue a signing for each published video whose credentials no longer state what
    the records say (a consent change, a new public credit, or a signing lost with its worker)."""
    from submissions.tasks.credentials import sign_video_credentials  # the task module imports this one

    published = Video.objects.filter(status=S.PUBLISHED).filter(~Q(file="")).select_related("program", "artist")
    due = [video.pk for video in published if credentials_due(video)]
    return each_in_own_transaction("re-sign content credentials", due, sign_video_credentials.delay_on_commit).done


def current_signing(video: Video) -> VideoSigning | None:
    return video.signings.first()
