"""The profile page: how a person is named and credited, and how they read the portal and its mail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import LANGUAGE_QUERY_PARAMETER, set_language

from accounts.preferences import PreferencesForm, user_language_set, user_preferences_update
from accounts.profile import ProfileForm
from programs.public_credit import user_profile_update

PROFILE_TEMPLATE = "accounts/profile.html"


def _profile_page(request: HttpRequest, *, form=None, preferences=None, status: int = 200) -> HttpResponse:
    context = {
        "form": form or ProfileForm.for_user(request.user),
        "preferences": preferences or PreferencesForm(instance=request.user),
    }
    return render(request, PROFILE_TEMPLATE, context, status=status)


@login_required
@require_safe
def profile(request: HttpRequest) -> HttpResponse:
    return _profile_page(request)


@login_required
@require_POST
def profile_update(request: HttpRequest) -> HttpResponse:
    form = ProfileForm.for_user(request.user, request.POST)
    if not form.is_valid():
        return _profile_page(request, form=form, status=400)
    user_profile_update(user=request.user, **form.cleaned_data)
    messages.success(
        request, _("Saved. You are now credited publicly as “%(credit)s”.") % {"credit": request.user.public_credit}
    )
    return redirect("profile")


@login_required
@require_POST
def preferences_update(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = PreferencesForm(request.POST, instance=user)
    if not form.is_valid():
        user.refresh_from_db()  # the form's validation wrote the refused values onto the instance
        return _profile_page(request, preferences=form, status=400)
    user_preferences_update(user=user, **form.cleaned_data)
    with translation.override(user.language):  # the next page is in the language just chosen
        messages.success(request, _("Saved your language, time zone and mail choices."))
    return redirect("profile")


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's set_language (the cookie, the redirect back); a signed-in person's choice is also saved."""
    language = request.POST.get(LANGUAGE_QUERY_PARAMETER, "")
    if request.user.is_authenticated and translation.check_for_language(language):
        user_language_set(user=request.user, language=language)
    return set_language(request)
