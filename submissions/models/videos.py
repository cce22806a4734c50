"""Generated videos: the file, where it came from (provenance), what processing found, and its history.

A video's status changes only through submissions.services.videos; every change writes a VideoEvent.
Files live in private storage under server-chosen names (videos/<public id>/...), never the user's filename.
"""

import datetime as dt
import hashlib
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.history import HistoryEvent
from core.recorded import said_column, shown
from programs.models import Enrolment, Program, ProgramRole

MiB = 1024 * 1024
PROCESSING_STALLED_AFTER = dt.timedelta(minutes=5)

# What sniffing a file's first bytes can tell (see submissions.media.sniff_container).
CONTAINER_LABELS = {"mp4": "MP4", "mov": "QuickTime MOV", "webm": "WebM", "mkv": "Matroska MKV"}
CONTAINER_CONTENT_TYPES = {
    "mp4": "video/mp4",
    "mov": "video/quicktime",
    "webm": "video/webm",
    "mkv": "video/x-matroska",
}


def video_media_path(instance, filename: str) -> str:
    """Storage name for a video's file, poster or thumbnail. `filename` is always chosen by the server."""
    video = getattr(instance, "video", instance)
    return video.storage_name(filename)


def default_containers() -> list[str]:
    return ["mp4", "mov", "webm"]


def default_video_codecs() -> list[str]:
    return ["h264", "hevc", "vp8", "vp9", "av1"]


def default_audio_codecs() -> list[str]:
    return ["aac", "mp3", "opus", "vorbis"]


class ProgramMediaPolicy(models.Model):
    """What a program accepts. A program without a row uses these defaults (see `for_program`)."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="media_policy")
    max_duration_seconds = models.PositiveIntegerField(default=20)
    max_width = models.PositiveIntegerField(default=1920, help_text=_("Of the longer side; portrait is fine."))
    max_height = models.PositiveIntegerField(default=1080, help_text=_("Of the shorter side."))
    max_size_bytes = models.PositiveBigIntegerField(default=200 * MiB)
    accepted_containers = models.JSONField(
        default=default_containers, help_text=format_lazy("{} {}", _("Any of:"), ", ".join(CONTAINER_LABELS))
    )
    accepted_video_codecs = models.JSONField(default=default_video_codecs)
    accepted_audio_codecs = models.JSONField(
        default=default_audio_codecs, help_text=_("A silent video is always fine.")
    )

    class Meta:
        verbose_name = _("program media policy")
        verbose_name_plural = _("program media policies")

    def __str__(self) -> str:
        return _("Media policy of %(program)s") % {"program": self.program}

    def clean(self) -> None:
        unknown = [name for name in self.accepted_containers or [] if name not in CONTAINER_LABELS]
        if unknown or not self.accepted_containers:
            raise ValidationError(
                {"accepted_containers": _("Choose among %(names)s.") % {"names": ", ".join(CONTAINER_LABELS)}}
            )
        if not self.accepted_video_codecs:
            raise ValidationError({"accepted_video_codecs": _("Accept at least one video codec.")})

    @classmethod
    def for_program(cls, program: Program) -> "ProgramMediaPolicy":
        return cls.objects.filter(program=program).first() or cls(program=program)

    @property
    def max_size_label(self) -> str:
        return filesizeformat(self.max_size_bytes).replace("\xa0", " ")

    @property
    def accepted_containers_label(self) -> str:
        return ", ".join(CONTAINER_LABELS.get(name, name) for name in self.accepted_containers)


class VideoStatus(models.TextChoices):
    """The whole lifecycle (the approval issue implements the states after pending_review)."""

    UPLOADED = "uploaded", _("Uploaded")
    PROCESSING = "processing", _("Processing")
    PENDING_REVIEW = "pending_review", _("Waiting for review")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    REJECTED = "rejected", _("Rejected")
    APPEALED = "appealed", _("Appealed")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REJECTED_INVALID = "rejected_invalid", _("Not a valid video")


class VideoQuerySet(models.QuerySet):
    def visible_to(self, user) -> "VideoQuerySet":
        """Videos `user` may see: their own, and every video of a program where they review or are staff."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        role_programs = ProgramRole.objects.filter(
            user=user, role__in=[ProgramRole.Role.REVIEWER, ProgramRole.Role.STAFF]
        ).values("program")
        return self.filter(Q(artist=user) | Q(program__in=role_programs))


