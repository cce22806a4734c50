"""Open calls in the Django admin: program staff see their programs' calls; history and scores are read-only.

Status changes go through the staff pages (core.lifecycle), so the admin never edits a call's status."""

from django.contrib import admin

from calls.models import Call, CallEvent, ConflictDeclaration, Criterion, Entry, EntryEvent, Juror, PrizeTier, Score
from programs.admin.base import ProgramScopedAdmin, ReadOnlyAdmin, ReadOnlyInline


class CriterionInline(ReadOnlyInline):
    model = Criterion
    fields = ("position", "name", "weight", "description")


class PrizeTierInline(ReadOnlyInline):
    model = PrizeTier
    fields = ("position", "label", "amount", "count")


class JurorInline(ReadOnlyInline):
    model = Juror
    fields = ("number", "user")
    select_related = ["user"]


class CallEventInline(ReadOnlyInline):
    model = CallEvent
    fields = ("created_at", "actor", "from_status", "to_status", "reason")
    readonly_fields = fields
    select_related = ["actor"]


@admin.register(Call)
class CallAdmin(ProgramScopedAdmin):
    list_display = ("title", "program", "kind", "status", "opens_at", "closes_at", "judging_ends_at")
    list_filter = ("program", "status", "kind")
    search_fields = ("title",)
    readonly_fields = ("status", "created_by", "created_at", "status_changed_at")
    filter_horizontal = ("eligible_cohorts",)
    inlines = [CriterionInline, PrizeTierInline, JurorInline, CallEventInline]

    def has_add_permission(self, request) -> bool:
        return False  # drafted on the staff page, which checks the whole set of terms

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None or obj.status == Call.Status.DRAFT


class EntryEventInline(ReadOnlyInline):
    model = EntryEvent
    fields = ("created_at", "actor", "from_status", "to_status", "reason")
    readonly_fields = fields
    select_related = ["actor"]


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    program_path = "call__program"
    list_display = ("video", "call", "artist", "status", "rank", "total", "prize")
    list_filter = ("call__program", "status")
    list_select_related = ("video", "call", "artist", "prize")
    inlines = [EntryEventInline]


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    program_path = "entry__call__program"
    list_display = ("entry", "juror", "criterion", "value", "updated_at")
    list_select_related = ("entry__video", "entry__call", "juror__user", "criterion")


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ReadOnlyAdmin):
    program_path = "entry__call__program"
    list_display = ("juror", "entry", "reason", "created_at")
    list_select_related = ("juror__user", "entry__video", "entry__call")
