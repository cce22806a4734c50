from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.health import run_checks
from programs.access import role_summary
from programs.models import Program
from programs.selectors.enrolment import dashboard_for
from programs.transparency import ReportNotReady, report_for
from programs.transparency.presentation import headline


@require_GET
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
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    board = dashboard_for(request.user)
    context = {"board": board, "roles": board.roles, "summary": role_summary(request.user)}
    return render(request, "portal/dashboard.html", context)


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Public pages may be indexed; accounts, dashboards, media and the admin may not."""
    lines = [
        "User-agent: *",
        *(f"Disallow: {prefix}" for prefix in ("/accounts/", "/me/", "/admin/", "/review/", "/videos/", "/reports/")),
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = run_checks()
    healthy = all(result["ok"] for result in checks.values())
    return JsonResponse({"status": "ok" if healthy else "degraded", "checks": checks}, status=200 if healthy else 503)
