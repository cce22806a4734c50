"""Open-call pages: the public call and its results, entering, the jury's pages, and the program staff's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from calls.access import calls as access
from calls.forms.calls import CallForm, ConflictForm, EntryForm, ScoreForm
from calls.models import Call, Entry
from calls.selectors.calls import entered, expected_scores_missing, score_table
from calls.services import calls as services
from core.errors import Refusal
from core.outcomes import refuse, run_and_redirect
from core.private_media import serve_private_file
from submissions.access.videos import artist_hidden_from

# --- the public -------------------------------------------------------------------------------------------------


@require_safe
def call_list(request: HttpRequest) -> HttpResponse:
    calls = access.public_calls().order_by("-opens_at", "-pk")[:100]
    return render(request, "calls/calls/list.html", {"calls": calls})


@require_safe
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = access.get_public_call(pk)
    user = request.user
    context = {
        "call": call,
        "criteria": call.criteria.all(),
        "prizes": call.prize_tiers.all(),
        "jurors": call.jurors.select_related("user", "call"),
        "cohorts": call.eligible_cohorts.all(),
        "own_entries": access.own_entries(user, call),
        "may_enter": call.status == Call.Status.OPEN and access.may_enter(user, call),
        "is_juror": access.juror_of(user, call) is not None,
        "is_staff": access.is_call_staff(user, call),
    }
    return render(request, "calls/calls/detail.html", context)


@require_safe
def call_results(request: HttpRequest, pk: int) -> HttpResponse:
    call = access.get_call_results(pk)
    return render(request, "calls/calls/results.html", {"call": call, "table": score_table(call)})


# --- artists ----------------------------------------------------------------------------------------------------


def _enter_page(request, call: Call, form=None, status: int = 200) -> HttpResponse:
    if not access.may_enter(request.user, call):
        raise Refusal(
            _("Only artists of the eligible cohorts of %(program)s may enter this call.") % {"program": call.program},
            next_url=reverse("calls:detail", args=[call.pk]),
            next_label=_("Back to the call"),
        )
    taken = set(
        access.own_entries(request.user, call).filter(status=Entry.Status.ENTERED).values_list("video", flat=True)
    )
    videos = [v for v in access.eligible_videos(request.user, call) if v.pk not in taken]
    context = {"call": call, "form": form or EntryForm(videos=videos), "videos": videos}
    return render(request, "calls/calls/enter.html", context, status=status)


@login_required
@require_safe
def enter(request: HttpRequest, pk: int) -> HttpResponse:
    return _enter_page(request, access.get_public_call(pk))


@login_required
@require_POST
def enter_submit(request: HttpRequest, pk: int) -> HttpResponse:
    call = access.get_public_call(pk)
    videos = access.eligible_videos(request.user, call)
    form = EntryForm(request.POST, videos=videos)
    if not form.is_valid():
        return _enter_page(request, call, form=form, status=400)
    return run_and_redirect(
        request,
        lambda: services.entry_submit(
            call=call,
            artist=request.user,
            video_id=form.cleaned_data["video"],
            statement=form.cleaned_data["statement"],
        ),
        success=_("Your entry is in. Only you and the jury see it until the results."),
        to=reverse("calls:detail", args=[call.pk]),
    )


@login_required
@require_POST
def entry_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access.get_own_entry(request.user, pk)
    return run_and_redirect(
        request,
        lambda: services.entry_withdraw(entry=entry, artist=request.user),
        success=_("Your entry is withdrawn."),
        to=reverse("calls:detail", args=[entry.call_id]),
    )


# --- the jury ---------------------------------------------------------------------------------------------------


@login_required
@require_safe
def judge(request: HttpRequest, pk: int) -> HttpResponse:
    call = access.get_public_call(pk)
    juror = access.require_juror(request.user, call)
    entries = entered(call).exclude(artist=request.user).select_related("video").order_by("created_at", "pk")
    conflicted = set(juror.conflicts.values_list("entry_id", flat=True))
    scored = set(juror.scores.values_list("entry_id", flat=True))
    rows = [(entry, entry.pk in conflicted, entry.pk in scored) for entry in entries]
    context = {
        "call": call,
        "juror": juror,
        "rows": rows,
        "own_entries": entered(call).filter(artist=request.user).count(),
    }
    return render(request, "calls/calls/judge.html", context)


def _judge_entry_page(request, entry: Entry, juror, form=None, status: int = 200) -> HttpResponse:
    call = entry.call
    existing = {s.criterion_id: s for s in entry.scores.filter(juror=juror)}
    context = {
        "call": call,
        "entry": entry,
        "juror": juror,
        "why_not": access.may_score(juror, entry),
        "form": form or ScoreForm(call=call, criteria=call.criteria.all(), existing=existing),
        "conflict_form": ConflictForm(),
        "scoring_open": call.status == Call.Status.JUDGING,
        "artist_hidden": artist_hidden_from(request.user, entry.video),  # the program's blind review holds here too
    }
    return render(request, "calls/calls/judge_entry.html", context, status=status)


@login_required
@require_safe
def judge_entry(request: HttpRequest, pk: int) -> HttpResponse:
    entry, juror = access.get_entry_for_juror(request.user, pk)
    return _judge_entry_page(request, entry, juror)


@login_required
@require_safe
def judge_entry_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The entered video, for the jury (guests on the jury hold no role that opens the artist's own pages)."""
    entry, _juror = access.get_entry_for_juror(request.user, pk)
    video = entry.video
    if not video.file:
        raise Http404(_("This video has no file."))
    return serve_private_file(
        video.file.name,
        download_name=f"glasshouse-entry-{entry.pk}.{video.container or 'mp4'}",
        content_type=video.content_type,
        range_header=request.headers.get("Range", ""),
    )


