"""Program staff configure each program's review rules here; decisions and appeals are read-only records."""

from django.contrib import admin

from programs.models import ProgramRole
from submissions.admin.videos import ProgramStaffAdmin, staff_programs
from submissions.models import Appeal, Decision, ReasonCode, ReviewerGroup, ReviewPolicy, ReviewStep


class ProgramRulesAdmin(ProgramStaffAdmin):
    """The program's staff may add and change these rules; they apply to videos from then on."""

    def has_add_permission(self, request) -> bool:
        return self._is_program_staff(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._is_program_staff(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._is_program_staff(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "program":
            kwargs["queryset"] = staff_programs(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(ReviewPolicy)
class ReviewPolicyAdmin(ProgramRulesAdmin):
    list_display = [
        "program",
        "deadline_business_days",
        "appeal_deadline_business_days",
        "blind_review",
        "embargo_ends_on",
    ]


@admin.register(ReviewerGroup)
class ReviewerGroupAdmin(ProgramRulesAdmin):
    list_display = ["name", "program"]
    list_filter = ["program"]
    filter_horizontal = ["members"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "members":
            from portal.models import User

            reviewers = ProgramRole.objects.filter(
                role=ProgramRole.Role.REVIEWER, program__in=staff_programs(request.user)
            )
            kwargs["queryset"] = User.objects.filter(pk__in=reviewers.values("user"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(ReviewStep)
class ReviewStepAdmin(ProgramRulesAdmin):
    list_display = ["program", "position", "name", "group", "approvals_required"]
    list_filter = ["program"]
    ordering = ["program", "position"]


@admin.register(ReasonCode)
class ReasonCodeAdmin(ProgramRulesAdmin):
    list_display = ["program", "code", "title", "is_active"]
    list_filter = ["program", "is_active"]
    search_fields = ["code", "title", "explanation"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # decisions cite codes: retire a code with is_active instead


class ReadOnlyRecordAdmin(ProgramStaffAdmin):
    program_path = "video__program"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _is_program_staff(self, request, obj=None) -> bool:
        return super()._is_program_staff(request, obj.video if obj is not None else None)


@admin.register(Decision)
class DecisionAdmin(ReadOnlyRecordAdmin):
    list_display = ["created_at", "video", "step", "reviewer", "outcome", "reason_code"]
    list_filter = ["outcome", "step__program", "step"]
    search_fields = ["video__title", "reviewer__email", "note"]
    list_select_related = ["video", "step", "reviewer", "reason_code"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyRecordAdmin):
    list_display = ["created_at", "video", "outcome", "decided_by", "deadline_at", "decided_at"]
    list_filter = ["outcome", "video__program"]
    list_select_related = ["video", "decided_by"]
