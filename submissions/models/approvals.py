"""The approval workflow's rules (per program) and records (per video).

Rules: ReviewPolicy (deadlines, embargo, blind review), ordered ReviewSteps with their reviewer groups, and
ReasonCodes that every negative decision cites. Records: one VideoReview per video in review (where it
stands, its deadline, how it was approved), Decisions, ReviewClaims and Appeals. Every change goes through
submissions.services.approvals and writes a VideoEvent.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.recorded import said_column, shown
from programs.models import Program


class ReviewPolicy(models.Model):
    """How long decisions may take and what happens when they do not come. One per program."""

    class OverturnedAppeal(models.TextChoices):
        REOPEN_AT_STEP = "reopen_at_step", _("Reopen the review at the step of the overturned decision")
        APPROVE = "approve", _("Approve the video: the later steps are skipped")

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="review_policy")
    deadline_business_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=3,
        help_text=_(
            "Business days (Monday to Friday) for a decision. When it passes, the video is approved by "
            "deadline and the miss is counted publicly. Empty: no deadline."
        ),
    )
    appeal_window_business_days = models.PositiveSmallIntegerField(
        default=10, help_text=_("Business days after a rejection in which the artist may appeal.")
    )
    appeal_deadline_business_days = models.PositiveSmallIntegerField(
        default=5,
        help_text=_("Business days for deciding an appeal. When it passes, the appeal is granted by deadline."),
    )
    reminder_hours_before = models.PositiveSmallIntegerField(
        default=24, help_text=_("Reviewers are reminded this many hours before a deadline.")
    )
    embargo_ends_on = models.DateField(
        null=True, blank=True, help_text=_("After this date approved videos may be shared outside the portal freely.")
    )
    blind_review = models.BooleanField(default=False, help_text=_("Reviewers do not see who made a video."))
    claim_minutes = models.PositiveSmallIntegerField(
        default=10, help_text=_("Opening a video for review reserves it for this long.")
    )
    distinct_people_per_step = models.BooleanField(
        _("each step is decided by different people"),
        default=True,
        help_text=_(
            "A reviewer who decided one step of a video does not decide another step of it, even when they "
            "belong to both steps' groups. Only matters with more than one step."
        ),
    )
    after_overturned_appeal = models.CharField(
        _("after an overturned decision"),
        max_length=20,
        choices=OverturnedAppeal.choices,
        default=OverturnedAppeal.REOPEN_AT_STEP,
        help_text=_("What happens to a video when an appeal overturns the decision that rejected it."),
    )

    class Meta:
        verbose_name = _("review policy")
        verbose_name_plural = _("review policies")

    def __str__(self) -> str:
        return _("Review policy of %(program)s") % {"program": self.program}

    @classmethod
    def for_program(cls, program: Program) -> "ReviewPolicy":
        return cls.objects.filter(program=program).first() or cls(program=program)

    def embargo_over(self, today: dt.date | None = None) -> bool:
        return self.embargo_ends_on is None or (today or timezone.localdate()) > self.embargo_ends_on


class ReviewerGroup(models.Model):
    """The reviewers who may decide a step. Members must be reviewers of the program."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="reviewer_groups")
    name = models.CharField(max_length=80)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="reviewer_groups", blank=True)

    class Meta:
        verbose_name = _("reviewer group")
        verbose_name_plural = _("reviewer groups")
        ordering = ["program", "name"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="reviewer_group_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.program})"


class ReviewStep(models.Model):
    """One step of a program's review, in order. A video is approved when every step is approved."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="review_steps")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=80)
    group = models.ForeignKey(ReviewerGroup, on_delete=models.PROTECT, related_name="steps")
    approvals_required = models.PositiveSmallIntegerField(default=1)

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["program", "position"]
        constraints = [
            models.UniqueConstraint(fields=["program", "position"], name="review_step_unique_position"),
            models.CheckConstraint(condition=Q(approvals_required__gte=1), name="review_step_needs_an_approval"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class ReasonCode(models.Model):
    """A numbered rule of the program's review policy, cited by every negative decision."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="reason_codes")
    code = models.CharField(max_length=10, help_text=_("For example 3.2"))
    title = models.CharField(max_length=160)
    explanation = models.TextField(help_text=_("Public: what the rule means and why it exists."))
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("reason code")
        verbose_name_plural = _("reason codes")
        ordering = ["program", "code"]
        constraints = [models.UniqueConstraint(fields=["program", "code"], name="reason_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class VideoReview(models.Model):
    """Where a video stands in review: the step that must decide next, the deadline, how it ended."""

    class ApprovalKind(models.TextChoices):
        REVIEWED = "reviewed", _("Approved by reviewers")
        DEADLINE = "deadline", _("Approved by deadline")
        WITHOUT_REVIEW = "without_review", _("Approved without review (trusted publisher)")
        APPEAL = "appeal", _("Approved on appeal")
        APPEAL_DEADLINE = "appeal_deadline", _("Approved on appeal by deadline")
        # The deadline passed while no reviewer was able to decide (no steps, or nobody eligible at the step):
        # approved so nothing is held forever, but never counted as the reviewers' miss.
        NO_REVIEWER = "no_reviewer", _("Approved by deadline: no reviewer could decide")

    video = models.OneToOneField("submissions.Video", on_delete=models.CASCADE, related_name="review")
    current_step = models.ForeignKey(ReviewStep, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(
        default=1,
        help_text=_(
            "Grows each time the review moves (next step, reopened, closed). A decision names the version it "
            "was made on, so it never lands on a step its reviewer did not see."
        ),
    )
    opened_at = models.DateTimeField(default=timezone.now, help_text=_("When the video started waiting for review."))
    deadline_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    deadline_missed = models.BooleanField(default=False)
    approval_kind = models.CharField(max_length=20, choices=ApprovalKind.choices, blank=True)
    replaces = models.OneToOneField(
        "submissions.Video",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        help_text=_("The earlier version this video answers a request for changes on."),
    )
    published_at = models.DateTimeField(null=True, blank=True)
    unpublished_by_staff = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("video review")
        verbose_name_plural = _("video reviews")
        indexes = [models.Index(fields=["deadline_at"]), models.Index(fields=["current_step", "deadline_at"])]

    def __str__(self) -> str:
        return _("Review of %(video)s") % {"video": self.video}

    @property
    def decided_in_time(self) -> bool | None:
        if self.decided_at is None or self.deadline_at is None:
            return None
        return self.decided_at <= self.deadline_at


class Decision(models.Model):
    """One reviewer's decision on one step of one video. Negative decisions cite a reason code."""

    class Outcome(models.TextChoices):
        APPROVE = "approve", _("Approve")
        REQUEST_CHANGES = "request_changes", _("Request changes")
        REJECT = "reject", _("Reject")

    video = models.ForeignKey("submissions.Video", on_delete=models.CASCADE, related_name="decisions")
    step = models.ForeignKey(ReviewStep, on_delete=models.PROTECT, related_name="decisions")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reason_code = models.ForeignKey(ReasonCode, on_delete=models.PROTECT, null=True, blank=True)
    note = models.TextField(blank=True, help_text=_("To the artist."))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["video", "step", "reviewer"], name="one_decision_per_reviewer_and_step"),
            models.CheckConstraint(
                condition=Q(outcome="approve") | Q(reason_code__isnull=False),
                name="negative_decision_cites_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} on {self.video} ({self.step.name})"


class ReviewClaim(models.Model):
    """A reviewer has opened a video; others see it is taken until the claim expires."""

    video = models.OneToOneField("submissions.Video", on_delete=models.CASCADE, related_name="claim")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("review claim")
        verbose_name_plural = _("review claims")

    def __str__(self) -> str:
        return f"{self.video} claimed by {self.reviewer} until {self.expires_at:%H:%M}"

    @property
    def is_live(self) -> bool:
        return self.expires_at > timezone.now()


class Appeal(models.Model):
    """The artist's appeal of a rejection, decided by a reviewer who took no part in the rejection."""

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("Rejection upheld")
        OVERTURNED = "overturned", _("Rejection overturned")
        OVERTURNED_BY_DEADLINE = "overturned_by_deadline", _("Overturned: no decision within the appeal deadline")

    video = models.OneToOneField("submissions.Video", on_delete=models.CASCADE, related_name="appeal")
    statement = models.TextField(help_text=_("Why the artist thinks the rejection is wrong."))
    created_at = models.DateTimeField(default=timezone.now)
    deadline_at = models.DateTimeField()
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    note_said = said_column("A system sentence (core/recorded.py), e.g. for an appeal decided by its deadline.")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self) -> str:
        return _("Appeal of %(video)s") % {"video": self.video}

    @property
    def note_text(self) -> str:
        """The decision's note in the reader's language (the deadline's sentence), or as the reviewer wrote it."""
        return shown(self.note, self.note_said)
