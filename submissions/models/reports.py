"""Bug reports and feedback from artists: triaged by staff, answered, and credited.

State changes happen only through submissions.services.reports; every change writes a history row.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.history import HistoryEvent
from programs.models import Credit, Program

# The same scale for the artist's view of a bug and staff's final severity, which the rate card prices.
from programs.models.compensation import Severity

SEVERITY_RANK = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3, Severity.CRITICAL: 4}


def video_link_field(related_name: str) -> models.ForeignKey:
    """The author's own video a report points at (see submissions.video_links). Deleting the video keeps the
    report, without the link."""
    return models.ForeignKey(
        "submissions.Video", on_delete=models.SET_NULL, null=True, blank=True, related_name=related_name
    )


def video_timecode_field() -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        _("time in the video (seconds)"), null=True, blank=True, help_text=_("Where in the linked video to look.")
    )


class ReportSettings(models.Model):
    """Per-program switches for reports. Programs without a row use the defaults (see settings_for)."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="report_settings")
    shared_reports_enabled = models.BooleanField(
        default=False,
        help_text=_(
            "Let enrolled artists see each other's bug reports and add “me too”. "
            "Off by default: reports may contain unreleased details."
        ),
    )
    credit_duplicates = models.BooleanField(
        default=True,
        help_text=_(
            "Record a duplicate-report credit for later reporters of an accepted duplicate "
            "(the rate card decides its amount, possibly zero). The first reporter always keeps the full credit."
        ),
    )

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")

    def __str__(self) -> str:
        return _("Report settings for %(program)s") % {"program": self.program}

    @classmethod
    def for_program(cls, program: Program) -> "ReportSettings":
        """The program's settings, or unsaved defaults when staff never changed them (no write on read)."""
        return cls.objects.filter(program=program).first() or cls(program=program)


class BugReportQuerySet(models.QuerySet):
    def submitted(self) -> "BugReportQuerySet":
        return self.exclude(status=BugReport.Status.DRAFT)

    def open(self) -> "BugReportQuerySet":
        return self.filter(status__in=BugReport.OPEN_STATUSES)


class BugReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        NEW = "new", _("New")
        TRIAGED = "triaged", _("Triaged")
        CONFIRMED = "confirmed", _("Confirmed")
        NEEDS_INFO = "needs_info", _("Needs information")
        DUPLICATE = "duplicate", _("Duplicate")
        NOT_A_BUG = "not_a_bug", _("Not a bug")
        WONT_FIX = "wont_fix", _("Won't fix")
        FIXED = "fixed", _("Fixed")

    MOVES = {
        "": {Status.DRAFT},
        Status.DRAFT: {Status.NEW},
        Status.NEW: {Status.TRIAGED},
        Status.TRIAGED: {Status.CONFIRMED, Status.NEEDS_INFO, Status.DUPLICATE, Status.NOT_A_BUG, Status.WONT_FIX},
        Status.NEEDS_INFO: {Status.TRIAGED, Status.NOT_A_BUG, Status.WONT_FIX},
        Status.CONFIRMED: {Status.FIXED},
        Status.DUPLICATE: {Status.TRIAGED},
        Status.NOT_A_BUG: {Status.TRIAGED},
        Status.WONT_FIX: {Status.TRIAGED},
        Status.FIXED: {Status.TRIAGED},
    }
    OPEN_STATUSES = (Status.NEW, Status.TRIAGED, Status.CONFIRMED, Status.NEEDS_INFO)
    CLOSED_STATUSES = (Status.DUPLICATE, Status.NOT_A_BUG, Status.WONT_FIX, Status.FIXED)

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="bug_reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bug_reports")
    title = models.CharField(max_length=200)
    what_happened = models.TextField(blank=True)
    steps_to_reproduce = models.TextField(blank=True)
    expected_result = models.TextField(_("expected"), blank=True)
    actual_result = models.TextField(_("actual"), blank=True)
    artist_severity = models.CharField(
        _("severity (artist's view)"), max_length=16, choices=Severity.choices, blank=True
    )
    model_version = models.CharField(max_length=64, blank=True)
    prompt = models.TextField(blank=True)
    generation_settings = models.TextField(_("settings used"), blank=True)
    video = video_link_field("bug_reports")
    video_timecode = video_timecode_field()
    staff_only = models.BooleanField(
        _("keep out of the shared list"),
        default=False,
        help_text=_(
            "Only staff and the reporter see this report and its screenshots, even where the program "
            "shares its reports with its artists."
        ),
    )

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    final_severity = models.CharField(max_length=16, choices=Severity.choices, blank=True)
    duplicate_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates")

    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    credit = models.OneToOneField(
        Credit, on_delete=models.PROTECT, null=True, blank=True, related_name="bug_report", editable=False
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)

    objects = BugReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("bug report")
        verbose_name_plural = _("bug reports")
        ordering = ["-submitted_at", "-created_at"]
        indexes = [
            models.Index(fields=["program", "status"]),
            models.Index(fields=["reporter", "status"]),
            models.Index(fields=["program", "model_version"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="duplicate", duplicate_of__isnull=False)
                | (~Q(status="duplicate") & Q(duplicate_of__isnull=True)),
                name="bug_report_duplicate_has_original",
            ),
            models.CheckConstraint(condition=~Q(duplicate_of=models.F("pk")), name="bug_report_not_own_duplicate"),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | ~Q(final_severity=""),
                name="bug_report_accepted_has_final_severity",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True, credit__isnull=True)
                | Q(accepted_at__isnull=False, credit__isnull=False),
                name="bug_report_accepted_has_credit",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def history_row(self, **fields) -> "BugReportEvent":
        return BugReportEvent(report=self, **fields)

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    @property
    def severity(self) -> str:
        """The severity that counts: staff's final one once set, else the artist's."""
        return self.final_severity or self.artist_severity


