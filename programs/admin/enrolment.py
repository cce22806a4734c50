"""The admin of enrolment: programs, cohorts, roles, applications, invitations, agreements, consent, trust.

Every change of state goes through programs.services; records of what people accepted or chose are read-only.
"""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from programs.admin.actions import form_action, reason_action, run_each
from programs.admin.base import ActionsOnlyAdmin, ProgramDatesForm, ProgramScopedAdmin, ReadOnlyAdmin, ReadOnlyInline
from programs.admin.delete_summary import SummarisedDeleteMixin
from programs.forms.enrolment import DecisionForm
from programs.models import (
    AgreementAcceptance,
    AgreementVersion,
    Application,
    ApplicationEvent,
    Cohort,
    ConsentRecord,
    Enrolment,
    EnrolmentEvent,
    Invitation,
    Program,
    ProgramRole,
    ScreeningQuestion,
    TrustedPublisher,
)
from programs.services import agreements, applications, enrolment, invitations, roles


# --- Programs and cohorts ---------------------------------------------------------------------
class CohortForm(ProgramDatesForm):
    planned_dates = ("starts_on",)

    class Meta:
        model = Cohort
        fields = ["program", "name", "capacity", "starts_on"]

    def clean_capacity(self) -> int:
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk:
            taken = invitations.seats_taken(self.instance)
            if capacity < taken:
                raise forms.ValidationError(
                    f"{taken} seats are taken (active and paused artists and pending invitations); "
                    f"the capacity cannot be lower than that."
                )
        return capacity


class CohortInline(admin.TabularInline):
    model = Cohort
    form = CohortForm
    extra = 0


class ScreeningQuestionInline(admin.StackedInline):
    model = ScreeningQuestion
    extra = 0


class ProgramRoleInline(ReadOnlyInline):
    model = ProgramRole
    fields = ["user", "role", "created_at"]
    readonly_fields = fields
    verbose_name_plural = _("Roles (grant and revoke under Program roles)")


@admin.register(Program)
class ProgramAdmin(SummarisedDeleteMixin, ProgramScopedAdmin):
    program_path = "pk"
    list_display = ["name", "slug", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "slug", "tagline"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CohortInline, ScreeningQuestionInline, ProgramRoleInline]


@admin.register(Cohort)
class CohortAdmin(SummarisedDeleteMixin, ProgramScopedAdmin):
    form = CohortForm
    list_display = ["name", "program", "capacity", "seats_taken", "starts_on"]
    list_select_related = ["program"]
    list_filter = ["program"]
    search_fields = ["name", "program__name"]

    @admin.display(description=_("Seats taken"))
    def seats_taken(self, cohort: Cohort) -> int:
        return invitations.seats_taken(cohort)


@admin.register(ProgramRole)
class ProgramRoleAdmin(ProgramScopedAdmin):
    """Roles are granted and revoked, never edited; staff roles carry the admin permissions with them."""

    list_display = ["user", "program", "role", "created_at"]
    list_select_related = ["user", "program"]
    list_filter = ["role", "program"]
    search_fields = ["user__email", "user__display_name", "program__name"]
    autocomplete_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "program", "role", "created_at"] if obj else []

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            granted = roles.program_role_grant(user=obj.user, program=obj.program, role=obj.role)
            obj.pk = granted.pk

    def delete_model(self, request, obj) -> None:
        roles.program_role_revoke(role=obj)

    def delete_queryset(self, request, queryset) -> None:
        for role in queryset:
            roles.program_role_revoke(role=role)


# --- Enrolments --------------------------------------------------------------------------------
class EnrolmentEventInline(ReadOnlyInline):
    model = EnrolmentEvent
    select_related = ["actor", "enrolment__user", "enrolment__program"]  # the row's name shows its enrolment
    fields = ["created_at", "actor", "from_status", "to_status", "reason"]
    readonly_fields = fields
    verbose_name_plural = "History"


class AcceptanceInline(ReadOnlyInline):
    model = AgreementAcceptance
    select_related = ["version__program", "enrolment__user"]
    fields = ["version", "accepted_at", "ip_address", "content_hash"]
    readonly_fields = fields


class TrustInline(ReadOnlyInline):
    model = TrustedPublisher
    select_related = ["granted_by", "revoked_by", "enrolment__user", "enrolment__program"]
    fields = ["granted_at", "granted_by", "reason", "revoked_at", "revoked_by", "revoke_reason"]
    readonly_fields = fields


