"""The profile page: how a person is named and credited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.profile import ProfileForm
from programs.public_credit import user_profile_update

PROFILE_TEMPLATE = "accounts/profile.html"


@login_required
@require_safe
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, PROFILE_TEMPLATE, {"form": ProfileForm.for_user(request.user)})


@login_required
@require_POST
def profile_update(request: HttpRequest) -> HttpResponse:
    form = ProfileForm.for_user(request.user, request.POST)
    if not form.is_valid():
        return render(request, PROFILE_TEMPLATE, {"form": form}, status=400)
    user_profile_update(user=request.user, **form.cleaned_data)
    messages.success(
        request, _("Saved. You are now credited publicly as “%(credit)s”.") % {"credit": request.user.public_credit}
    )
    return redirect("profile")