@login_required
@require_POST
def score(request: HttpRequest, pk: int) -> HttpResponse:
    entry, juror = access.get_entry_for_juror(request.user, pk)
    form = ScoreForm(request.POST, call=entry.call, criteria=entry.call.criteria.all())
    if not form.is_valid():
        refuse(request, _("Nothing was recorded: correct the scores marked below."))
        return _judge_entry_page(request, entry, juror, form=form, status=400)
    return run_and_redirect(
        request,
        lambda: services.scores_record(juror=juror, entry=entry, scores=form.scores()),
        success=_("Your scores are recorded; you may change them until judging ends."),
        to=reverse("calls:judge_entry", args=[entry.pk]),
    )


@login_required
@require_POST
def conflict(request: HttpRequest, pk: int) -> HttpResponse:
    entry, juror = access.get_entry_for_juror(request.user, pk)
    form = ConflictForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return run_and_redirect(
        request,
        lambda: services.conflict_declare(juror=juror, entry=entry, reason=reason),
        success=_("Your conflict of interest is recorded: you will not score this entry."),
        to=reverse("calls:judge", args=[entry.call_id]),
    )


# --- program staff ----------------------------------------------------------------------------------------------


def _staff_list_page(request, program, form=None, status: int = 200) -> HttpResponse:
    context = {
        "program": program,
        "calls": Call.objects.filter(program=program).order_by("-opens_at", "-pk"),
        "form": form or CallForm(program=program),
    }
    return render(request, "calls/calls/staff_list.html", context, status=status)


@login_required
@require_safe
def staff_calls(request: HttpRequest, slug: str) -> HttpResponse:
    return _staff_list_page(request, access.get_program_for_call_staff(request.user, slug))


@login_required
@require_POST
def staff_call_create(request: HttpRequest, slug: str) -> HttpResponse:
    program = access.get_program_for_call_staff(request.user, slug)
    form = CallForm(request.POST, program=program)
    if not form.is_valid():
        return _staff_list_page(request, program, form=form, status=400)
    try:
        call = services.call_create(program=program, actor=request.user, terms=form.terms())
    except services.CallError as error:
        refuse(request, error)
        return _staff_list_page(request, program, form=form, status=400)
    messages.success(request, _("Draft saved: check it, then open the call."))
    return redirect("calls:staff_call", call.pk)


def _staff_call_page(request, call: Call, form=None, status: int = 200) -> HttpResponse:
    context = {
        "call": call,
        "program": call.program,
        "form": form or (CallForm.initial_from(call, call.program) if call.status == Call.Status.DRAFT else None),
        "entries": call.entries.select_related("video", "artist", "prize").order_by("created_at", "pk"),
        "jurors": call.jurors.select_related("user"),
        "missing": expected_scores_missing(call) if call.status == Call.Status.JUDGING else 0,
        "events": call.events.select_related("actor"),
        "next": Call.MOVES.get(call.status, set()),
        "Status": Call.Status,
    }
    return render(request, "calls/calls/staff_call.html", context, status=status)


@login_required
@require_safe
def staff_call(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_call_page(request, access.get_call_for_staff(request.user, pk))


@login_required
@require_POST
def staff_call_update(request: HttpRequest, pk: int) -> HttpResponse:
    call = access.get_call_for_staff(request.user, pk)
    form = CallForm(request.POST, program=call.program)
    if not form.is_valid():
        return _staff_call_page(request, call, form=form, status=400)
    return run_and_redirect(
        request,
        lambda: services.call_update(call=call, actor=request.user, terms=form.terms()),
        success=_("The draft is saved."),
        to=reverse("calls:staff_call", args=[call.pk]),
    )


@login_required
@require_POST
def staff_call_move(request: HttpRequest, pk: int) -> HttpResponse:
    call = access.get_call_for_staff(request.user, pk)
    moves = {
        Call.Status.OPEN: (services.call_open, _("The call is open: its page is public.")),
        Call.Status.JUDGING: (services.call_start_judging, _("Entries are closed: the jury may score.")),
        Call.Status.RESULTS: (services.call_publish_results, _("The results are published and the prizes booked.")),
    }
    chosen = moves.get(request.POST.get("to", ""))
    to = reverse("calls:staff_call", args=[call.pk])
    if chosen is None:
        refuse(request, _("Choose the step the call takes next."))
        return redirect(to)
    action, success = chosen
    return run_and_redirect(request, lambda: action(call=call, actor=request.user), success=success, to=to)
