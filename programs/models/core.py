from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.history import HistoryEvent
from core.time_zones import MAX_ZONE_NAME, validate_time_zone

# Program URLs share the /programs/ prefix with these pages, so no program may take their names.
RESERVED_SLUGS = frozenset({"staff", "invitations", "agreements", "me", "new"})


def validate_program_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is reserved for a page of the portal; choose another slug."), params={"slug": value}
        )


class ProgramQuerySet(models.QuerySet):
    def public(self) -> "ProgramQuerySet":
        """Programs anyone may see: everything but drafts."""
        return self.exclude(status=Program.Status.DRAFT)


class Program(models.Model):
    """An early-access program of the video model: its rules, people and money are public."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (not public)")
        OPEN = "open", _("Open for applications")
        RUNNING = "running", _("Running (applications closed)")
        ENDED = "ended", _("Ended")

    # Only staff change a program's status (in the admin); code creates a program in any status, through
    # core.lifecycle.initial, and moves none.
    MOVES = {"": set(Status)}

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), unique=True, validators=[validate_program_slug])
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    pitch = models.TextField(_("pitch"), help_text=_("What the program is and why it exists."))
    tester_tasks = models.TextField(_("tester tasks"), blank=True, help_text=_("What testers are asked to do."))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    language = models.CharField(
        _("default language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of the program's agreement; artists whose language has no translation read this."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=MAX_ZONE_NAME,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_("The program's own clock (an IANA name such as Europe/Madrid): deadlines also show this time."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def __str__(self) -> str:
        return self.name

    def history_row(self, **fields) -> None:
        """No history table: the admin's log records who changed a program, and its status is public."""
        return None

    @property
    def accepts_applications(self) -> bool:
        return self.status == self.Status.OPEN


class Cohort(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="cohorts", verbose_name=_("program"))
    name = models.CharField(_("name"), max_length=80)
    capacity = models.PositiveIntegerField(
        _("capacity"), help_text=_("How many artists may be enrolled in this cohort.")
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)

    class Meta:
        ordering = ["program", "starts_on", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="cohort_name_unique_per_program")]

    def __str__(self) -> str:
        return f"{self.program.name}: {self.name}"

    @property
    def has_started(self) -> bool:
        return self.starts_on is not None and self.starts_on <= timezone.localdate()


class ProgramRole(models.Model):
    """A non-artist role in one program. Artists are represented by their Enrolment."""

    class Role(models.TextChoices):
        REVIEWER = "reviewer", _("Reviewer")
        STAFF = "staff", _("Program staff")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_roles")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("program role")
        verbose_name_plural = _("program roles")
        ordering = ["program", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "program", "role"], name="program_role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.get_role_display()} in {self.program}"


class EnrolmentQuerySet(models.QuerySet):
    def active(self) -> "EnrolmentQuerySet":
        return self.filter(status=Enrolment.Status.ACTIVE)


class Enrolment(models.Model):
    """An artist's place in a program. Status changes only through programs.services."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        LEFT = "left", _("Left")
        REMOVED = "removed", _("Removed")

    # Leaving or removal is never final: staff may invite again.
    MOVES = {
        "": {Status.INVITED},
        Status.INVITED: {Status.ACTIVE, Status.LEFT, Status.REMOVED},
        Status.ACTIVE: {Status.PAUSED, Status.LEFT, Status.REMOVED},
        Status.PAUSED: {Status.ACTIVE, Status.LEFT, Status.REMOVED},
        Status.LEFT: {Status.INVITED},
        Status.REMOVED: {Status.INVITED},
    }

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="enrolments")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments", null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.INVITED)
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["program", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "program"], name="one_enrolment_per_program")]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.program} ({self.get_status_display()})"

    def history_row(self, **fields) -> "EnrolmentEvent":
        return EnrolmentEvent(enrolment=self, **fields)


class EnrolmentEvent(HistoryEvent):
    """History of an enrolment: who changed it, when, from what, to what, and why."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="events")

    class Meta(HistoryEvent.Meta):
        verbose_name = _("enrolment event")
        verbose_name_plural = _("enrolment events")
        constraints = [
            models.CheckConstraint(condition=~Q(to_status=""), name="enrolment_event_has_target"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment}: {self.from_status or '—'} → {self.to_status}"
