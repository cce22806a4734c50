"""Helpers for tests about open calls: approved videos without the review steps, and a call in any state."""

import dataclasses
import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from calls.models import Call
from calls.services import calls as services
from submissions.models import Video
from tests.video_helpers import PROVENANCE, clip, make_video

_hues = itertools.count(200)


def approved_video(artist, program, title: str = "") -> Video:
    """A processed video of `artist`, set straight to approved (the review workflow has its own tests)."""
    provenance = dataclasses.replace(PROVENANCE, title=title or "Entry film")
    video = make_video(artist, program, data=clip(hue=next(_hues) % 360, seconds=1), provenance=provenance)
    Video.objects.filter(pk=video.pk).update(status=Video.Status.APPROVED)
    video.refresh_from_db()
    return video


def terms(*, jurors, now=None, **changes) -> services.CallTerms:
    now = now or timezone.now()
    fields = {
        "title": "Night trains",
        "kind": Call.Kind.COMPETITION,
        "brief": "A short film about night trains.",
        "opens_at": now - dt.timedelta(days=1),
        "closes_at": now + dt.timedelta(days=7),
        "judging_ends_at": now + dt.timedelta(days=14),
        "results_on": (now + dt.timedelta(days=15)).date(),
        "ip_terms": "You keep every right.",
        "currency": "EUR",
        "scale_max": 10,
        "tie_break": Call.TieBreak.HEAVIEST_CRITERION,
        "jurors_shown": Call.JurorsShown.BY_NAME,
        "criteria": (("Story", 60, "What it tells"), ("Craft", 40, "How it is made")),
        "prizes": (("First prize", Decimal("1500.00"), 1), ("Runner-up", Decimal("500.00"), 2)),
        "jurors": tuple(jurors),
    }
    fields.update(changes)
    return services.CallTerms(**fields)


def open_call(program, staff, *, jurors, **changes) -> Call:
    call = services.call_create(program=program, actor=staff, terms=terms(jurors=jurors, **changes))
    return services.call_open(call=call, actor=staff)


def to_judging(call: Call, staff) -> Call:
    """Close the entry window now (the dates are the call's; tests move them as time would)."""
    now = timezone.now()
    Call.objects.filter(pk=call.pk).update(closes_at=now - dt.timedelta(seconds=1))
    call.refresh_from_db()
    return services.call_start_judging(call=call, actor=staff)


def add_open_call_world(w) -> None:
    """For the access matrix: an open call judged by the reviewer, with the artist's published video entered, and a
    finished call (no entries) whose results are public."""
    staff, artist, reviewer = w.users["staff"], w.users["artist"], w.users["reviewer"]
    w.call = open_call(w.program, staff, jurors=[reviewer])
    w.entry = services.entry_submit(call=w.call, artist=artist, video_id=w.published.pk, statement="Mine.")
    finished = open_call(w.program, staff, jurors=[reviewer], title="Finished call")
    w.finished_call = services.call_publish_results(call=to_judging(finished, staff), actor=staff)


def _call(w) -> dict:
    return {"pk": w.call.pk}


def _entry(w) -> dict:
    return {"pk": w.entry.pk}


_JURY = (302, 403, 403, 200, 403)  # the reviewer sits on the jury; nobody else sees its page
_JURY_ENTRY = (302, 404, 404, 200, 404)  # an entry exists only for its jury (and its artist, on the call's page)
_POST = (302, 405, 405, 405, 405)

OPEN_CALLS_ACCESS = {
    "calls:list": ((200,) * 5, lambda w: {}),
    "calls:detail": ((200,) * 5, _call),
    "calls:results": ((200,) * 5, lambda w: {"pk": w.finished_call.pk}),
    "calls:enter": ((302, 200, 200, 403, 403), _call),
    "calls:enter_submit": (_POST, _call),
    "calls:entry_withdraw": (_POST, _entry),
    "calls:judge": (_JURY, _call),
    "calls:judge_entry": (_JURY_ENTRY, _entry),
    "calls:judge_entry_file": (_JURY_ENTRY, _entry),
    "calls:score": (_POST, _entry),
    "calls:conflict": (_POST, _entry),
    "calls:staff_calls": ((302, 403, 403, 403, 200), lambda w: {"slug": w.program.slug}),
    "calls:staff_call_create": (_POST, lambda w: {"slug": w.program.slug}),
    "calls:staff_call": ((302, 404, 404, 404, 200), _call),
    "calls:staff_call_update": (_POST, _call),
    "calls:staff_call_move": (_POST, _call),
}
