"""Forms for bug reports, feedback and triage. They validate input; the services make the changes."""

from django import forms
from django.utils.text import get_text_list
from django.utils.translation import gettext, gettext_lazy, ngettext

from submissions.images import (
    ACCEPT_ATTRIBUTE,
    MAX_REQUEST_PIXELS,
    MAX_SCREENSHOTS,
    MAX_SIDE,
    ImageRejected,
    pixel_budget_error,
    process_screenshot,
    screenshot_room_error,
)
from submissions.models import Feedback, ReportSettings, Severity, Video
from submissions.models.reports import FEEDBACK_MOVES, STAFF_MOVES
from submissions.services.reports import REQUIRED_TO_SUBMIT
from submissions.video_links import (
    TIMECODE_FORMATS,
    format_timecode,
    linkable_videos,
    parse_timecode,
    video_link_errors,
)

LONG_TEXT = 20_000
NOTE_TEXT = 5_000


def long_text(label: str, *, required: bool = False, help_text: str = "", rows: int = 5, limit: int = LONG_TEXT):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": limit}),
    )


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ScreenshotsField(forms.FileField):
    """Up to MAX_SCREENSHOTS images, each checked and re-encoded by submissions.images on clean."""

    widget = MultipleImageInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            gettext_lazy(
                "Up to %(count)d PNG, JPEG or WebP images, 8 MB and 40 megapixels each, %(total)d megapixels "
                "together. They are re-encoded (location and camera data removed) and scaled down to %(side)d "
                "pixels on the longer side; whoever can read the report can open them."
            )
            % {"count": MAX_SCREENSHOTS, "total": MAX_REQUEST_PIXELS // 1_000_000, "side": MAX_SIDE},
        )
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ACCEPT_ATTRIBUTE

    def clean(self, data, initial=None):
        files = [f for f in (data or []) if f]
        if error := screenshot_room_error(0, len(files)) or pixel_budget_error(files):
            raise forms.ValidationError(error)
        processed, errors = [], []
        for upload in files:
            try:
                processed.append(process_screenshot(upload))
            except ImageRejected as rejected:
                errors.append(rejected.message)
        if errors:
            raise forms.ValidationError(errors)
        return processed


class ScreenshotRoomMixin:
    """Checks that new screenshots fit next to the ones a report already has."""

    existing_screenshots = 0

    def clean_screenshots(self):
        images = self.cleaned_data.get("screenshots") or []
        if error := screenshot_room_error(self.existing_screenshots, len(images)):
            raise forms.ValidationError(error)
        return images


class OwnVideoField(forms.ModelChoiceField):
    """One of the author's own videos, labelled with its title and state (and program, when there are several)."""

    show_program = False

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("One of your videos"))
        kwargs.setdefault(
            "help_text", gettext_lazy("If the problem shows in a video you sent to this program, choose it.")
        )
        super().__init__(
            queryset=Video.objects.none(),
            required=False,
            empty_label=gettext_lazy("No video"),
            error_messages={"invalid_choice": gettext_lazy("Choose one of your own videos in this program.")},
            **kwargs,
        )

    def label_from_instance(self, video: Video) -> str:
        label = f"{video.display_title} ({video.get_status_display().lower()})"
        return f"{label}, {video.program.name}" if self.show_program else label