@admin.register(Enrolment)
class EnrolmentAdmin(ActionsOnlyAdmin):
    list_display = ["user", "program", "cohort", "status", "status_changed_at"]
    list_select_related = ["user", "program", "cohort__program"]
    list_filter = ["status", "program", "cohort"]
    search_fields = ["user__email", "user__display_name", "user__credit_name"]
    readonly_fields = ["user", "program", "cohort", "status", "status_changed_at", "created_at", "manage"]
    inlines = [EnrolmentEventInline, AcceptanceInline, TrustInline]
    actions = ["remove_with_reason"]

    @admin.display(description=_("Pause, resume, remove, trust"))
    def manage(self, obj: Enrolment) -> str:
        return format_html(
            '<a href="{}">Open the staff page of this artist</a>', reverse("programs:staff_enrolment", args=[obj.pk])
        )

    @admin.action(description=_("Remove from the program (with a reason)"), permissions=["change"])
    def remove_with_reason(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset,
            title=gettext("Remove from the program"),
            perform=lambda obj, reason: enrolment.enrolment_remove(enrolment=obj, actor=request.user, reason=reason),
        )


@admin.register(EnrolmentEvent)
class EnrolmentEventAdmin(ReadOnlyAdmin):
    program_path = "enrolment__program"
    list_display = ["created_at", "enrolment", "from_status", "to_status", "actor", "reason"]
    list_select_related = ["enrolment__user", "enrolment__program", "actor"]
    list_filter = ["to_status", "enrolment__program"]
    search_fields = ["enrolment__user__email", "reason"]


# --- Applications ------------------------------------------------------------------------------
class ApplicationEventInline(ReadOnlyInline):
    model = ApplicationEvent
    select_related = ["actor", "application__user", "application__program"]
    fields = ["created_at", "actor", "from_status", "to_status", "reason"]
    readonly_fields = fields
    verbose_name_plural = "History"


@admin.register(Application)
class ApplicationAdmin(ActionsOnlyAdmin):
    list_display = ["user", "program", "status", "cohort", "created_at", "decided_at"]
    list_select_related = ["user", "program", "cohort__program"]
    list_filter = ["status", "program", "cohort"]
    search_fields = ["user__email", "user__display_name", "statement"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "user", "program", "status", "portfolio_links", "statement", "answers", "cohort",
        "decision_reason", "decided_by", "decided_at", "created_at",
    ]  # fmt: skip
    inlines = [ApplicationEventInline]
    actions = ["decide"]

    @admin.action(description=_("Decide: accept into a cohort, waitlist or decline"), permissions=["change"])
    def decide(self, request, queryset):
        program_ids = set(queryset.values_list("program_id", flat=True))
        if len(program_ids) != 1:
            self.message_user(request, gettext("Decide on applications of one program at a time."), messages.ERROR)
            return None
        program = Program.objects.get(pk=program_ids.pop())
        data = request.POST if "apply" in request.POST else None
        return form_action(
            self,
            request,
            queryset,
            form=DecisionForm(data, program=program),
            title=gettext("Decide on applications"),
            perform=lambda obj, cleaned: _decide(obj, cleaned, request.user),
        )


def _decide(application: Application, data: dict, actor) -> None:
    decision, reason = data["decision"], data["reason"]
    if decision == Application.Status.ACCEPTED:
        applications.application_accept(application=application, cohort=data["cohort"], actor=actor, reason=reason)
    elif decision == Application.Status.WAITLISTED:
        applications.application_waitlist(application=application, actor=actor, reason=reason)
    else:
        applications.application_decline(application=application, actor=actor, reason=reason)


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(ReadOnlyAdmin):
    program_path = "application__program"
    list_display = ["created_at", "application", "from_status", "to_status", "actor", "reason"]
    list_select_related = ["application__user", "application__program", "actor"]
    list_filter = ["to_status", "application__program"]
    search_fields = ["application__user__email", "reason"]


# --- Invitations -------------------------------------------------------------------------------
class InvitationStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", "Pending"), ("expired", "Expired"), *Invitation.Status.choices[1:]]

    def queryset(self, request, queryset):
        now, value = timezone.now(), self.value()
        if value == "open":
            return queryset.filter(status=Invitation.Status.PENDING, expires_at__gt=now)
        if value == "expired":
            return queryset.filter(status=Invitation.Status.PENDING, expires_at__lte=now)
        if value in Invitation.Status.values:
            return queryset.filter(status=value)
        return queryset


@admin.register(Invitation)
class InvitationAdmin(ActionsOnlyAdmin):
    """Invitations are sent from the staff page (Invitations); here they are listed, resent or revoked."""

    list_display = ["email", "program", "cohort", "state", "expires_at", "sent_count", "created_by", "created_at"]
    list_select_related = ["program", "cohort__program", "created_by"]
    list_filter = [InvitationStateFilter, "program", "cohort"]
    search_fields = ["email", "user__display_name"]
    exclude = ["token"]  # the link is for the invitee's inbox only
    readonly_fields = [
        "program", "cohort", "email", "user", "application", "enrolment", "message", "status", "expires_at",
        "created_by", "created_at", "sent_count", "last_sent_at", "closed_at", "closed_by", "close_reason",
    ]  # fmt: skip
    actions = ["resend", "revoke"]

    @admin.display(description=_("State"))
    def state(self, obj: Invitation) -> str:
        return obj.get_state_display()

    @admin.action(description=_("Send a new link (the old one stops working)"), permissions=["change"])
    def resend(self, request, queryset):
        perform = lambda obj: invitations.invitation_resend(invitation=obj, actor=request.user)  # noqa: E731
        run_each(self, request, queryset, perform, title=gettext("New links sent"))

    @admin.action(description=_("Revoke (with a reason)"), permissions=["change"])
    def revoke(self, request, queryset):
        return reason_action(
            self,
            request,
            queryset,
            title=gettext("Revoke invitations"),
            perform=lambda obj, reason: invitations.invitation_revoke(
                invitation=obj, actor=request.user, reason=reason
            ),
        )


