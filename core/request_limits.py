"""How much a request may send, decided per view before anything reads the body, and how often an anonymous
client may ask for work.

- Every view takes bodies up to settings.REQUEST_MAX_BYTES unless it declares more with @body_limit (the
  report forms, for their screenshots), or declares that it streams and bounds its body itself
  (@body_limit(STREAMS): video uploads, /verify/ and the API install their own upload handlers). The
  middleware answers 413 from Content-Length alone, so an oversized body is never parsed or stored.
- ClientThrottle counts requests per client address (core.client_ip) in the cache, like the API's per-key
  limit, and says how long to wait.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from ninja.throttling import SimpleRateThrottle

from core.client_ip import client_ip

STREAMS = "streams"  # the view installs an upload handler that bounds the body itself


def body_limit(max_bytes: int | Callable[[], int] | str):
    """Declare the largest body this view takes (bytes, or a function giving them), or STREAMS."""

    def mark(view):
        view.body_limit = max_bytes
        return view

    return mark


def size_label(max_bytes: int) -> str:
    return filesizeformat(max_bytes).replace("\xa0", " ")


def too_large(max_bytes: int) -> HttpResponse:
    message = gettext("This request is larger than %(limit)s, the most this page accepts. Nothing was saved.")
    return HttpResponse(message % {"limit": size_label(max_bytes)}, status=413, content_type="text/plain")


def content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # Django reads no body it cannot measure


class RequestBodyLimitMiddleware:
    """Refuses a body above the view's limit before any middleware or view reads it (list it before CSRF)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        limit = getattr(view_func, "body_limit", settings.REQUEST_MAX_BYTES)
        if limit == STREAMS:
            return None
        limit = limit() if callable(limit) else limit
        if content_length(request) > limit:
            return too_large(limit)
        return None


class ClientThrottle(SimpleRateThrottle):
    """At most `rate` (e.g. "10/min") requests per client address for one `scope`."""

    def __init__(self, scope: str, rate: str) -> None:
        self.scope_name = scope
        super().__init__(rate=rate)

    def get_cache_key(self, request: HttpRequest) -> str:
        return f"throttle:{self.scope_name}:{client_ip(request) or 'unknown'}"

    def refusal(self) -> HttpResponse:
        wait = max(int(self.wait() or 1), 1)
        message = gettext("Too many requests from your address. Try again in %(seconds)d seconds.")
        response = HttpResponse(message % {"seconds": wait}, status=429, content_type="text/plain")
        response["Retry-After"] = str(wait)
        return response
