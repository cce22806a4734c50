from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.errors import Refusal
from portal import health
from programs.access import programs_staffed_by, role_summary
from programs.models import Program
from programs.selectors.enrolment import dashboard_for
from studio.access import studio_enrolments
from studio.selectors import models_near_sunset
from transparency.current import ReportNotReady, report_for
from transparency.presentation import headline


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The model in one screen, and each public program's live headline figures (from its transparency report)."""
    programs = []
    for program in Program.objects.public():
        try:
            programs.append((program, headline(report_for(program, wait=False))))
        except ReportNotReady:  # its first report is being computed: the program shows without figures
            programs.append((program, []))
    return render(request, "portal/home.html", {"programs": programs})


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    board = dashboard_for(request.user)
    context = {
        "board": board,
        "roles": board.roles,
        "summary": role_summary(request.user),
        "studios": studio_enrolments(request.user),
        "sunsets": models_near_sunset(programs_staffed_by(request.user).values("pk")),
    }
    return render(request, "portal/dashboard.html", context)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Public pages may be indexed; accounts, dashboards, media and the admin may not."""
    lines = [
        "User-agent: *",
        *(f"Disallow: {prefix}" for prefix in ("/accounts/", "/me/", "/admin/", "/review/", "/videos/", "/reports/")),
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: this process answers requests. Asks no other service (that is /readyz)."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: each service the portal needs, up or down; 503 when any is down (details in the log)."""
    checks = health.readiness()
    ready = all(checks.values())
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": {name: "up" if up else "down" for name, up in checks.items()},
    }
    return JsonResponse(body, status=200 if ready else 503)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The site's 403: a Refusal's reason and the link that unblocks it; anything else a plain sentence
    (Django's own refusals carry developer text, which is not shown)."""
    if isinstance(exception, Refusal):
        context = {"reason": exception.reason, "next_url": exception.next_url, "next_label": exception.next_label}
    else:
        context = {"reason": _("Your account may not open this page.")}
    return render(request, "403.html", context, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The site's 404. It says nothing of why: what a person may not see must not be told apart from what
    does not exist."""
    return render(request, "404.html", status=404)