class Feedback(models.Model):
    class Kind(models.TextChoices):
        IDEA = "idea", _("Idea")
        PRAISE = "praise", _("Praise")
        PROBLEM = "problem", _("Problem")
        QUESTION = "question", _("Question")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACKNOWLEDGED = "acknowledged", _("Read by staff")
        ANSWERED = "answered", _("Answered")
        PLANNED = "planned", _("Planned")
        DECLINED = "declined", _("Declined")

    MOVES = {
        "": {Status.NEW},
        Status.NEW: {Status.ACKNOWLEDGED, Status.ANSWERED, Status.PLANNED, Status.DECLINED},
        Status.ACKNOWLEDGED: {Status.ANSWERED, Status.PLANNED, Status.DECLINED},
        Status.ANSWERED: {Status.ACKNOWLEDGED},
        Status.PLANNED: {Status.ACKNOWLEDGED},
        Status.DECLINED: {Status.ACKNOWLEDGED},
    }
    CLOSED_STATUSES = (Status.ANSWERED, Status.PLANNED, Status.DECLINED)

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="feedback")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="feedback")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    body = models.TextField()
    video = video_link_field("feedback")
    video_timecode = video_timecode_field()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)

    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    credit = models.OneToOneField(
        Credit, on_delete=models.PROTECT, null=True, blank=True, related_name="feedback", editable=False
    )

    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["program", "status"]), models.Index(fields=["author", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True, credit__isnull=True)
                | Q(accepted_at__isnull=False, credit__isnull=False),
                name="feedback_accepted_has_credit",
            ),
        ]

    def __str__(self) -> str:
        return f"Feedback #{self.pk} ({self.get_kind_display()})"

    def history_row(self, **fields) -> "FeedbackEvent":
        return FeedbackEvent(feedback=self, **fields)

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    @property
    def summary(self) -> str:
        first_line = self.body.strip().splitlines()[0] if self.body.strip() else ""
        return first_line[:80] + ("…" if len(first_line) > 80 else "")


# The decisions staff take on a bug report, labelled for their forms and admin actions.
STAFF_MOVES = {
    BugReport.Status.TRIAGED: _("Triage"),
    BugReport.Status.CONFIRMED: _("Confirm"),
    BugReport.Status.NEEDS_INFO: _("Ask for information"),
    BugReport.Status.DUPLICATE: _("Mark as duplicate"),
    BugReport.Status.NOT_A_BUG: _("Close: not a bug"),
    BugReport.Status.WONT_FIX: _("Close: won't fix"),
    BugReport.Status.FIXED: _("Mark fixed"),
}

