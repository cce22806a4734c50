"""Admin for grants and events: staff set up rounds and events here (scoped to the programs they staff);
applications, milestones and RSVPs are read-only, changed only through the staff pages' services."""

from django.contrib import admin

from calls.models import Event, GrantApplication, GrantApplicationEvent, GrantMilestone, GrantRound, Rsvp, RsvpEvent
from programs.admin.base import ProgramScopedAdmin, ReadOnlyAdmin


@admin.register(GrantRound)
class GrantRoundAdmin(ProgramScopedAdmin):
    list_display = ("title", "program", "budget", "currency", "opens_at", "closes_at", "decision_days", "published")
    list_filter = ("program", "published")
    search_fields = ("title",)


@admin.register(Event)
class EventAdmin(ProgramScopedAdmin):
    list_display = ("title", "program", "kind", "starts_at", "capacity", "paid", "published")
    list_filter = ("program", "kind", "published")
    search_fields = ("title",)


class MilestoneInline(admin.TabularInline):
    model = GrantMilestone
    extra = 0
    can_delete = False
    readonly_fields = ("position", "title", "amount", "due_on", "status", "ledger_line")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(GrantApplication)
class GrantApplicationAdmin(ReadOnlyAdmin):
    program_path = "round__program"
    list_display = ("project_title", "round", "applicant", "status", "decision_due_at", "decided_at")
    list_filter = ("round", "status")
    inlines = [MilestoneInline]


@admin.register(GrantApplicationEvent)
class GrantApplicationEventAdmin(ReadOnlyAdmin):
    program_path = "application__round__program"
    list_display = ("application", "from_status", "to_status", "actor", "created_at")


@admin.register(Rsvp)
class RsvpAdmin(ReadOnlyAdmin):
    program_path = "event__program"
    list_display = ("event", "user", "status", "time_entry")
    list_filter = ("status",)


@admin.register(RsvpEvent)
class RsvpEventAdmin(ReadOnlyAdmin):
    program_path = "rsvp__event__program"
    list_display = ("rsvp", "from_status", "to_status", "actor", "created_at")
