"""Staff see every video of their programs (read-only: changes go through the services) and manage API keys.

Rows are scoped and permissions decided as programs.admin.base.ProgramScopedAdmin describes.
"""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from programs.admin.base import ProgramScopedAdmin, ReadOnlyAdmin, ReadOnlyInline
from submissions.models import (
    ApiKey,
    DirectUpload,
    DirectUploadEvent,
    ProgramMediaPolicy,
    Video,
    VideoEvent,
    VideoSigning,
)
from submissions.services import api_keys


class VideoEventInline(ReadOnlyInline):
    model = VideoEvent
    select_related = ["actor"]
    fields = ["created_at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields


class VideoSigningInline(ReadOnlyInline):
    """Each signing of the published copy's Content Credentials (services.credentials)."""

    model = VideoSigning
    fields = ["number", "created_at", "reason", "requested_by", "claims", "sha256", "signer", "signing_seconds"]
    readonly_fields = fields


@admin.register(Video)
class VideoAdmin(ReadOnlyAdmin):
    """Read-only: videos arrive through the upload form or the API, and change state through the services."""

    list_display = ["id", "display_title", "artist", "program", "status", "source", "duration_seconds", "created_at"]
    list_filter = ["program", "status", "source", ("artist", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "prompt", "artist__email", "artist__display_name", "external_id", "sha256"]
    date_hierarchy = "created_at"
    list_select_related = ["artist", "program"]
    inlines = [VideoSigningInline, VideoEventInline]
    fieldsets = [
        (None, {"fields": ["title", "status", "program", "artist", "source", "api_key", "external_id", "media_link"]}),
        (
            _("Provenance"),
            {"fields": ["prompt", "model_name", "model_version", "generation_settings", "notes", "original_filename"]},
        ),
        (_("Consent overrides (empty: the artist's program default)"), {"fields": [
            "consent_training", "consent_marketing", "consent_showcase"]}),
        (
            _("What processing found"),
            {
                "fields": [
                    "container", "duration_seconds", "width", "height", "frame_rate", "video_codec", "audio_codec",
                    "bit_rate", "size_bytes", "sha256", "invalid_reason", "provider_credentials", "processing_attempts",
                    "processed_at",
                ]
            },
        ),
    ]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        return [f for fieldset in self.fieldsets for f in fieldset[1]["fields"]]

    @admin.display(description=_("Media"))
    def media_link(self, obj: Video) -> str:
        if not obj.file:
            return "—"
        return format_html(
            '<a href="{}">{}</a> {}',
            reverse("submissions:video_detail", args=[obj.pk]),
            _("Open the video"),
            _("(private, access-checked)"),
        )


@admin.register(ApiKey)
class ApiKeyAdmin(ProgramScopedAdmin):
    """Keys are created here (the raw key is shown once) and revoked with the action; a key is never edited."""

    list_display = ["name", "program", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["program", ("revoked_at", admin.EmptyFieldListFilter)]
    actions = ["revoke"]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at", "revoked_by"]

    def get_fields(self, request, obj=None):
        return ["program", "name"] if obj is None else ["program", "name", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is None else ["program", "name", *self.readonly_fields]

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request)  # the revoke action; a key's page is read-only

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoke instead: videos keep pointing at the key that sent them

    def save_model(self, request, obj: ApiKey, form, change) -> None:
        if change:
            return
        key, raw = api_keys.api_key_create(program=obj.program, name=obj.name, actor=request.user)
        obj.pk = key.pk
        obj.refresh_from_db()
        obj.raw_key = raw  # shown once by response_add, never stored

    def response_add(self, request, obj: ApiKey, post_url_continue=None):
        context = {**self.admin_site.each_context(request), "key": obj, "raw_key": obj.raw_key, "opts": self.opts}
        return TemplateResponse(request, "admin/submissions/apikey/created.html", context)

    @admin.action(description=_("Revoke the selected keys"), permissions=["change"])
    def revoke(self, request, queryset) -> None:
        revoked = 0
        for key in queryset.filter(revoked_at__isnull=True):
            api_keys.api_key_revoke(key_id=key.pk, actor=request.user)
            revoked += 1
        self.message_user(
            request,
            ngettext(
                "Revoked %(count)d key. Requests with it now get 401.",
                "Revoked %(count)d keys. Requests with them now get 401.",
                revoked,
            )
            % {"count": revoked},
        )


@admin.register(ProgramMediaPolicy)
class ProgramMediaPolicyAdmin(ProgramScopedAdmin):
    list_display = ["program", "max_duration_seconds", "max_width", "max_height", "max_size_bytes"]


class DirectUploadEventInline(ReadOnlyInline):
    model = DirectUploadEvent
    fields = ["created_at", "from_status", "to_status", "actor", "reason"]
    readonly_fields = fields


@admin.register(DirectUpload)
class DirectUploadAdmin(ReadOnlyAdmin):
    """Read-only: masters sent straight to the bucket, in every state (started, completed, taken in, refused,
    cancelled, expired); they change only through submissions.services.direct_uploads."""

    list_display = ["original_filename", "artist", "program", "status", "declared_size", "video", "created_at"]
    list_filter = ["program", "status"]
    search_fields = ["original_filename", "artist__email", "artist__display_name", "key", "sha256"]
    date_hierarchy = "created_at"
    list_select_related = ["artist", "program", "video"]
    inlines = [DirectUploadEventInline]
    fields = [
        "original_filename", "status", "program", "artist", "declared_size", "declared_content_type", "container",
        "key", "part_size", "sha256", "video", "replaces", "reason", "processing_attempts", "created_at",
    ]  # fmt: skip
    readonly_fields = fields
