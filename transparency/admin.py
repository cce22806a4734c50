"""Published transparency snapshots: listed for staff, never edited (publishing is on the report page)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from programs.admin.base import ReadOnlyAdmin
from transparency.models import TransparencySnapshot


@admin.register(TransparencySnapshot)
class TransparencySnapshotAdmin(ReadOnlyAdmin):
    list_display = ["published_on", "program", "published_by", "public_page"]
    list_filter = ["program"]
    fields = ["program", "published_on", "published_by", "created_at", "public_page"]
    readonly_fields = fields

    @admin.display(description=_("Public page"))
    def public_page(self, snapshot: TransparencySnapshot) -> str:
        url = reverse("transparency:snapshot", args=[snapshot.program.slug, snapshot.published_on])
        return format_html('<a href="{}">{}</a>', url, url)