class TimecodeField(forms.Field):
    """A time in the video: `m:ss`, `h:mm:ss` or seconds in, whole seconds out."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Time in the video"))
        kwargs.setdefault("help_text", gettext_lazy("Where to look, as %(formats)s.") % {"formats": TIMECODE_FORMATS})
        attrs = {"placeholder": "1:05", "autocomplete": "off", "size": 8, "maxlength": 12}
        super().__init__(required=False, widget=forms.TextInput(attrs=attrs), **kwargs)

    def prepare_value(self, value):
        return format_timecode(value) if isinstance(value, int) else value

    def to_python(self, value) -> int | None:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return parse_timecode(text)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from error


class VideoLinkMixin:
    """Offers the author's own videos in the form's program(s) and checks the video and time go together."""

    fixed_program = None

    def setup_video_link(self, *, author, programs, current: Video | None = None) -> None:
        self.video_author = author
        # A draft's current link stays listed, so the form can say why it no longer works rather than drop it.
        self.fields["video"].queryset = linkable_videos(author, programs, keep=current)
        self.fields["video"].show_program = len({p.pk for p in programs}) > 1

    def clean(self):
        cleaned = super().clean()
        program = cleaned.get("program") or self.fixed_program
        if program is not None and "video" not in self.errors and "video_timecode" not in self.errors:
            errors = video_link_errors(
                owner=self.video_author,
                program=program,
                video=cleaned.get("video"),
                timecode=cleaned.get("video_timecode"),
            )
            for field, message in errors.items():
                self.add_error(field, message)
        return cleaned


def who_reads_reports(programs) -> str:
    """The truth about who can read a report and open its screenshots, for the programs a reporter may pick."""
    sharing = [p.name for p in programs if ReportSettings.for_program(p).shared_reports_enabled]
    if not sharing:
        return gettext(
            "Now only the program staff and you can read a report and open its screenshots. If the program "
            "starts sharing reports with its artists, a ticked report stays between you and the staff."
        )
    return ngettext(
        "%(programs)s shares its bug reports: every artist contributing to it can read them and open their "
        "screenshots. Tick the box to keep this one between you and the program staff.",
        "%(programs)s share their bug reports: every artist contributing to one can read its reports and open "
        "their screenshots. Tick the box to keep this one between you and the program staff.",
        len(sharing),
    ) % {"programs": get_text_list(sharing, gettext("and"))}


class BugReportForm(VideoLinkMixin, ScreenshotRoomMixin, forms.Form):
    program = forms.ModelChoiceField(label=gettext_lazy("Program"), queryset=None, empty_label=None)
    title = forms.CharField(
        label=gettext_lazy("Title"), max_length=200, help_text=gettext_lazy("One line: what goes wrong.")
    )
    what_happened = long_text(gettext_lazy("What happened"))
    steps_to_reproduce = long_text(
        gettext_lazy("Steps to reproduce"), help_text=gettext_lazy("Numbered steps someone else can follow.")
    )
    expected_result = long_text(gettext_lazy("Expected"), rows=3, help_text=gettext_lazy("What you expected to see."))
    actual_result = long_text(gettext_lazy("Actual"), rows=3, help_text=gettext_lazy("What you saw instead."))
    artist_severity = forms.ChoiceField(
        label=gettext_lazy("Severity (your view)"),
        choices=[("", gettext_lazy("Choose…")), *Severity.choices],
        required=False,
        help_text=gettext_lazy(
            "Low: cosmetic. Medium: gets in the way. High: blocks a piece of work. Critical: data loss, "
            "safety or everyone is blocked. Staff set the final severity."
        ),
    )
    model_version = forms.CharField(
        label=gettext_lazy("Model version"),
        max_length=64,
        required=False,
        help_text=gettext_lazy("As shown in the model's output panel."),
        widget=forms.TextInput(attrs={"list": "model-versions", "autocomplete": "off"}),
    )
    prompt = long_text(gettext_lazy("Prompt used"), rows=3)
    generation_settings = long_text(
        gettext_lazy("Settings used"), rows=3, help_text=gettext_lazy("Seed, duration, resolution, style, …")
    )
    video = OwnVideoField()
    video_timecode = TimecodeField()
    screenshots = ScreenshotsField(label=gettext_lazy("Screenshots"))
    staff_only = forms.BooleanField(
        label=gettext_lazy("Keep this report out of the shared list: only the program staff and I may read it"),
        required=False,
    )

    def __init__(
        self,
        *args,
        reporter,
        programs=None,
        report=None,
        submitting: bool = False,
        existing_screenshots: int = 0,
        **kwargs,
    ):
        """New reports choose among `programs`; editing a draft (`report`) keeps its program and does not ask."""
        super().__init__(*args, **kwargs)
        self.existing_screenshots = existing_screenshots
        if report is not None:
            del self.fields["program"]
            self.fixed_program = report.program
            self.setup_video_link(author=reporter, programs=[report.program], current=report.video)
        else:
            self.fields["program"].queryset = programs
            self.setup_video_link(author=reporter, programs=list(programs))
        self.fields["staff_only"].help_text = who_reads_reports([report.program] if report else list(programs))
        if submitting:
            for name in REQUIRED_TO_SUBMIT:
                self.fields[name].required = True


class AnswerForm(ScreenshotRoomMixin, forms.Form):
    answer = long_text(gettext_lazy("Your answer"), required=True, rows=5)
    screenshots = ScreenshotsField(label=gettext_lazy("More screenshots"))

    def __init__(self, *args, existing_screenshots: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_screenshots = existing_screenshots


class ResponseForm(forms.Form):
    body = long_text(gettext_lazy("Message"), required=True, rows=4, limit=NOTE_TEXT)


class MeTooForm(forms.Form):
    note = long_text(
        gettext_lazy("Note (optional)"),
        rows=2,
        limit=NOTE_TEXT,
        help_text=gettext_lazy("What you were doing, the model version, anything new."),
    )


class StaffTransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=gettext_lazy("Decision"), choices=[])
    reason = long_text(
        gettext_lazy("Note to the reporter"),
        rows=3,
        limit=NOTE_TEXT,
        help_text=gettext_lazy("Required to ask for information, to close or reopen a report."),
    )
    original = forms.IntegerField(
        label=gettext_lazy("Duplicate of report number"),
        required=False,
        min_value=1,
        help_text=gettext_lazy("Only for “Mark as duplicate”."),
    )

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = choices or list(STAFF_MOVES.items())


class SeverityForm(forms.Form):
    severity = forms.ChoiceField(label=gettext_lazy("Final severity"), choices=Severity.choices)
    reason = long_text(gettext_lazy("Why (optional)"), rows=2, limit=NOTE_TEXT)


class AcceptForm(forms.Form):
    final_severity = forms.ChoiceField(
        label=gettext_lazy("Final severity"),
        choices=[("", gettext_lazy("Keep the one set")), *Severity.choices],
        required=False,
    )


class FeedbackForm(VideoLinkMixin, forms.Form):
    program = forms.ModelChoiceField(label=gettext_lazy("Program"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Feedback.Kind.choices, widget=forms.RadioSelect)
    body = long_text(gettext_lazy("Your feedback"), required=True, rows=8)
    video = OwnVideoField(help_text=gettext_lazy("If it is about a video you sent to this program, choose it."))
    video_timecode = TimecodeField()

    def __init__(self, *args, author, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.setup_video_link(author=author, programs=list(programs))


class FeedbackTransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=gettext_lazy("Decision"), choices=list(FEEDBACK_MOVES.items()))
    reason = long_text(
        gettext_lazy("Note to the author"),
        rows=3,
        limit=NOTE_TEXT,
        help_text=gettext_lazy("Required to answer, plan, decline or reopen."),
    )


AGE_CHOICES = [
    ("", gettext_lazy("Any age")),
    ("1", gettext_lazy("Last 24 hours")),
    ("7", gettext_lazy("Last 7 days")),
    ("30", gettext_lazy("Last 30 days")),
    ("old", gettext_lazy("Older than 30 days")),
]
SORT_CHOICES = [
    ("-submitted_at", gettext_lazy("Newest first")),
    ("submitted_at", gettext_lazy("Oldest first")),
    ("-severity_rank", gettext_lazy("Most severe first")),
    ("-me_too_count", gettext_lazy("Most “me too” first")),
    ("-status_changed_at", gettext_lazy("Recently changed")),
]


class TriageFilterForm(forms.Form):
    program = forms.ModelChoiceField(
        label=gettext_lazy("Program"), queryset=None, required=False, empty_label=gettext_lazy("All my programs")
    )
    status = forms.ChoiceField(required=False, label=gettext_lazy("State"))
    severity = forms.ChoiceField(
        label=gettext_lazy("Severity"), required=False, choices=[("", gettext_lazy("Any severity")), *Severity.choices]
    )
    model_version = forms.ChoiceField(required=False, label=gettext_lazy("Model version"))
    age = forms.ChoiceField(label=gettext_lazy("Age"), required=False, choices=AGE_CHOICES)
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, label=gettext_lazy("Sort by"))

    def __init__(self, *args, programs, statuses, model_versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["status"].choices = [
            ("", gettext_lazy("Open (not closed)")),
            ("all", gettext_lazy("Any state")),
            *statuses,
        ]
        self.fields["model_version"].choices = [("", gettext_lazy("Any version")), *((v, v) for v in model_versions)]


class FeedbackFilterForm(forms.Form):
    program = forms.ModelChoiceField(
        label=gettext_lazy("Program"), queryset=None, required=False, empty_label=gettext_lazy("All my programs")
    )
    status = forms.ChoiceField(
        required=False,
        label=gettext_lazy("State"),
        choices=[("", gettext_lazy("Open (not closed)")), ("all", gettext_lazy("Any state")), *Feedback.Status.choices],
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), required=False, choices=[("", gettext_lazy("Any kind")), *Feedback.Kind.choices]
    )
    age = forms.ChoiceField(label=gettext_lazy("Age"), required=False, choices=AGE_CHOICES)

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs


class BulkMoveForm(StaffTransitionForm):
    reports = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Reports"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, reports, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports"].queryset = reports
        self.fields["reports"].error_messages["required"] = gettext("Select at least one report.")


__all__ = [
    "AcceptForm",
    "AnswerForm",
    "BugReportForm",
    "BulkMoveForm",
    "FeedbackFilterForm",
    "FeedbackForm",
    "FeedbackTransitionForm",
    "MeTooForm",
    "ResponseForm",
    "SeverityForm",
    "StaffTransitionForm",
    "TriageFilterForm",
]
