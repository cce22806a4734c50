"""The artist's upload form: the file last, so every other field survives a file refused mid-upload."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from submissions.models import ProgramMediaPolicy
from submissions.services.videos import MAX_SETTINGS, Provenance

CONSENT_CHOICES = [("", _("Program default")), ("yes", _("Yes")), ("no", _("No"))]
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
            raise forms.ValidationError(
                gettext("Line %(number)d should read 'name = value', for example 'seed = 42'.") % {"number": number}
            )
        name = name.strip()
        if name in settings:
            raise forms.ValidationError(gettext("The setting %(name)r is given twice.") % {"name": name})
        settings[name] = value.strip()
    if len(settings) > MAX_SETTINGS:
        raise forms.ValidationError(gettext("Give at most %(count)d settings.") % {"count": MAX_SETTINGS})
    return settings


class VideoUploadForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Shown to reviewers and in your list.")
    )
    prompt = forms.CharField(label=_("Prompt"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)
    model_name = forms.CharField(label=_("Model"), max_length=120, help_text=_("For example: Lumen."))
    model_version = forms.CharField(label=_("Model version"), max_length=60, required=False)
    generation_settings = forms.CharField(
        label=_("Generation settings"),
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "seed = 42\nguidance = 7.5\nsteps = 30"}),
        required=False,
        help_text=_("One per line, as name = value."),
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)
    consent_training = ConsentField(label=_("May be used to train future models"))
    consent_marketing = ConsentField(label=_("May be used in the program's marketing"))
    consent_showcase = ConsentField(label=_("May be shown in the public showcase once approved"))
    file = forms.FileField(
        label=_("Video file"),
        error_messages={"empty": _("The file is empty (0 bytes)."), "required": _("Choose a video file to upload.")},
    )

    def __init__(self, *args, policy: ProgramMediaPolicy, upload_too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy = policy
        self.upload_too_large = upload_too_large
        if upload_too_large:  # the file was dropped mid-upload: say why rather than "required"
            self.fields["file"].required = False
        self.fields["file"].help_text = gettext(
            "%(containers)s; up to %(seconds)s s, %(width)sx%(height)s and %(size)s."
        ) % {
            "containers": policy.accepted_containers_label,
            "seconds": policy.max_duration_seconds,
            "width": policy.max_width,
            "height": policy.max_height,
            "size": policy.max_size_label,
        }
        self.fields["file"].widget.attrs.update({"accept": ACCEPT, "data-max-bytes": policy.max_size_bytes})

    def clean_file(self):
        if self.upload_too_large:
            raise forms.ValidationError(
                gettext("The file is larger than this program's limit of %(size)s.")
                % {"size": self.policy.max_size_label}
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
