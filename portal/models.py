import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: artist, reviewer or staff. Email is the login; roles are per program."""

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=120, blank=True)
    credit_name = models.CharField(
        max_length=120,
        blank=True,
        help_text="How you want to be credited publicly. Leave empty to be credited by your display name.",
    )
    credit_anonymous = models.BooleanField(
        default=False,
        db_default=False,  # rows inserted by raw SQL (the benchmarks) need no value
        help_text="Chose to be credited publicly as an anonymous artist, whatever the names say.",
    )
    is_staff = models.BooleanField(default=False, help_text="May log in to the Django admin.")
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the person deleted their account (then anonymised)."
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name()

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def public_credit(self) -> str:
        if self.credit_anonymous:
            return gettext("Anonymous artist")
        return self.credit_name or self.display_name or gettext("Anonymous artist")

    def get_full_name(self) -> str:
        return "Deleted account" if self.is_deleted else self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email.split("@")[0]


def export_storage_name(instance: "DataExport", filename: str) -> str:
    """Where an export's ZIP lives in private storage: a folder named by a random token, chosen by the server."""
    return f"exports/{instance.token}/{filename}"


def new_export_token() -> str:
    return secrets.token_hex(16)


class DataExport(models.Model):
    """A ZIP of everything the portal holds about one person, built in the background and kept for 24 hours.

    Status changes only through accounts.personal_data.exports; each state has its own timestamp on the row.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        BUILDING = "building", "Being prepared"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"

    IN_PROGRESS = (Status.QUEUED, Status.BUILDING)
    # A failed build may be taken again by the sweeper's retry; an export ends expired (its file deleted).
    MOVES = {
        "": {Status.QUEUED},
        Status.QUEUED: {Status.BUILDING, Status.FAILED},
        Status.BUILDING: {Status.READY, Status.FAILED},
        Status.READY: {Status.EXPIRED},
    }

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done, 0 to 100.")
    stage = models.CharField(max_length=120, blank=True, help_text="What is being collected now.")
    token = models.CharField(max_length=32, unique=True, default=new_export_token, editable=False)
    file = models.FileField(upload_to=export_storage_name, max_length=255, blank=True)
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    claim = models.CharField(max_length=64, blank=True, help_text="The task building it (makes the task idempotent).")
    error = models.TextField(blank=True, help_text="Why it failed, for the person.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="The file is deleted after this.")
    failed_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A double click, or two tabs, never start two exports: one may be under way per person.
            models.UniqueConstraint(
                fields=["user"], condition=Q(status__in=["queued", "building"]), name="one_export_under_way"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="export_progress_percent"),
            models.CheckConstraint(
                condition=~Q(status="ready") | (Q(expires_at__isnull=False) & ~Q(file="")),
                name="ready_export_has_file_and_expiry",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"Data export #{self.pk} of {self.user} ({self.get_status_display().lower()})"

    def history_row(self, **fields) -> None:
        """No history table: an export is personal data, deleted with the account; each state has its timestamp."""
        return None

    @property
    def is_under_way(self) -> bool:
        return self.status in self.IN_PROGRESS

    def is_downloadable(self, now=None) -> bool:
        return self.status == self.Status.READY and self.expires_at > (now or timezone.now())

    @property
    def download_name(self) -> str:
        return f"glasshouse-data-{timezone.localtime(self.ready_at or self.created_at):%Y-%m-%d}.zip"