# The same for feedback.
FEEDBACK_MOVES = {
    Feedback.Status.ACKNOWLEDGED: _("Mark as read"),
    Feedback.Status.ANSWERED: _("Answer"),
    Feedback.Status.PLANNED: _("Plan"),
    Feedback.Status.DECLINED: _("Decline"),
}


class Screenshot(models.Model):
    """A re-encoded screenshot attached to a bug report. Files live in private storage under server names."""

    report = models.ForeignKey(BugReport, on_delete=models.CASCADE, related_name="screenshots")
    file = models.CharField(max_length=255, help_text=_("Storage name of the re-encoded image."))
    thumbnail = models.CharField(max_length=255, help_text=_("Storage name of the thumbnail."))
    content_type = models.CharField(max_length=32)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    original_name = models.CharField(max_length=120, blank=True, help_text=_("As uploaded; shown, never used."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("screenshot")
        verbose_name_plural = _("screenshots")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return _("Screenshot %(pk)s of report #%(report)s") % {"pk": self.pk, "report": self.report_id}

    @property
    def extension(self) -> str:
        return self.file.rsplit(".", 1)[-1]


class ReportEventBase(HistoryEvent):
    """A history row of a report: a change of state, of final severity, or the acceptance for credit (`kind`)."""

    class Kind(models.TextChoices):
        STATUS = "status", _("State")
        SEVERITY = "severity", _("Final severity")
        CREDIT = "credit", _("Accepted for credit")

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.STATUS)

    class Meta(HistoryEvent.Meta):
        abstract = True


class BugReportEvent(ReportEventBase):
    report = models.ForeignKey(BugReport, on_delete=models.CASCADE, related_name="events")

    class Meta(ReportEventBase.Meta):
        verbose_name = _("bug report event")
        verbose_name_plural = _("bug report events")
        constraints = [models.CheckConstraint(condition=~Q(to_status=""), name="bug_report_event_has_target")]

    def __str__(self) -> str:
        return f"#{self.report_id}: {self.from_status or '—'} → {self.to_status}"


class FeedbackEvent(ReportEventBase):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="events")

    class Meta(ReportEventBase.Meta):
        verbose_name = _("feedback event")
        verbose_name_plural = _("feedback events")
        constraints = [models.CheckConstraint(condition=~Q(to_status=""), name="feedback_event_has_target")]

    def __str__(self) -> str:
        return f"Feedback #{self.feedback_id}: {self.from_status or '—'} → {self.to_status}"


class ResponseBase(models.Model):
    """A message in a report's thread: a staff response, or the reporter's answer."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_staff = models.BooleanField(default=False)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]


class BugReportResponse(ResponseBase):
    report = models.ForeignKey(BugReport, on_delete=models.CASCADE, related_name="responses")

    class Meta(ResponseBase.Meta):
        verbose_name = _("bug report response")
        verbose_name_plural = _("bug report responses")

    def __str__(self) -> str:
        return f"Response {self.pk} on #{self.report_id}"


class FeedbackResponse(ResponseBase):
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="responses")

    class Meta(ResponseBase.Meta):
        verbose_name = _("feedback response")
        verbose_name_plural = _("feedback responses")

    def __str__(self) -> str:
        return _("Response %(pk)s on feedback #%(feedback)s") % {"pk": self.pk, "feedback": self.feedback_id}


class MeToo(models.Model):
    """Another artist in the program hit the same bug ("+1 / me too"), with an optional note."""

    report = models.ForeignKey(BugReport, on_delete=models.CASCADE, related_name="me_toos")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("me too")
        verbose_name_plural = _("me toos")
        constraints = [models.UniqueConstraint(fields=["report", "user"], name="one_me_too_per_user_and_report")]

    def __str__(self) -> str:
        return _("%(user)s also hit #%(report)s") % {"user": self.user, "report": self.report_id}


class ReportNotice(models.Model):
    """An in-portal notice (shown on /reports/), one per change the artist is told of; its mail leaves by core.mail."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_notices")
    bug_report = models.ForeignKey(BugReport, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    subject = models.CharField(max_length=255)
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report notice")
        verbose_name_plural = _("report notices")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(bug_report__isnull=True, feedback__isnull=False)
                | Q(bug_report__isnull=False, feedback__isnull=True),
                name="report_notice_about_one_thing",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def subject_object(self):
        return self.bug_report or self.feedback
