from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.time_zones import MAX_ZONE_NAME, validate_time_zone
from portal.preferences import link_field


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
    pronouns = models.CharField(
        _("pronouns"), max_length=40, blank=True, db_default="", help_text=_("E.g. she/her, they/them.")
    )
    portfolio_url = link_field(_("portfolio"), _("Your own site."))
    social_url = link_field(_("social profile"), _("One social profile."))
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        db_default=settings.LANGUAGE_CODE,
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=MAX_ZONE_NAME,
        default="UTC",
        db_default="UTC",
        validators=[validate_time_zone],
        help_text=_("An IANA name."),
    )
    # rows inserted by raw SQL (the benchmarks) take the db_defaults.
    # Optional mail only (core.mail: mail with a legal or money effect is always sent).
    mail_decisions = models.BooleanField(_("decisions and replies"), default=True, db_default=True)
    mail_reminders = models.BooleanField(_("reminders"), default=True, db_default=True)
    mail_digests = models.BooleanField(_("digests"), default=True, db_default=True)
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
        verbose_name = _("user")
        verbose_name_plural = _("users")
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


# Migrations written while DataExport lived in this module name its helpers by this path.
from accounts.models import export_storage_name, new_export_token  # noqa: E402, F401
