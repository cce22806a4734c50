"""The studio's form: what an artist may type, bounded; the service checks it against the model and the program."""

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from studio.models import GenerationModel, StudioSettings, StylePreset
from studio.models.catalogue import parse_size
from studio.models.jobs import MAX_PROMPT_CHARS
from studio.services.jobs import MAX_NEGATIVE_PROMPT_CHARS, MAX_SEED, MAX_TITLE_CHARS, ClipRequest, aspect_ratio
from submissions.images import ACCEPT_ATTRIBUTE


class ClipForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE_CHARS, required=False)
    prompt = forms.CharField(
        label=_("Prompt"), max_length=MAX_PROMPT_CHARS, widget=forms.Textarea(attrs={"rows": 4}), strip=True
    )
    negative_prompt = forms.CharField(
        label=_("Negative prompt"),
        max_length=MAX_NEGATIVE_PROMPT_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the clip should avoid (where the model takes one)."),
    )
    model = forms.ModelChoiceField(label=_("Model"), queryset=GenerationModel.objects.none(), empty_label=None)
    preset = forms.ModelChoiceField(
        label=_("Style preset"), queryset=StylePreset.objects.none(), required=False, empty_label=_("None")
    )
    duration = forms.TypedChoiceField(label=_("Length (seconds)"), coerce=int)
    size = forms.ChoiceField(label=_("Size and aspect ratio"))
    seed = forms.IntegerField(
        label=_("Seed"), required=False, min_value=0, max_value=MAX_SEED, help_text=_("Empty: a new one is chosen.")
    )
    reference_image = forms.FileField(
        label=_("Reference image"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text=_("Optional: PNG, JPEG or WebP, up to 8 MB (where the model takes one)."),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, studio: StudioSettings, **kwargs):
        super().__init__(*args, **kwargs)
        models = list(studio.enabled_models.order_by("label"))
        self.fields["model"].queryset = studio.enabled_models.order_by("label")
        self.fields["preset"].queryset = StylePreset.objects.filter(program_id=studio.program_id, active=True)
        durations = sorted({d for m in models for d in m.durations if d <= studio.max_duration_seconds})
        self.fields["duration"].choices = [(d, d) for d in durations]
        sizes = []
        for model in models:
            for text in model.sizes:
                width, height = parse_size(text)
                if studio.fits(width, height) and text not in sizes:
                    sizes.append(text)
        self.fields["size"].choices = [(text, _size_label(text)) for text in sizes]
        if not self.is_bound:
            self.initial.setdefault("form_token", secrets.token_urlsafe(24))

    def clip_request(self) -> ClipRequest:
        data = self.cleaned_data
        width, height = parse_size(data["size"])
        return ClipRequest(
            model=data["model"],
            prompt=data["prompt"],
            negative_prompt=data.get("negative_prompt", ""),
            duration_seconds=data["duration"],
            width=width,
            height=height,
            seed=data.get("seed"),
            title=data.get("title", ""),
            preset=data.get("preset"),
            reference_upload=data.get("reference_image"),
        )


def _size_label(text: str) -> str:
    width, height = parse_size(text)
    shape = _("landscape") if width > height else _("portrait") if height > width else _("square")
    return f"{width}x{height} · {aspect_ratio(width, height)} {shape}"


def remix_initial(job) -> dict:
    """The form filled from an earlier job's settings (a new token: it is a new request)."""
    return {
        "title": job.title,
        "prompt": job.prompt,
        "negative_prompt": job.negative_prompt,
        "model": job.model_id,
        "preset": job.preset_id,
        "duration": job.duration_seconds,
        "size": f"{job.width}x{job.height}",
        "seed": job.seed,
    }
