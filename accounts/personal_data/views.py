"""A person's own data: /me/export/ (prepare, follow, download) and /me/delete/ (delete the account)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import DataExport
from accounts.personal_data import deletion, exports
from accounts.personal_data.access import get_export_for_user
from accounts.personal_data.forms import DeleteAccountForm
from accounts.reauth import reauthentication_url, recently_reauthenticated, required_method
from core.errors import DomainError
from core.outcomes import NextStep, refuse
from core.private_media import serve_private_file
from programs.selectors.compensation import still_owed

EXPORTS_TEMPLATE = "accounts/personal_data/exports.html"
DELETE_TEMPLATE = "accounts/personal_data/delete.html"
UNAVAILABLE_TEMPLATE = "accounts/personal_data/export_unavailable.html"
POLL_SECONDS = 2
SHOWN_EXPORTS = 10


def _export_context(**extra) -> dict:
    return {"poll_seconds": POLL_SECONDS, "kept_hours": int(exports.KEPT_FOR.total_seconds() // 3600), **extra}


@login_required
@require_safe
def export_page(request: HttpRequest) -> HttpResponse:
    own = DataExport.objects.filter(user=request.user)[:SHOWN_EXPORTS]
    return render(request, EXPORTS_TEMPLATE, _export_context(exports=own))


@login_required
@require_POST
def export_request(request: HttpRequest) -> HttpResponse:
    try:
        _export, started = exports.export_request(user=request.user)
    except DomainError as error:
        refuse(request, error)
    else:
        if started:
            messages.success(request, gettext("Your export is being prepared. This page shows how far it is."))
        else:
            messages.info(request, gettext("Your export is already being prepared; nothing new was started."))
    return redirect("personal_data:export")


@login_required
@require_safe
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The row the export page polls (htmx) while an export is being prepared."""
    export = get_export_for_user(request.user, pk)
    return render(request, f"{EXPORTS_TEMPLATE}#export-row", _export_context(export=export))


@login_required
@require_safe
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    export = get_export_for_user(request.user, pk)
    if not export.is_downloadable():
        expired = export.status in (DataExport.Status.READY, DataExport.Status.EXPIRED)
        context = _export_context(export=export, expired=expired)
        return render(
            request, "accounts/personal_data/export_unavailable.html", context, status=410 if expired else 404
        )
    return serve_private_file(
        export.file.name, download_name=export.download_name, content_type="application/zip", as_attachment=True
    )


def _delete_page(request: HttpRequest, form: DeleteAccountForm, *, status: int = 200) -> HttpResponse:
    context = {
        "form": form,
        "confirmed": recently_reauthenticated(request),
        "reauth_url": reauthentication_url(request, reverse("personal_data:delete")),
        "second_factor": required_method(request.user) == "mfa",
        "still_owed": still_owed(request.user),
    }
    return render(request, DELETE_TEMPLATE, context, status=status)


@login_required
@require_safe
def delete_page(request: HttpRequest) -> HttpResponse:
    return _delete_page(request, DeleteAccountForm(user=request.user))


@login_required
@require_POST
def delete_confirm(request: HttpRequest) -> HttpResponse:
    if not recently_reauthenticated(request):
        again = f"{reverse('account_reauthenticate')}?next={reverse('personal_data:delete')}"
        refuse(
            request,
            _("Confirm it is you first (the confirmation lasts a few minutes). Nothing was deleted."),
            next_step=NextStep(again, _("Confirm it is you")),
        )
        return redirect("personal_data:delete")
    form = DeleteAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        return _delete_page(request, form, status=400)
    try:
        deletion.account_delete(user=request.user)
    except DomainError as error:
        refuse(request, error)
        return redirect("personal_data:delete")
    logout(request)
    return redirect("personal_data:deleted")


@require_safe
def deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/personal_data/deleted.html")
