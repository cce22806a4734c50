"""The site's answer when something fails: 503 with Retry-After when a service is away, 500 otherwise.

Django calls `server_error` (handler500) for any exception a view or middleware lets through, still inside the
`except`, so it can tell an outage (the database or the shared cache unreachable, hung past its timeout, or a
statement cancelled by its timeout) from a bug. The pages are rendered without the request's context processors:
those would ask the database who is signed in. The API under /api/ answers JSON. The exception, with the host
names and messages it carries, goes only to the log (Django logs it before calling the handler).
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.cache import CacheUnavailable

RETRY_AFTER_SECONDS = 30
OUTAGES = (OperationalError, InterfaceError, CacheUnavailable, RedisConnectionError, RedisTimeoutError)


def is_outage(exc: BaseException | None) -> bool:
    return isinstance(exc, OUTAGES)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_outage(sys.exc_info()[1]):
        return service_unavailable(request)
    if _wants_json(request):
        return JsonResponse({"detail": _("Something went wrong on our side; the error has been logged.")}, status=500)
    return HttpResponse(loader.get_template("500.html").render({}), status=500)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        message = _("The service is briefly unavailable. Please retry in %(seconds)d seconds.")
        response = JsonResponse({"detail": message % {"seconds": RETRY_AFTER_SECONDS}}, status=503)
    else:
        context = {
            "retry_after": RETRY_AFTER_SECONDS,
            "retry_url": request.get_full_path() if request.method in ("GET", "HEAD") else "",
        }
        response = HttpResponse(loader.get_template("503.html").render(context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")