# --- Agreements --------------------------------------------------------------------------------
class AgreementDraftForm(forms.ModelForm):
    class Meta:
        model = AgreementVersion
        fields = ["program", "language", "title", "body", "summary_of_changes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "language" in self.fields:  # empty: the program's default language, i.e. a new version
            self.fields["language"].required = False

    def clean(self):
        data = super().clean()
        program = data.get("program") or getattr(self.instance, "program", None)
        language = data.get("language") or (program.language if program else "")
        data["language"] = self.instance.language = language
        drafts = AgreementVersion.objects.filter(program=program, language=language, published_at__isnull=True)
        if program and not self.instance.pk and drafts.exists():
            raise forms.ValidationError(
                _("This program already has an unpublished draft in that language; edit or publish it first.")
            )
        return data


@admin.register(AgreementVersion)
class AgreementVersionAdmin(ProgramScopedAdmin):
    """Drafts are edited here and published with the action; a published version can never change."""

    form = AgreementDraftForm
    list_display = ["program", "version", "language", "title", "published_at", "short_hash", "acceptance_count"]
    list_filter = ["program", "language", ("published_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "body", "program__name"]
    actions = ["publish"]

    @admin.display(description=_("SHA-256"))
    def short_hash(self, obj: AgreementVersion) -> str:
        return obj.content_hash[:12] or "—"

    @admin.display(description=_("Accepted by"))
    def acceptance_count(self, obj: AgreementVersion) -> int:
        return obj.acceptances.count()

    def get_readonly_fields(self, request, obj=None):
        base = ["version", "content_hash", "created_by", "created_at", "published_at", "published_by"]
        return ["program", "language", *base] if obj else base

    def has_change_permission(self, request, obj=None) -> bool:
        return (obj is None or not obj.is_published) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return (obj is None or not obj.is_published) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        saved = agreements.agreement_draft_save(
            program=obj.program,
            title=obj.title,
            body=obj.body,
            summary_of_changes=obj.summary_of_changes,
            actor=request.user,
            draft=obj if change else None,
            language=obj.language,
        )
        obj.pk, obj.version = saved.pk, saved.version

    @admin.action(
        description=_("Publish (a new version: artists must accept it before contributing again)"),
        permissions=["change"],
    )
    def publish(self, request, queryset):
        perform = lambda obj: agreements.agreement_publish(version=obj, actor=request.user)  # noqa: E731
        title = _("Published; for a new version, active artists were emailed")
        run_each(self, request, queryset.order_by("version", "language"), perform, title=title)


@admin.register(AgreementAcceptance)
class AgreementAcceptanceAdmin(ReadOnlyAdmin):
    program_path = "enrolment__program"
    list_display = ["enrolment", "version", "language", "accepted_at", "ip_address", "content_hash"]
    list_select_related = ["enrolment__user", "enrolment__program", "version__program"]
    list_filter = ["version__program", "language", "version"]
    search_fields = ["enrolment__user__email", "enrolment__user__display_name", "content_hash"]
    date_hierarchy = "accepted_at"


# --- Consent and trust -------------------------------------------------------------------------
@admin.register(ConsentRecord)
class ConsentRecordAdmin(ReadOnlyAdmin):
    list_display = ["user", "program", "version", "training", "marketing", "showcase", "created_at"]
    list_select_related = ["user", "program"]
    list_filter = ["program", "training", "marketing", "showcase"]
    search_fields = ["user__email", "user__display_name"]
    date_hierarchy = "created_at"


@admin.register(TrustedPublisher)
class TrustedPublisherAdmin(ReadOnlyAdmin):
    """Granted and revoked from the artist's staff page, where a reason is required."""

    program_path = "enrolment__program"
    list_display = ["enrolment", "granted_at", "granted_by", "in_force", "revoked_at"]
    list_select_related = ["enrolment__user", "enrolment__program", "granted_by"]
    list_filter = ["enrolment__program", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["enrolment__user__email", "enrolment__user__display_name", "reason"]

    @admin.display(boolean=True, description=_("In force"))
    def in_force(self, obj: TrustedPublisher) -> bool:
        return obj.revoked_at is None
