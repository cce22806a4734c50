"""Staff pages for the studio, in the admin: models (superusers: they are shared by every program), each program's
studio settings and style presets (program staff, scoped to their programs), and the jobs (read only)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.outcomes import refuse
from programs.admin.base import ProgramScopedAdmin, ReadOnlyAdmin
from studio.models import GenerationJob, GenerationJobEvent, GenerationModel, StudioSettings, StylePreset
from studio.services.catalogue import CatalogueError, preset_set_example
from submissions.images import ACCEPT_ATTRIBUTE


@admin.register(GenerationModel)
class GenerationModelAdmin(admin.ModelAdmin):
    list_display = ["label", "provider", "model_id", "version", "is_stand_in", "sunset_on", "cost_per_second"]
    list_filter = ["provider", "is_stand_in"]
    search_fields = ["label", "model_id"]


@admin.register(StudioSettings)
class StudioSettingsAdmin(ProgramScopedAdmin):
    list_display = [
        "program",
        "enabled",
        "concurrency_limit",
        "allowance",
        "allowance_unit",
        "allowance_period",
        "credit",
    ]
    filter_horizontal = ["enabled_models"]


class StylePresetForm(forms.ModelForm):
    example_upload = forms.FileField(
        label=_("Example still"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text=_("PNG, JPEG or WebP; checked and re-encoded like every image sent to the portal."),
    )

    class Meta:
        model = StylePreset
        fields = ["program", "name", "prompt_suffix", "parameters", "active"]


@admin.register(StylePreset)
class StylePresetAdmin(ProgramScopedAdmin):
    form = StylePresetForm
    list_display = ["name", "program", "active", "prompt_suffix"]
    list_filter = ["program", "active"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        upload = form.cleaned_data.get("example_upload")
        if upload is not None:
            try:
                preset_set_example(preset=obj, upload=upload)
            except CatalogueError as error:
                refuse(request, error)  # the preset is saved; only the still was refused


class GenerationJobEventInline(admin.TabularInline):
    model = GenerationJobEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(GenerationJob)
class GenerationJobAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "program", "artist", "model", "status", "failure_kind", "provider_code", "created_at"]
    list_filter = ["program", "status", "failure_kind", "model"]
    inlines = [GenerationJobEventInline]
