"""What a program can generate with: the models (as data), the program's caps and quotas, and its style presets.

Models carry their capabilities as data (so staff see and cap them, and a model the provider retires shows its
sunset date); the provider adapter (studio.providers) is only asked to run them.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import validate_currency_code
from programs.models import Program
from studio.providers.base import Capabilities

SUNSET_WARNING = dt.timedelta(days=60)


def parse_size(text: str) -> tuple[int, int]:
    """ "1280x720" -> (1280, 720); raises ValueError on anything else."""
    width, _sep, height = str(text).lower().partition("x")
    size = int(width), int(height)
    if not all(16 <= side <= 8192 for side in size):
        raise ValueError(text)
    return size


class GenerationModel(models.Model):
    """One model a provider runs, e.g. OpenAI's "sora-2" or the local stand-in renderer."""

    provider = models.CharField(_("provider"), max_length=32, help_text=_("The adapter's key, e.g. local, openai."))
    model_id = models.CharField(_("model id"), max_length=120, help_text=_("The provider's own name for the model."))
    label = models.CharField(_("label"), max_length=120, help_text=_("Shown to artists."))
    version = models.CharField(_("version"), max_length=60, blank=True)
    is_stand_in = models.BooleanField(
        _("stand-in"), default=False, help_text=_("A stand-in renderer, not a real model: labelled so everywhere.")
    )
    durations = models.JSONField(_("durations (seconds)"), default=list, help_text=_("e.g. [4, 8, 10]"))
    sizes = models.JSONField(_("sizes"), default=list, help_text=_('e.g. ["1280x720", "720x1280"]'))
    accepts_reference_image = models.BooleanField(_("accepts a reference image"), default=False)
    accepts_negative_prompt = models.BooleanField(_("accepts a negative prompt"), default=False)
    accepts_seed = models.BooleanField(_("accepts a seed"), default=False)
    max_prompt_chars = models.PositiveIntegerField(
        _("longest prompt (characters)"), default=2000, validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    cost_per_second = models.DecimalField(
        _("cost per second"), max_digits=8, decimal_places=4, null=True, blank=True, help_text=_("If known.")
    )
    cost_currency = models.CharField(_("currency"), max_length=3, blank=True, validators=[validate_currency_code])
    sunset_on = models.DateField(_("sunset date"), null=True, blank=True, help_text=_("When the provider retires it."))

    class Meta:
        verbose_name = _("generation model")
        verbose_name_plural = _("generation models")
        ordering = ["label", "pk"]
        constraints = [models.UniqueConstraint(fields=["provider", "model_id"], name="generation_model_unique_id")]

    def __str__(self) -> str:
        return f"{self.label} ({self.provider})"

    def clean(self) -> None:
        errors = {}
        if not self.durations or not all(isinstance(d, int) and 1 <= d <= 120 for d in self.durations):
            errors["durations"] = _("Give whole seconds between 1 and 120.")
        try:
            [parse_size(size) for size in self.sizes or []]
        except (TypeError, ValueError):
            errors["sizes"] = _("Give sizes as WIDTHxHEIGHT, e.g. 1280x720.")
        if not self.sizes:
            errors.setdefault("sizes", _("Give at least one size."))
        if (self.cost_per_second is None) != (not self.cost_currency):
            errors["cost_currency"] = _("Give the cost with its currency, or neither.")
        if errors:
            raise ValidationError(errors)

    def capabilities(self) -> Capabilities:
        return Capabilities(
            durations=tuple(sorted(self.durations)),
            sizes=tuple(parse_size(size) for size in self.sizes),
            accepts_reference_image=self.accepts_reference_image,
            accepts_negative_prompt=self.accepts_negative_prompt,
            accepts_seed=self.accepts_seed,
            max_prompt_chars=self.max_prompt_chars,
        )

    def sunset_soon(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.sunset_on is not None and self.sunset_on - today <= SUNSET_WARNING

    def is_retired(self, today: dt.date | None = None) -> bool:
        return self.sunset_on is not None and self.sunset_on <= (today or timezone.localdate())


class StudioSettings(models.Model):
    """A program's studio: which models it enables, its caps, its fair-queue limit, each artist's allowance and
    how generation time counts as work. A program without a row has no studio."""

    class Period(models.TextChoices):
        DAY = "day", _("day")
        WEEK = "week", _("week")
        MONTH = "month", _("month")

    class Unit(models.TextChoices):
        JOBS = "jobs", _("clips")
        SECONDS = "seconds", _("seconds of video")

    class Credit(models.TextChoices):
        NONE = "none", _("Not counted as work")
        QUEUE_AND_GENERATION = "elapsed", _("Queue plus generation time, as logged hours")
        FIXED = "fixed", _("A fixed amount per finished clip, as logged hours")

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="studio_settings")
    enabled = models.BooleanField(_("studio open"), default=True)
    enabled_models = models.ManyToManyField(
        GenerationModel, blank=True, related_name="programs_enabled", verbose_name=_("models offered")
    )
    max_duration_seconds = models.PositiveIntegerField(
        _("longest clip (seconds)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    max_long_side = models.PositiveIntegerField(_("largest size: longer side (pixels)"), default=1920)
    max_short_side = models.PositiveIntegerField(_("largest size: shorter side (pixels)"), default=1080)
    concurrency_limit = models.PositiveIntegerField(
        _("provider jobs at once"), default=4, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    allowance = models.PositiveIntegerField(_("allowance per artist"), default=40)
    allowance_unit = models.CharField(_("counted in"), max_length=8, choices=Unit.choices, default=Unit.JOBS)
    allowance_period = models.CharField(_("per"), max_length=8, choices=Period.choices, default=Period.WEEK)
    credit = models.CharField(_("generation time"), max_length=8, choices=Credit.choices, default=Credit.NONE)
    credit_fixed_minutes = models.PositiveIntegerField(
        _("fixed minutes per clip"), default=0, validators=[MaxValueValidator(24 * 60)]
    )

    class Meta:
        verbose_name = _("studio settings")
        verbose_name_plural = _("studio settings")

    def __str__(self) -> str:
        return _("Studio of %(program)s") % {"program": self.program}

    def clean(self) -> None:
        if self.credit == self.Credit.FIXED and not self.credit_fixed_minutes:
            raise ValidationError({"credit_fixed_minutes": _("Give the minutes credited for each clip.")})

    def fits(self, width: int, height: int) -> bool:
        return max(width, height) <= self.max_long_side and min(width, height) <= self.max_short_side


def preset_image_path(instance, filename: str) -> str:
    return f"studio/presets/{instance.program_id}/{filename}"


class StylePreset(models.Model):
    """A look program staff define: a prompt suffix and/or structured parameters, with an example still."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="style_presets")
    name = models.CharField(_("name"), max_length=80)
    prompt_suffix = models.CharField(_("prompt suffix"), max_length=500, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True, help_text=_('e.g. {"guidance": 7}'))
    example = models.FileField(_("example still"), upload_to=preset_image_path, max_length=255, blank=True)
    example_type = models.CharField(max_length=32, blank=True, editable=False)
    active = models.BooleanField(_("offered to artists"), default=True)

    class Meta:
        verbose_name = _("style preset")
        verbose_name_plural = _("style presets")
        ordering = ["program", "name"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="style_preset_unique_name")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not isinstance(self.parameters, dict) or len(self.parameters) > 20:
            raise ValidationError({"parameters": _("Give at most 20 names and values.")})
        if not all(isinstance(v, str | int | float | bool) for v in self.parameters.values()):
            raise ValidationError({"parameters": _("Each parameter must be a single value.")})
