"""The artist's upload form: the file last, so every other field survives a file refused mid-upload."""

from django import forms

from submissions.models import ProgramMediaPolicy
from submissions.services.videos import MAX_SETTINGS, Provenance

CONSENT_CHOICES = [("", "Program default"), ("yes", "Yes"), ("no", "No")]
ACCEPT = "video/mp4,video/quicktime,video/webm,.mp4,.m4v,.mov,.webm"


class ConsentField(forms.TypedChoiceField):
    """Yes / No / the artist's program default (None)."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=CONSENT_CHOICES, coerce=lambda value: value == "yes", empty_value=None, required=False, **kwargs
        )


def parse_settings(text: str) -> dict[str, str]:
    """`name = value` lines into a dict; blank lines are skipped."""
    settings: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, value = line.partition("=")
        if not sep or not name.strip():
            raise forms.ValidationError(f"Line {number} should read 'name = value', for example 'seed = 42'.")
        name = name.strip()
        if name in settings:
            raise forms.ValidationError(f"The setting {name!r} is given twice.")
        settings[name] = value.strip()
    if len(settings) > MAX_SETTINGS:
        raise forms.ValidationError(f"Give at most {MAX_SETTINGS} settings.")
    return settings


class VideoUploadForm(forms.Form):
    title = forms.CharField(max_length=200, required=False, help_text="Shown to reviewers and in your list.")
    prompt = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)
    model_name = forms.CharField(label="Model", max_length=120, help_text="For example: Lumen.")
    model_version = forms.CharField(label="Model version", max_length=60, required=False)
    generation_settings = forms.CharField(
        label="Generation settings",
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "seed = 42\nguidance = 7.5\nsteps = 30"}),
        required=False,
        help_text="One per line, as name = value.",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)
    consent_training = ConsentField(label="May be used to train future models")
    consent_marketing = ConsentField(label="May be used in the program's marketing")
    consent_showcase = ConsentField(label="May be shown in the public showcase once approved")
    file = forms.FileField(
        label="Video file",
        error_messages={"empty": "The file is empty (0 bytes).", "required": "Choose a video file to upload."},
    )

    def __init__(self, *args, policy: ProgramMediaPolicy, upload_too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy = policy
        self.upload_too_large = upload_too_large
        if upload_too_large:  # the file was dropped mid-upload: say why rather than "required"
            self.fields["file"].required = False
        self.fields["file"].help_text = (
            f"{policy.accepted_containers_label}; up to {policy.max_duration_seconds} s, "
            f"{policy.max_width}x{policy.max_height} and {policy.max_size_label}."
        )
        self.fields["file"].widget.attrs.update({"accept": ACCEPT, "data-max-bytes": policy.max_size_bytes})

    def clean_file(self):
        if self.upload_too_large:
            raise forms.ValidationError(
                f"The file is larger than this program's limit of {self.policy.max_size_label}."
            )
        return self.cleaned_data["file"]

    def clean_generation_settings(self) -> dict[str, str]:
        return parse_settings(self.cleaned_data["generation_settings"])

    def provenance(self) -> Provenance:
        data = self.cleaned_data
        return Provenance(
            title=data["title"],
            prompt=data["prompt"],
            model_name=data["model_name"],
            model_version=data["model_version"],
            generation_settings=data["generation_settings"],
            notes=data["notes"],
            consent_training=data["consent_training"],
            consent_marketing=data["consent_marketing"],
            consent_showcase=data["consent_showcase"],
        )


class DirectUploadForm(VideoUploadForm):
    """The same fields without the file, which goes from the browser to the bucket (the JSON start request)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["file"]
