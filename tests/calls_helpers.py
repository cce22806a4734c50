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
