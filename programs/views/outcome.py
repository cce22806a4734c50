"""The one way enrolment views turn a service call into a message and a redirect."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from core.errors import DomainError


def run_and_redirect(request: HttpRequest, call: Callable[[], object], *, success: str, to: str) -> HttpResponse:
    """Run a service call; show its refusal (nothing was written) or `success`; redirect to `to` either way."""
    try:
        call()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(to)


def reason_from(request: HttpRequest) -> str:
    return request.POST.get("reason", "").strip()[:2000]
