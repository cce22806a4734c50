"""What program staff change in the studio's catalogue beyond plain fields: a preset's example still."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from programs.models import Program
from studio.models import GenerationModel, StudioSettings, StylePreset
from studio.providers import local
from submissions import storage
from submissions.images import ImageRejected, process_screenshot


class CatalogueError(DomainError):
    pass


def preset_set_example(*, preset: StylePreset, upload) -> StylePreset:
    """Take an example still through the portal's image intake (sniffed, bounded, re-encoded) and keep it."""
    try:
        image = process_screenshot(upload)
    except ImageRejected as exc:
        raise CatalogueError(_("The example still was not accepted: %(why)s") % {"why": exc.message}) from exc
    name = f"studio/presets/{preset.pk}/example.{image.extension}"
    old = preset.example.name
    with transaction.atomic():
        preset.example = storage.replace(name, image.data)
        preset.example_type = image.content_type
        preset.save(update_fields=["example", "example_type"])
    if old and old != preset.example.name:
        transaction.on_commit(lambda: storage.delete_files([old]))
    return preset


def stand_in_model() -> GenerationModel:
    """The row of the built-in stand-in renderer, made from its capabilities (the same row every time)."""
    capabilities = local.CAPABILITIES
    model, _created = GenerationModel.objects.get_or_create(
        provider=local.LocalRenderer.key,
        model_id=local.MODEL_ID,
        defaults={
            "label": _("Stand-in renderer (not a real model)"),
            "version": local.VERSION,
            "is_stand_in": True,
            "durations": list(capabilities.durations),
            "sizes": [f"{w}x{h}" for w, h in capabilities.sizes],
            "accepts_reference_image": capabilities.accepts_reference_image,
            "accepts_negative_prompt": capabilities.accepts_negative_prompt,
            "accepts_seed": capabilities.accepts_seed,
            "max_prompt_chars": capabilities.max_prompt_chars,
            "cost_per_second": Decimal("0"),
            "cost_currency": "EUR",
        },
    )
    return model


def studio_open(*, program: Program, models: list[GenerationModel], **caps) -> StudioSettings:
    """Open (or update) a program's studio with these models and caps, checked as the admin form would."""
    studio = StudioSettings.objects.filter(program=program).first() or StudioSettings(program=program)
    for name, value in caps.items():
        setattr(studio, name, value)
    try:
        studio.full_clean(exclude=["program"])
    except ValidationError as error:
        raise CatalogueError("; ".join(error.messages)) from error
    studio.save()
    studio.enabled_models.set(models)
    return studio
