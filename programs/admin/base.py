"""Admin building blocks: program staff see and change only the records of the programs they staff."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from programs import date_bounds
from programs.access import programs_staffed_by


class ProgramScopedAdmin(admin.ModelAdmin):
    """The one base class of every admin that program staff use. The rule has two halves:

    - Which rows: only those of the programs the user staffs (`programs_staffed_by`; superusers see all).
      The change list, object pages, actions and program choices in forms all go through the scoped queryset,
      so a row of another program is as absent as a missing one (the admin's "does not exist" redirect).
    - Which kinds of records and actions: Django's model permissions, and nothing else. Program staff hold them
      through the "Program staff" group (created and extended by migrations; programs.services.roles adds and
      removes members as staff roles are granted and revoked). Subclasses may only take permissions away
      (read-only records); every admin action names the permission it needs (`permissions=[...]`).

    `program_path` is the lookup from the model to its Program ("program", "enrolment__program", ...).
    """

    program_path = "program"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.program_path}__in": programs_staffed_by(request.user)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "program" and not request.user.is_superuser:
            kwargs["queryset"] = programs_staffed_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdmin(ProgramScopedAdmin):
    """Records that are never edited, only superseded: acceptances, consent, history rows."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ActionsOnlyAdmin(ReadOnlyAdmin):
    """Read-only records whose changes are admin actions that call services (with a form where needed).

    The change permission exists on the list only, so that actions declared with `permissions=["change"]` show;
    every object page stays read-only.
    """

    def has_change_permission(self, request, obj=None) -> bool:
        opts = self.model._meta
        return obj is None and request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


class ReadOnlyInline(admin.TabularInline):
    """History and child rows shown on a parent's page; seeing them needs the view permission of their model."""

    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ProgramDatesForm(forms.ModelForm):
    """The admin form of a program's record whose `planned_dates` fields (a cohort's start, an embargo's end) are
    bounded by the program (programs.date_bounds). Checked in clean(): in an inline the program comes last."""

    planned_dates: tuple[str, ...] = ()

    def clean(self) -> dict:
        data = super().clean()
        program = data.get("program") or (self.instance.program if self.instance.program_id else None)
        bounds = date_bounds.planned_dates(program)
        for name in self.planned_dates:
            try:
                bounds.check(data.get(name))
            except ValidationError as error:
                self.add_error(name, error)
        return data
