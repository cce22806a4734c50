"""Frame-level review: comments on a moment or a range of a video, with an optional drawing, and their replies.

A thread starts at a moment (`at_seconds`) or over a range (`at_seconds` to `until_seconds`) of one video; replies
hang under it. A drawing is vector data relative to the frame (0..1 on both axes), checked by
submissions.comments_drawing before it is stored. Internal threads are for reviewers and staff only. A decision
that requests changes or rejects cites the threads it rests on (`cited_by`). Every change goes through
submissions.services.comments.
"""

from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from submissions.comments_drawing import format_timecode
from submissions.models.videos import video_media_path

MAX_COMMENT_LENGTH = 4000


class FrameComment(models.Model):
    video = models.ForeignKey("submissions.Video", on_delete=models.CASCADE, related_name="frame_comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies", verbose_name=_("reply to")
    )
    at_seconds = models.DecimalField(_("at (seconds)"), max_digits=9, decimal_places=3, null=True, blank=True)
    until_seconds = models.DecimalField(
        _("until (seconds)"), max_digits=9, decimal_places=3, null=True, blank=True, help_text=_("Empty: a moment.")
    )
    drawing = models.JSONField(_("drawing"), default=list, blank=True)
    # The drawing as SVG elements, made by comments_drawing.svg_markup from the checked drawing when the comment
    # is written (a drawing never changes after): lists of hundreds of threads show it as it is.
    drawing_svg = models.TextField(editable=False, blank=True, default="")
    body = models.TextField(_("comment"), max_length=MAX_COMMENT_LENGTH)
    internal = models.BooleanField(_("internal"), default=False, help_text=_("Seen by reviewers and staff only."))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The frame at `at_seconds`, taken by the worker so lists and mails show it without loading the video.
    still = models.FileField(_("still"), upload_to=video_media_path, max_length=255, blank=True)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    # Chosen by the page that sent the comment: a double submit finds the first one instead of writing twice.
    submit_key = models.UUIDField(null=True, blank=True, editable=False)
    cited_by = models.ManyToManyField(
        "submissions.Decision", related_name="cited_comments", blank=True, verbose_name=_("cited by decisions")
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("frame comment")
        verbose_name_plural = _("frame comments")
        constraints = [
            # A thread has a time; a reply takes its thread's.
            models.CheckConstraint(
                condition=Q(parent__isnull=False) | Q(at_seconds__gte=0), name="frame_comment_thread_has_a_time"
            ),
            models.CheckConstraint(
                condition=Q(until_seconds__isnull=True) | Q(until_seconds__gte=models.F("at_seconds")),
                name="frame_comment_range_in_order",
            ),
            models.UniqueConstraint(fields=["author", "submit_key"], name="frame_comment_submitted_once"),
        ]
        indexes = [models.Index(fields=["video", "parent", "created_at"])]

    def __str__(self) -> str:
        return f"{self.video}: {self.body[:40]}"

    @property
    def is_thread(self) -> bool:
        return self.parent_id is None

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @cached_property  # a thread shows it several times (its head, its still's text, the citation list)
    def timecode(self) -> str:
        return format_timecode(self.at_seconds, self.until_seconds)
