"""The public transparency report of a program: page, open data (JSON, CSV), dated snapshots."""

import datetime as dt
import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.csv import csv_response
from core.errors import DomainError
from core.outcomes import refuse
from programs.access import get_public_program, is_program_staff
from programs.models import Program
from programs.refusals import staff_refusal
from transparency import presentation
from transparency.calls import calls_figures
from transparency.current import CACHE_SECONDS, REFRESH_SECONDS, ReportNotReady, report_for
from transparency.models import TransparencySnapshot
from transparency.report import csv_rows
from transparency.services import transparency_snapshot_publish


def _page(request: HttpRequest, program: Program, report: dict, snapshot: TransparencySnapshot | None = None):
    context = {
        "program": program,
        "report": report,
        "snapshot": snapshot,
        "generated_at": dt.datetime.fromisoformat(report["generated_at"]),
        "headline": presentation.headline(report),
        "sections": presentation.sections(report),
        "reasons": presentation.reason_bars(report),
        "boxes": [presentation.rate_box(report, c) for c in presentation.currencies(report)],
        "currencies": presentation.currencies(report),
        "definitions": presentation.definitions(),
        "snapshots": TransparencySnapshot.objects.filter(program=program).only("published_on", "program"),
        "may_publish": snapshot is None and is_program_staff(request.user, program),
        # Opportunities are counted live from published results (a snapshot keeps only its own figures).
        "opportunities_calls": calls_figures(program) if snapshot is None else None,
        **_publishing_day(program),
    }
    return render(request, "transparency/report.html", context)


def _publishing_day(program: Program) -> dict:
    """Today's snapshot if it is already published (one a day: the page then says when the next may be)."""
    today = timezone.localdate()
    published = TransparencySnapshot.objects.filter(program=program, published_on=today).exists()
    return {"today": today, "published_today": published, "tomorrow": today + dt.timedelta(days=1)}


def _open_data(response: HttpResponse, *, max_age: int) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


def _json(report: dict, *, max_age: int) -> HttpResponse:
    return _open_data(JsonResponse(report, json_dumps_params={"indent": 2, "ensure_ascii": False}), max_age=max_age)


def _csv(report: dict, filename: str, *, max_age: int) -> HttpResponse:
    return _open_data(csv_response(csv_rows(report), filename=filename, inline=True), max_age=max_age)


def _retry_while_computing(view):
    """A program's very first report is computed once while others wait briefly; past that, a 503 to retry."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ReportNotReady as error:
            response = HttpResponse(str(error.message), status=503, content_type="text/plain; charset=utf-8")
            response["Retry-After"] = str(REFRESH_SECONDS)
            return response

    return wrapped


@_retry_while_computing
@require_safe
def report(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_public_program(slug)
    return _page(request, program, report_for(program))


@_retry_while_computing
@require_safe
def report_json(request: HttpRequest, slug: str) -> HttpResponse:
    return _json(report_for(get_public_program(slug)), max_age=CACHE_SECONDS)


@_retry_while_computing
@require_safe
def report_csv(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_public_program(slug)
    return _csv(report_for(program), f"{program.slug}-transparency.csv", max_age=CACHE_SECONDS)


def _snapshot(slug: str, published_on: dt.date) -> TransparencySnapshot:
    program = get_public_program(slug)
    snapshot = TransparencySnapshot.objects.filter(program=program, published_on=published_on).first()
    if snapshot is None:
        raise Http404("No snapshot was published on that day.")
    return snapshot


DAY = 24 * 3600  # snapshots never change


@require_safe
def snapshot(request: HttpRequest, slug: str, published_on: dt.date) -> HttpResponse:
    snap = _snapshot(slug, published_on)
    return _page(request, snap.program, snap.data, snapshot=snap)


@require_safe
def snapshot_json(request: HttpRequest, slug: str, published_on: dt.date) -> HttpResponse:
    return _json(_snapshot(slug, published_on).data, max_age=DAY)


@require_safe
def snapshot_csv(request: HttpRequest, slug: str, published_on: dt.date) -> HttpResponse:
    snap = _snapshot(slug, published_on)
    return _csv(snap.data, f"{slug}-transparency-{published_on:%Y-%m-%d}.csv", max_age=DAY)


@login_required
@require_POST
def snapshot_publish(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_public_program(slug)
    if not is_program_staff(request.user, program):
        raise staff_refusal(program, what=_("Only program staff publish snapshots of the report."))
    try:
        snap = transparency_snapshot_publish(program=program, actor=request.user)
    except DomainError as error:
        refuse(request, error)
        return redirect("transparency:report", slug=program.slug)
    messages.success(
        request,
        _("Published the snapshot of %(day)s. It is kept as it is now.") % {"day": date_format(snap.published_on)},
    )
    return redirect("transparency:snapshot", slug=program.slug, published_on=snap.published_on)