class Video(models.Model):
    """One generated video, from intake to (in the approval issue) publication."""

    Status = VideoStatus

    # The whole lifecycle, source -> targets. The artist may withdraw at any point before publication. Approval is
    # permission, not an obligation: only the artist publishes; republishing is for the artist after their own
    # unpublishing (services.approvals refuses it after staff took a video down). From appealed, an overturned
    # rejection reopens the review at its step (ReviewPolicy.after_overturned_appeal).
    MOVES = {
        "": {Status.UPLOADED},
        Status.UPLOADED: {Status.PROCESSING, Status.REJECTED_INVALID, Status.WITHDRAWN},
        Status.PROCESSING: {Status.PENDING_REVIEW, Status.REJECTED_INVALID, Status.WITHDRAWN},
        Status.PENDING_REVIEW: {
            Status.IN_REVIEW, Status.APPROVED, Status.CHANGES_REQUESTED, Status.REJECTED, Status.WITHDRAWN,
        },
        Status.IN_REVIEW: {Status.APPROVED, Status.CHANGES_REQUESTED, Status.REJECTED, Status.WITHDRAWN},
        Status.APPROVED: {Status.PUBLISHED, Status.WITHDRAWN},
        Status.CHANGES_REQUESTED: {Status.WITHDRAWN},
        Status.REJECTED: {Status.APPEALED, Status.WITHDRAWN},
        Status.APPEALED: {Status.PENDING_REVIEW, Status.APPROVED, Status.REJECTED, Status.WITHDRAWN},
        Status.PUBLISHED: {Status.UNPUBLISHED},
        Status.UNPUBLISHED: {Status.PUBLISHED},
    }  # fmt: skip
    IN_QUEUE = (Status.PENDING_REVIEW, Status.IN_REVIEW)  # waiting for a reviewer
    WITHDRAWABLE = frozenset(source for source, targets in MOVES.items() if VideoStatus.WITHDRAWN in targets)

    class Source(models.TextChoices):
        UPLOAD = "upload", _("Uploaded by the artist")
        API = "api", _("Sent by the generation service")
        STUDIO = "studio", _("Generated in the studio")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="videos")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="videos")
    artist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="videos")
    title = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPLOADED)
    source = models.CharField(max_length=10, choices=Source.choices)
    api_key = models.ForeignKey(
        "submissions.ApiKey", on_delete=models.PROTECT, null=True, blank=True, related_name="videos"
    )
    external_id = models.CharField(
        max_length=200, blank=True, help_text=_("The generation service's own id; unique within a program.")
    )

    # Provenance: how the video was made.
    prompt = models.TextField()
    negative_prompt = models.TextField(blank=True, default="", db_default="")  # raw INSERTs (benchmarks) omit it
    model_name = models.CharField(max_length=120)
    model_version = models.CharField(max_length=60, blank=True)
    generation_settings = models.JSONField(default=dict, blank=True)
    notes = models.TextField(blank=True)

    # Per-video consent overrides: None means "the artist's program default".
    consent_training = models.BooleanField(null=True, blank=True)
    consent_marketing = models.BooleanField(null=True, blank=True)
    consent_showcase = models.BooleanField(null=True, blank=True)

    # Media, under server-chosen names. The user's filename is kept only to show it back to them.
    file = models.FileField(upload_to=video_media_path, max_length=255, blank=True)
    poster = models.FileField(upload_to=video_media_path, max_length=255, blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)

    # What probing found.
    container = models.CharField(max_length=10, blank=True)
    duration_seconds = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    frame_rate = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    video_codec = models.CharField(max_length=32, blank=True)
    audio_codec = models.CharField(max_length=32, blank=True)
    bit_rate = models.PositiveBigIntegerField(null=True, blank=True)
    invalid_reason = models.TextField(blank=True, help_text=_("Why the file was not accepted, for the artist."))
    invalid_reason_said = said_column()
    # The Content Credentials the received file carried (submissions.credentials): empty until processing read them.
    provider_credentials = models.JSONField(default=dict, blank=True)

    # Processing bookkeeping: a claim makes the task idempotent (see services.videos.video_claim_processing).
    processing_claim = models.CharField(max_length=64, blank=True)
    processing_attempts = models.PositiveSmallIntegerField(default=0)
    processing_started_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)

    objects = VideoQuerySet.as_manager()

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "external_id"],
                condition=~Q(external_id=""),
                name="video_external_id_unique_per_program",
            ),
            # The same file twice from one artist to one program is the same video, unless the first was
            # withdrawn or invalid.
            models.UniqueConstraint(
                fields=["program", "artist", "sha256"],
                condition=~Q(sha256="") & ~Q(status__in=[VideoStatus.WITHDRAWN, VideoStatus.REJECTED_INVALID]),
                name="video_sha256_unique_per_artist",
            ),
            models.CheckConstraint(condition=Q(status__in=VideoStatus.values), name="video_status_valid"),
        ]
        indexes = [
            models.Index(fields=["program", "status"]),
            models.Index(fields=["artist", "created_at"]),
            models.Index(fields=["status", "status_changed_at"]),
        ]

    def __str__(self) -> str:
        return self.display_title

    def history_row(self, **fields) -> "VideoEvent":
        return VideoEvent(video=self, **fields)

    @property
    def invalid_reason_text(self) -> str:
        """Why the file was not accepted, in the reader's language."""
        return shown(self.invalid_reason, self.invalid_reason_said)

    @property
    def display_title(self) -> str:
        return self.title or f"Video #{self.pk}"

    @property
    def is_awaiting_processing(self) -> bool:
        """Still being checked: the artist's page keeps polling while this holds."""
        return self.status in (self.Status.UPLOADED, self.Status.PROCESSING)

    @property
    def is_processing_stalled(self) -> bool:
        """Waiting far longer than processing takes: the page says so instead of spinning on."""
        return self.is_awaiting_processing and timezone.now() - self.status_changed_at > PROCESSING_STALLED_AFTER

    @property
    def content_type(self) -> str:
        return CONTAINER_CONTENT_TYPES.get(self.container, "application/octet-stream")

    @property
    def resolution_label(self) -> str:
        return f"{self.width}x{self.height}" if self.width and self.height else ""

    @property
    def generation_settings_items(self) -> list[tuple[str, object]]:
        return sorted(self.generation_settings.items()) if isinstance(self.generation_settings, dict) else []

    def storage_name(self, leaf: str) -> str:
        """Where a file of this video lives in storage: chosen by the server, never by the uploader."""
        return f"videos/{self.public_id.hex}/{leaf}"


