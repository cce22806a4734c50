"""Admin building blocks: program staff see and change only the records of the programs they staff."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
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

    def get_list_filter(self, request):
        """Filters on a related record (program, cohort, step, ...) offer only those the visible rows refer to:
        the default lists every row of the related table, which names other programs' cohorts and steps."""
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        return [self._scoped_filter(item) for item in filters]

    def _scoped_filter(self, item):
        if isinstance(item, str) and get_fields_from_path(self.model, item)[-1].is_relation:
            return (item, admin.RelatedOnlyFieldListFilter)
        return item

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Choices of a program, or of a record of a program (cohort, step, ...), only from programs staffed."""
        if not request.user.is_superuser:
            related = db_field.related_model
            if db_field.name == "program":
                kwargs["queryset"] = programs_staffed_by(request.user)
            elif any(field.name == "program" for field in related._meta.get_fields()):
                kwargs["queryset"] = related._default_manager.filter(program__in=programs_staffed_by(request.user))
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
    select_related: list[str] = []  # the foreign keys its rows show, fetched with them (one query, not one a row)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.select_related(*self.select_related) if self.select_related else queryset

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
