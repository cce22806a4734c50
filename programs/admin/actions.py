"""Admin actions that need a form first (a reason, a cohort): Django's intermediate-page pattern."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext

from core.errors import DomainError


def run_each(modeladmin: admin.ModelAdmin, request, queryset, perform: Callable[[object], object], *, title: str):
    """Call `perform` (one service call) on each selected row; report what was done and each refusal."""
    done = 0
    for obj in queryset:
        try:
            perform(obj)
        except DomainError as error:
            modeladmin.message_user(request, f"{obj}: {error.message}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(
            request, gettext("%(title)s: done for %(count)s.") % {"title": title, "count": done}, messages.SUCCESS
        )


def reason_action(modeladmin: admin.ModelAdmin, request, queryset, *, title: str, perform):
    """An action that asks for a reason first; `perform(obj, reason)` is one service call."""
    from programs.forms.enrolment import ReasonForm

    form = ReasonForm(request.POST if "apply" in request.POST else None)
    return form_action(
        modeladmin, request, queryset, form=form, title=title, perform=lambda obj, data: perform(obj, data["reason"])
    )


def form_action(
    modeladmin: admin.ModelAdmin, request, queryset, *, form, title: str, perform: Callable[[object, dict], object]
):
    """Show `form` for the selected rows; once submitted and valid, call `perform` on each row through a service.

    Each row is decided on its own: a refusal (a DomainError) is reported and leaves that row unchanged.
    """
    if "apply" in request.POST and form.is_valid():
        run_each(modeladmin, request, queryset, lambda obj: perform(obj, form.cleaned_data), title=title)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "queryset": queryset,
        "opts": modeladmin.model._meta,
        "action": request.POST.get("action"),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/programs/form_action.html", context)