class VideoThumbnail(models.Model):
    """A still taken from the video at a point in time, for lists and reviewers."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="thumbnails")
    position = models.PositiveSmallIntegerField()
    at_seconds = models.DecimalField(max_digits=9, decimal_places=3)
    image = models.FileField(upload_to=video_media_path, max_length=255)

    class Meta:
        verbose_name = _("video thumbnail")
        verbose_name_plural = _("video thumbnails")
        ordering = ["video", "position"]
        constraints = [models.UniqueConstraint(fields=["video", "position"], name="video_thumbnail_unique_position")]

    def __str__(self) -> str:
        return f"{self.video} thumbnail {self.position}"


class VideoEvent(HistoryEvent):
    """History of a video: who changed it, when, from what, to what, and why. Append-only."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="events")
    reason_code = models.CharField(
        max_length=10, blank=True, help_text=_("The review policy's code, when one was cited.")
    )
    note = models.TextField(blank=True, help_text=_("The decider's note to the artist."))

    class Meta(HistoryEvent.Meta):
        verbose_name = _("video event")
        verbose_name_plural = _("video events")
        constraints = [models.CheckConstraint(condition=~Q(to_status=""), name="video_event_has_target")]

    def __str__(self) -> str:
        return f"{self.video}: {self.from_status or '—'} → {self.to_status}"


class ApiKey(models.Model):
    """A key the program's generation service uses to send videos. Only a hash is stored; revocable."""

    PREFIX = "ghk_"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100, help_text=_("Who or what uses this key, e.g. 'Lumen render farm'."))
    prefix = models.CharField(max_length=16, help_text=_("The first characters, to recognise the key."))
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["program", "-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def hash(raw_key: str) -> str:
        # Keys are 256 random bits, so a fast hash is enough: there is nothing to brute-force.
        return hashlib.sha256(raw_key.encode()).hexdigest()
