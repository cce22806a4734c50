"""Program staff configure each program's review rules here; decisions and appeals are read-only records.

Rows are scoped and permissions decided as programs.admin.base.ProgramScopedAdmin describes.
"""

from django.contrib import admin

from programs.access import programs_staffed_by
from programs.admin.base import ProgramDatesForm, ProgramScopedAdmin, ReadOnlyAdmin
from programs.models import ProgramRole
from submissions.models import Appeal, Decision, ReasonCode, ReviewerGroup, ReviewPolicy, ReviewStep
from submissions.services.approvals import reviews_assign_first_step


class ReviewPolicyForm(ProgramDatesForm):
    planned_dates = ("embargo_ends_on",)

    class Meta:
        model = ReviewPolicy
        fields = "__all__"


@admin.register(ReviewPolicy)
class ReviewPolicyAdmin(ProgramScopedAdmin):
    form = ReviewPolicyForm
    list_display = [
        "program",
        "deadline_business_days",
        "appeal_deadline_business_days",
        "blind_review",
        "distinct_people_per_step",
        "after_overturned_appeal",
        "embargo_ends_on",
    ]


@admin.register(ReviewerGroup)
class ReviewerGroupAdmin(ProgramScopedAdmin):
    list_display = ["name", "program"]
    list_filter = ["program"]
    filter_horizontal = ["members"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "members":
            from portal.models import User

            reviewers = ProgramRole.objects.filter(
                role=ProgramRole.Role.REVIEWER, program__in=programs_staffed_by(request.user)
            )
            kwargs["queryset"] = User.objects.filter(pk__in=reviewers.values("user"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(ReviewStep)
class ReviewStepAdmin(ProgramScopedAdmin):
    list_display = ["program", "position", "name", "group", "approvals_required"]
    list_filter = ["program"]
    ordering = ["program", "position"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "group":
            kwargs["queryset"] = ReviewerGroup.objects.filter(program__in=programs_staffed_by(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        # Reviews opened before the program had steps start at the first one now.
        reviews_assign_first_step(program=obj.program)


@admin.register(ReasonCode)
class ReasonCodeAdmin(ProgramScopedAdmin):
    list_display = ["program", "code", "title", "is_active"]
    list_filter = ["program", "is_active"]
    search_fields = ["code", "title", "explanation"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # decisions cite codes: retire a code with is_active instead


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    program_path = "video__program"
    list_display = ["created_at", "video", "step", "reviewer", "outcome", "reason_code"]
    list_filter = ["outcome", "step__program", "step"]
    search_fields = ["video__title", "reviewer__email", "note"]
    list_select_related = ["video", "step", "reviewer", "reason_code"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    program_path = "video__program"
    list_display = ["created_at", "video", "outcome", "decided_by", "deadline_at", "decided_at"]
    list_filter = ["outcome", "video__program"]
    list_select_related = ["video", "decided_by"]
