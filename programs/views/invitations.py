"""The invitee's side of an invitation: the emailed link, and accepting it with the current agreement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from core.client_ip import client_ip, user_agent
from core.errors import DomainError
from core.outcomes import refuse
from programs.access import current_agreement
from programs.errors import AgreementOutdated, InvitationUnusable
from programs.forms.enrolment import AgreementAcceptForm
from programs.models import Invitation
from programs.public_credit import CreditForm
from programs.services.invitations import check_usable, invitation_accept


def _get(token: str) -> Invitation:
    return get_object_or_404(Invitation.objects.select_related("program", "cohort"), token=token)


def _page(request: HttpRequest, invitation: Invitation, form=None, credit=None, status: int = 200) -> HttpResponse:
    current = current_agreement(invitation.program)
    if form is None and current is not None:
        form = AgreementAcceptForm(initial={"version": current.pk, "content_hash": current.content_hash})
    context = {
        "invitation": invitation,
        "program": invitation.program,
        "current": current,
        "form": form,
        "credit_form": credit or CreditForm.for_user(request.user),
    }
    return render(request, "programs/invitation.html", context, status=status)


def _unusable(request: HttpRequest, invitation: Invitation, error: InvitationUnusable) -> HttpResponse:
    context = {"invitation": invitation, "message": error.message}
    return render(request, "programs/invitation_unusable.html", context, status=error.status_code)


@require_safe
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone holding the link sees what it offers; only the invited, signed-in person can accept it."""
    invitation = _get(token)
    try:
        check_usable(invitation, request.user)
    except InvitationUnusable as error:
        return _unusable(request, invitation, error)
    if not request.user.is_authenticated:
        return render(request, "programs/invitation_signin.html", {"invitation": invitation})
    return _page(request, invitation)


@login_required
@require_POST
def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _get(token)
    form, credit = AgreementAcceptForm(request.POST), CreditForm.for_user(request.user, request.POST)
    if not (form.is_valid() & credit.is_valid()):  # both, so every error shows at once
        return _page(request, invitation, form=form, credit=credit, status=400)
    try:
        enrolment = invitation_accept(
            invitation=invitation,
            user=request.user,
            version_id=form.cleaned_data["version"],
            submitted_hash=form.cleaned_data["content_hash"],
            ip_address=client_ip(request),
            user_agent=user_agent(request),
            credit=credit.cleaned_data,
        )
    except InvitationUnusable as error:
        return _unusable(request, invitation, error)
    except AgreementOutdated as error:
        refuse(request, error)
        return redirect("programs:invitation", token)
    except DomainError as error:
        refuse(request, error)
        return redirect("dashboard")
    messages.success(
        request, gettext("Welcome to %(program)s! You are now an active artist.") % {"program": enrolment.program.name}
    )
    return redirect("dashboard")
