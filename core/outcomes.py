"""The one way a view turns a service call into words for the person who asked.

A service refuses with a DomainError and writes nothing. The view shows why, with a link to what unblocks it:
the error's own next step when the service knows one (accept the new agreement, ask staff), else the one the
view names (back to the entry, the next video in the queue). On success it shows the confirmation.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.html import format_html

from core.errors import DomainError, Refusal

T = TypeVar("T")


@dataclass(frozen=True)
class NextStep:
    """Where the person can go to get past a refusal, and the words of the link."""

    url: str
    label: str


def refusal_text(error: DomainError | Refusal | str, next_step: NextStep | None = None) -> str:
    """The reason, then the link to the next step (the error's own one first). Safe HTML."""
    reason = error if isinstance(error, str) else error.message
    own = getattr(error, "next_url", "") and NextStep(error.next_url, error.next_label)
    step = own or next_step
    if step is None:
        return format_html("{}", reason)
    return format_html('{} <a href="{}">{}</a>', reason, step.url, step.label)


def refuse(request: HttpRequest, error: DomainError | Refusal | str, *, next_step: NextStep | None = None) -> None:
    """Say why nothing happened, and where to go from here."""
    messages.error(request, refusal_text(error, next_step))


def run_and_redirect(
    request: HttpRequest,
    call: Callable[[], T],
    *,
    success: str | Callable[[T], str],
    to: str,
    next_step: NextStep | None = None,
) -> HttpResponse:
    """Run a service call, say what came of it (`success` may read the call's result), and redirect to `to`."""
    try:
        result = call()
    except DomainError as error:
        refuse(request, error, next_step=next_step)
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect(to)


def reason_from(request: HttpRequest) -> str:
    """The free-text reason a staff form sends with an action, bounded."""
    return request.POST.get("reason", "").strip()[:2000]
