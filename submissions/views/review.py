"""The reviewer's side: the queue, the review page, claims, decisions and appeals."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.outcomes import refuse
from core.query import int_param
from programs.refusals import reviewer_refusal
from submissions.access import get_video_for_reviewer, may_decide, may_decide_appeal
from submissions.access.review_rules import took_part_in_decisions
from submissions.forms.approvals import AppealDecisionForm, DecisionForm
from submissions.models import Appeal, ReviewPolicy, Video
from submissions.selectors import QUEUE_STATES, QueueFilters, review_queue, reviewer_programs, reviewer_steps
from submissions.selectors_comments import comment_threads, version_stack
from submissions.services import approvals
from submissions.services.approvals import ReviewError

PAGE_SIZE = 25


def _require_reviewer(user) -> None:
    if not reviewer_programs(user).exists():
        raise reviewer_refusal()


@login_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request.user)
    filters = QueueFilters(
        program=int_param(request.GET.get("program")),
        step=int_param(request.GET.get("step")),
        state=request.GET.get("state") or None,
    )
    per_page = min(max(int_param(request.GET.get("per_page")) or PAGE_SIZE, 10), 100)
    page = Paginator(review_queue(request.user, filters), per_page).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "now": timezone.now(),
        "filters": filters,
        "programs": reviewer_programs(request.user),
        "steps": reviewer_steps(request.user).select_related("program"),
        "states": [(s, Video.Status(s).label) for s in QUEUE_STATES],
        "blind_programs": set(
            ReviewPolicy.objects.filter(program__in=reviewer_programs(request.user), blind_review=True).values_list(
                "program_id", flat=True
            )
        ),
    }
    return render(request, "submissions/review/queue.html", context)


@login_required
@require_POST
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    video = get_video_for_reviewer(request.user, pk)
    try:
        approvals.review_claim(video_id=video.pk, reviewer=request.user)
    except ReviewError as exc:
        refuse(request, exc)
        return redirect("submissions:review_queue")
    return redirect("submissions:review_video", pk=video.pk)


@login_required
@require_POST
def claim_next(request: HttpRequest) -> HttpResponse:
    """Open the next video of the queue that nobody else is reviewing."""
    _require_reviewer(request.user)
    for video in review_queue(request.user)[:50]:
        try:
            approvals.review_claim(video_id=video.pk, reviewer=request.user)
        except ReviewError:
            continue
        return redirect("submissions:review_video", pk=video.pk)
    messages.success(request, _("Nothing is waiting for you. Thank you!"))
    return redirect("submissions:review_queue")


@login_required
@require_safe
def review_video(request: HttpRequest, pk: int) -> HttpResponse:
    video = get_video_for_reviewer(request.user, pk)
    return render(request, "submissions/review/review.html", _review_context(request, video))


def _review_context(request, video: Video, form: DecisionForm | None = None) -> dict:
    policy = ReviewPolicy.for_program(video.program)
    threads = comment_threads(request.user, video)
    return {
        "threads": threads,
        "citable": [t for t in threads if not t.internal and not t.is_resolved],
        "cited_ids": {int_param(pk) for pk in request.POST.getlist("cite")},
        "versions": version_stack(video),
        "submit_key": uuid.uuid4(),
        "video": video,
        "review": getattr(video, "review", None),
        "policy": policy,
        "anonymous": policy.blind_review,
        "cannot_decide": may_decide(request.user, video),
        "claim": getattr(video, "claim", None),
        "form": form or DecisionForm(program=video.program),
        "events": video.events.select_related("actor"),
        "decisions": video.decisions.select_related("step", "reviewer", "reason_code"),
        "appeal": Appeal.objects.filter(video=video).first(),
        "cannot_decide_appeal": may_decide_appeal(request.user, video),
        "appeal_form": AppealDecisionForm(),
    }


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    video = get_video_for_reviewer(request.user, pk)
    form = DecisionForm(request.POST, program=video.program)
    error = None
    if form.is_valid():
        try:
            decision = approvals.review_decide(
                video_id=video.pk,
                reviewer=request.user,
                outcome=form.cleaned_data["outcome"],
                reason_code=form.cleaned_data["reason_code"],
                note=form.cleaned_data["note"],
                seen_step_id=form.cleaned_data["step"],
                seen_version=form.cleaned_data["version"],
                cited_comment_ids=[pk for pk in map(int_param, request.POST.getlist("cite")) if pk is not None],
            )
        except ReviewError as exc:
            error = exc.message
        else:
            return _decided(request, video, decision)
    else:
        error = _("Check the decision: %(errors)s") % {
            "errors": "; ".join(e for errors in form.errors.values() for e in errors)
        }
    if request.htmx:
        context = {**_review_context(request, get_video_for_reviewer(request.user, pk), form), "error": error}
        return render(request, "submissions/review/review.html#decision-panel", context, status=422)
    refuse(request, error)
    return redirect("submissions:review_video", pk=video.pk)


def _decided(request, video: Video, decision) -> HttpResponse:
    confirmation = _("Recorded: %(outcome)s on “%(video)s” at %(step)s.") % {
        "outcome": decision.get_outcome_display().lower(),
        "video": video,
        "step": decision.step.name,
    }
    if request.htmx:
        return render(request, "submissions/review/_decided.html", {"confirmation": confirmation, "video": video})
    messages.success(request, confirmation)
    return redirect("submissions:review_queue")


@login_required
@require_POST
def decide_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    video = get_video_for_reviewer(request.user, pk)
    form = AppealDecisionForm(request.POST)
    if not form.is_valid():
        refuse(request, _("Choose overturn or uphold, and write a note to the artist."))
        return redirect("submissions:review_video", pk=video.pk)
    try:
        appeal = approvals.appeal_decide(
            video_id=video.pk,
            reviewer=request.user,
            overturn=form.cleaned_data["overturn"],
            note=form.cleaned_data["note"],
        )
    except ReviewError as exc:
        refuse(request, exc)
        return redirect("submissions:review_video", pk=video.pk)
    messages.success(request, _("Appeal decided: %(outcome)s.") % {"outcome": appeal.get_outcome_display().lower()})
    return redirect("submissions:review_appeals")


@login_required
@require_safe
def appeals(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request.user)
    programs = set(reviewer_programs(request.user).values_list("pk", flat=True))
    open_appeals = (
        Appeal.objects.filter(video__status=Video.Status.APPEALED, video__program__in=programs)
        .exclude(video__artist=request.user)
        .select_related("video", "video__program")
        .annotate(took_part=took_part_in_decisions(request.user))
        .order_by("deadline_at", "pk")
    )
    page = Paginator(open_appeals, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (appeal, may_decide_appeal(request.user, appeal.video, reviews_program=True, took_part=appeal.took_part))
        for appeal in page.object_list
    ]
    return render(request, "submissions/review/appeals.html", {"rows": rows, "page": page})
