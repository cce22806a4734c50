"""The artist's studio: the form, the live job list (htmx), cancel, retry and remix; preset example stills."""

import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from core.outcomes import run_and_redirect
from core.private_media import serve_private_file
from core.query import int_param
from core.request_limits import body_limit
from studio.access import get_job_for_artist, get_preset_for_user, studio_enrolment_or_refuse
from studio.forms import ClipForm, remix_initial
from studio.models import GenerationJob, StylePreset
from studio.providers import registry
from studio.providers.base import WebhookRejected
from studio.selectors import QueueView, allowance_for
from studio.services.jobs import StudioError, job_cancel, job_request, job_retry
from studio.tasks import poll_generation_job
from submissions.images import screenshots_request_bytes

POLL_SECONDS = 3
WEBHOOK_MAX_BYTES = 256 * 1024
PAGE_SIZE = 50


def _page_context(request: HttpRequest, enrolment, enrolments) -> dict:
    studio = enrolment.program.studio_settings
    jobs = (
        GenerationJob.objects.filter(artist=request.user, program=enrolment.program)
        .select_related("model", "preset", "video")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    queued = {job.pk for job in page if job.status == GenerationJob.Status.QUEUED}
    queue = QueueView.for_program(studio, queued) if queued else QueueView({}, {})
    for job in page:
        job.queue_position = queue.positions.get(job.pk)
        job.wait_minutes = math.ceil(queue.waits.get(job.pk, 0) / 60)
    return {
        "enrolment": enrolment,
        "enrolments": enrolments,
        "program": enrolment.program,
        "studio": studio,
        "page": page,
        "any_active": any(job.is_active for job in page),
        "allowance": allowance_for(studio, request.user),
        "presets": StylePreset.objects.filter(program=enrolment.program, active=True),
        "poll_seconds": POLL_SECONDS,
    }


@login_required
@require_safe
def studio_home(request: HttpRequest) -> HttpResponse:
    enrolment, enrolments = studio_enrolment_or_refuse(request.user, request.GET.get("program"))
    initial = {}
    if (remix := request.GET.get("remix")) is not None:
        if (pk := int_param(remix)) is None:
            raise Http404("No such job.")
        initial = remix_initial(get_job_for_artist(request.user, pk))
    form = ClipForm(initial=initial, studio=enrolment.program.studio_settings)
    context = {**_page_context(request, enrolment, enrolments), "form": form, "remixing": bool(initial)}
    return render(request, "studio/studio.html", context)


@login_required
@require_safe
def studio_jobs(request: HttpRequest) -> HttpResponse:
    """What the page polls while a job is queued or running: the job list and the allowance."""
    enrolment, enrolments = studio_enrolment_or_refuse(request.user, request.GET.get("program"))
    return render(request, "studio/studio.html#jobs", _page_context(request, enrolment, enrolments))


@body_limit(screenshots_request_bytes)
@login_required
@require_POST
def studio_request(request: HttpRequest) -> HttpResponse:
    enrolment, enrolments = studio_enrolment_or_refuse(request.user, request.POST.get("program"))
    form = ClipForm(request.POST, request.FILES, studio=enrolment.program.studio_settings)
    if form.is_valid():
        try:
            job = job_request(
                enrolment=enrolment,
                actor=request.user,
                ask=form.clip_request(),
                form_token=form.cleaned_data["form_token"],
            )
        except StudioError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Queued: “%(job)s”. This page follows it.") % {"job": job})
            return redirect(f"{reverse('studio:home')}?program={enrolment.program.slug}")
    context = {**_page_context(request, enrolment, enrolments), "form": form}
    return render(request, "studio/studio.html", context, status=400)


def _back(job: GenerationJob) -> str:
    return f"{reverse('studio:home')}?program={job.program.slug}"


@login_required
@require_POST
def studio_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_job_for_artist(request.user, pk)
    return run_and_redirect(
        request,
        lambda: job_cancel(job=job, actor=request.user),
        success=_("Cancelled: nothing it makes will become a video."),
        to=_back(job),
    )


@login_required
@require_POST
def studio_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_job_for_artist(request.user, pk)
    token = request.POST.get("form_token", "")[:64]
    return run_and_redirect(
        request,
        lambda: job_retry(job=job, actor=request.user, form_token=token),
        success=_("Queued again with the same settings."),
        to=_back(job),
    )


@body_limit(WEBHOOK_MAX_BYTES)
@csrf_exempt  # a provider calls it; its signature is checked by the adapter instead
@require_POST
def provider_webhook(request: HttpRequest, key: str) -> HttpResponse:
    """A provider says a job changed: verify it, then poll that job now (polling stays the source of truth)."""
    try:
        provider = registry.get_provider(key)
        event = provider.parse_webhook(dict(request.headers), request.body)
    except registry.ProviderUnavailable:
        raise Http404("No such provider.") from None
    except WebhookRejected:
        return HttpResponse(status=400)
    if event is None:
        raise Http404("This provider sends no webhooks.")
    running = GenerationJob.objects.filter(
        model__provider=key, provider_job_id=event.provider_job_id, status=GenerationJob.Status.RUNNING
    )
    for job_id in running.values_list("pk", flat=True):
        poll_generation_job.delay_on_commit(job_id)
    return HttpResponse(status=204)


@login_required
@require_safe
def preset_example(request: HttpRequest, pk: int) -> HttpResponse:
    preset = get_preset_for_user(request.user, pk)
    if not preset.example:
        raise Http404("No example still.")
    return serve_private_file(
        preset.example.name, download_name=f"preset-{preset.pk}", content_type=preset.example_type or "image/png"
    )
