"""Forms for bug reports, feedback and triage. They validate input; the services make the changes."""

from django import forms

from submissions.images import (
    ACCEPT_ATTRIBUTE,
    MAX_SCREENSHOTS,
    ImageRejected,
    process_screenshot,
    screenshot_room_error,
)
from submissions.models import Feedback, Severity
from submissions.services.reports import FEEDBACK_MOVES, REQUIRED_TO_SUBMIT, STAFF_MOVES

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
            f"Up to {MAX_SCREENSHOTS} PNG, JPEG or WebP images, 8 MB and 40 megapixels each. "
            "They are re-encoded (location and camera data removed) and only staff and you can see them.",
        )
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ACCEPT_ATTRIBUTE

    def clean(self, data, initial=None):
        files = [f for f in (data or []) if f]
        if error := screenshot_room_error(0, len(files)):
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


class BugReportForm(ScreenshotRoomMixin, forms.Form):
    program = forms.ModelChoiceField(queryset=None, empty_label=None)
    title = forms.CharField(max_length=200, help_text="One line: what goes wrong.")
    what_happened = long_text("What happened")
    steps_to_reproduce = long_text("Steps to reproduce", help_text="Numbered steps someone else can follow.")
    expected_result = long_text("Expected", rows=3, help_text="What you expected to see.")
    actual_result = long_text("Actual", rows=3, help_text="What you saw instead.")
    artist_severity = forms.ChoiceField(
        label="Severity (your view)",
        choices=[("", "Choose…"), *Severity.choices],
        required=False,
        help_text="Low: cosmetic. Medium: gets in the way. High: blocks a piece of work. Critical: data loss, "
        "safety or everyone is blocked. Staff set the final severity.",
    )
    model_version = forms.CharField(
        max_length=64,
        required=False,
        help_text="As shown in the model's output panel.",
        widget=forms.TextInput(attrs={"list": "model-versions", "autocomplete": "off"}),
    )
    prompt = long_text("Prompt used", rows=3)
    generation_settings = long_text("Settings used", rows=3, help_text="Seed, duration, resolution, style, …")
    screenshots = ScreenshotsField(label="Screenshots")

    def __init__(self, *args, programs=None, submitting: bool = False, existing_screenshots: int = 0, **kwargs):
        """Without `programs` (editing a draft) the program is fixed and not asked for."""
        super().__init__(*args, **kwargs)
        self.existing_screenshots = existing_screenshots
        if programs is None:
            del self.fields["program"]
        else:
            self.fields["program"].queryset = programs
        if submitting:
            for name in REQUIRED_TO_SUBMIT:
                self.fields[name].required = True


class AnswerForm(ScreenshotRoomMixin, forms.Form):
    answer = long_text("Your answer", required=True, rows=5)
    screenshots = ScreenshotsField(label="More screenshots")

    def __init__(self, *args, existing_screenshots: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_screenshots = existing_screenshots


class ResponseForm(forms.Form):
    body = long_text("Message", required=True, rows=4, limit=NOTE_TEXT)


class MeTooForm(forms.Form):
    note = long_text(
        "Note (optional)", rows=2, limit=NOTE_TEXT, help_text="What you were doing, the model version, anything new."
    )


class StaffTransitionForm(forms.Form):
    to_status = forms.ChoiceField(label="Decision", choices=[])
    reason = long_text(
        "Note to the reporter",
        rows=3,
        limit=NOTE_TEXT,
        help_text="Required to ask for information, to close or reopen a report.",
    )
    original = forms.IntegerField(
        label="Duplicate of report number", required=False, min_value=1, help_text="Only for “Mark as duplicate”."
    )

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = choices or list(STAFF_MOVES.items())


class SeverityForm(forms.Form):
    severity = forms.ChoiceField(label="Final severity", choices=Severity.choices)
    reason = long_text("Why (optional)", rows=2, limit=NOTE_TEXT)


class AcceptForm(forms.Form):
    final_severity = forms.ChoiceField(
        label="Final severity", choices=[("", "Keep the one set"), *Severity.choices], required=False
    )


class FeedbackForm(forms.Form):
    program = forms.ModelChoiceField(queryset=None, empty_label=None)
    kind = forms.ChoiceField(label="Kind", choices=Feedback.Kind.choices, widget=forms.RadioSelect)
    body = long_text("Your feedback", required=True, rows=8)

    def __init__(self, *args, programs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs


class FeedbackTransitionForm(forms.Form):
    to_status = forms.ChoiceField(label="Decision", choices=list(FEEDBACK_MOVES.items()))
    reason = long_text(
        "Note to the author", rows=3, limit=NOTE_TEXT, help_text="Required to answer, plan, decline or reopen."
    )


AGE_CHOICES = [
    ("", "Any age"),
    ("1", "Last 24 hours"),
    ("7", "Last 7 days"),
    ("30", "Last 30 days"),
    ("old", "Older than 30 days"),
]
SORT_CHOICES = [
    ("-submitted_at", "Newest first"),
    ("submitted_at", "Oldest first"),
    ("-severity_rank", "Most severe first"),
    ("-me_too_count", "Most “me too” first"),
    ("-status_changed_at", "Recently changed"),
]


class TriageFilterForm(forms.Form):
    program = forms.ModelChoiceField(queryset=None, required=False, empty_label="All my programs")
    status = forms.ChoiceField(required=False, label="State")
    severity = forms.ChoiceField(required=False, choices=[("", "Any severity"), *Severity.choices])
    model_version = forms.ChoiceField(required=False, label="Model version")
    age = forms.ChoiceField(required=False, choices=AGE_CHOICES)
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES, label="Sort by")

    def __init__(self, *args, programs, statuses, model_versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
        self.fields["status"].choices = [("", "Open (not closed)"), ("all", "Any state"), *statuses]
        self.fields["model_version"].choices = [("", "Any version"), *((v, v) for v in model_versions)]


class FeedbackFilterForm(forms.Form):
    program = forms.ModelChoiceField(queryset=None, required=False, empty_label="All my programs")
    status = forms.ChoiceField(
        required=False,
        label="State",
        choices=[("", "Open (not closed)"), ("all", "Any state"), *Feedback.Status.choices],
    )
    kind = forms.ChoiceField(required=False, choices=[("", "Any kind"), *Feedback.Kind.choices])
    age = forms.ChoiceField(required=False, choices=AGE_CHOICES)

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs


class BulkMoveForm(StaffTransitionForm):
    reports = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, reports, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports"].queryset = reports
        self.fields["reports"].error_messages["required"] = "Select at least one report."


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
