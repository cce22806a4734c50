"""The demo's open calls: a screening competition judged last month, its results and paid prizes public, and a
commission call open now with its first entries. Every step runs through the services on its day (demo.story)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from calls.access.calls import may_enter
from calls.models import Call, Entry, Event
from calls.services import calls as services
from demo.story import Story, days_ago, told
from demo.users import demo_user
from programs.models import Program
from submissions.models import Video

GUEST_JUROR = "Odile Marchetti"  # a film programmer on the jury: an account with no role in the program

FINISHED = {
    "title": "Night Light: a screening competition",
    "kind": Call.Kind.SCREENING,
    "brief": (
        "Make a film of two minutes or less about light after dark: a city, a kitchen, a train window. The five "
        "best-ranked films are screened at the Glasshouse evening in Rotterdam, with their artists credited as they "
        "choose, and every prize is paid through the program's ledger."
    ),
    "criteria": (
        ("Story", 40, "Does the film make us feel something in its length?"),
        ("Use of light", 35, "Light as a subject, not only as exposure."),
        ("Craft", 25, "Editing, sound and pacing."),
    ),
    "prizes": (
        ("First prize", Decimal("1500.00"), 1),
        ("Second prize", Decimal("750.00"), 1),
        ("Screening selection", Decimal("250.00"), 3),
    ),
    "tie_break": Call.TieBreak.HEAVIEST_CRITERION,
    "jurors_shown": Call.JurorsShown.BY_NAME,
}

OPEN = {
    "title": "Commission: the spring campaign film",
    "kind": Call.Kind.COMMISSION,
    "brief": (
        "We commission one thirty-second film for the program's spring campaign. Enter a film that shows how you "
        "would approach it; the jury picks one artist, who is paid the commission fee and keeps every right."
    ),
    "criteria": (("Fit with the brief", 50, "Would it work as the campaign film?"), ("Originality", 50, "")),
    "prizes": (("Commission fee", Decimal("3000.00"), 1),),
    "tie_break": Call.TieBreak.EARLIEST_ENTRY,
    "jurors_shown": Call.JurorsShown.BY_NUMBER,
}

IP_TERMS = (
    "You keep every right in your film. Glasshouse claims no rights beyond showing it at this call's screening and "
    "on its results page, credited as you choose. Nothing is used to train a model."
)

STATEMENTS = [
    "Shot around one streetlamp over a week of evenings; the prompt changed, the lamp did not.",
    "My grandmother's kitchen at 5 a.m., rebuilt from memory and two photographs.",
    "A night train seen from the outside: every window a different small story.",
    "The light of a phone screen as the only light in the room, and what it hides.",
    "A harbour crane as a lighthouse: I wanted the machine to look kind.",
    "Fog and sodium lamps: the colour of the city I grew up in.",
]


def _terms(
    spec: dict, *, opens: dt.datetime, closes: dt.datetime, judging_ends: dt.datetime, jurors
) -> services.CallTerms:
    return services.CallTerms(
        title=spec["title"],
        kind=spec["kind"],
        brief=spec["brief"],
        opens_at=opens,
        closes_at=closes,
        judging_ends_at=judging_ends,
        results_on=timezone.localdate(judging_ends) + dt.timedelta(days=1),
        ip_terms=IP_TERMS,
        currency="EUR",
        scale_max=10,
        tie_break=spec["tie_break"],
        jurors_shown=spec["jurors_shown"],
        criteria=spec["criteria"],
        prizes=spec["prizes"],
        jurors=tuple(jurors),
    )


def _create_and_open(program: Program, actor, terms: services.CallTerms) -> None:
    call = services.call_create(program=program, actor=actor, terms=terms)
    services.call_open(call=call, actor=actor)


def _screen_at(program: Program, title: str, screening: str) -> None:
    """The call's chosen films are shown at one of the program's screenings (demo/opportunities.py makes it)."""
    screenings = Event.objects.filter(program=program, kind=Event.Kind.SCREENING, title=screening)
    screenings.update(open_call=_call(program, title))


def _call(program: Program, title: str) -> Call:
    return Call.objects.get(program=program, title=title)


def _enter(program: Program, title: str, count: int, offset: int = 0) -> None:
    """The first `count` artists who may enter send one approved or published video each, as they stand today."""
    call = _call(program, title)
    videos = (
        Video.objects.filter(
            program=program, status__in=(Video.Status.APPROVED, Video.Status.PUBLISHED), artist__deleted_at__isnull=True
        )
        .select_related("artist")
        .order_by("pk")
    )
    chosen, seen = [], set()
    for video in videos:
        if video.artist_id not in seen and may_enter(video.artist, call):
            seen.add(video.artist_id)
            chosen.append(video)
    for index, video in enumerate(chosen[offset : offset + count]):
        statement = STATEMENTS[(index + offset) % len(STATEMENTS)]
        services.entry_submit(call=call, artist=video.artist, video_id=video.pk, statement=statement)


def _judge(program: Program, title: str) -> None:
    """Each juror scores each entry they may (the guest declares a conflict with one entry first)."""
    call = _call(program, title)
    services.call_start_judging(call=call, actor=call.created_by)
    entries = list(call.entries.filter(status=Entry.Status.ENTERED).order_by("pk"))
    criteria = list(call.criteria.all())
    for number, juror in enumerate(call.jurors.select_related("user").order_by("number")):
        for index, entry in enumerate(entries):
            if number == 2 and index == 1:
                services.conflict_declare(juror=juror, entry=entry, reason="I taught this artist at film school.")
                continue
            if entry.artist_id == juror.user_id:
                continue
            scores = {
                c.pk: (4 + (index * 5 + number * 2 + position) % 6, _note(index, position))
                for position, c in enumerate(criteria)
            }
            services.scores_record(juror=juror, entry=entry, scores=scores)


def _note(index: int, position: int) -> str:
    notes = ["Holds together to the last frame.", "The light is the film.", "The cut at the end is too quick.",
             "Quiet and sure of itself.", "Sound carries it more than the images."]  # fmt: skip
    return notes[(index + position) % len(notes)]


def seed_calls(program: Program, people: dict, story: Story | None = None) -> None:
    if Call.objects.filter(program=program).exists():
        return
    staff = people["staff"][1]  # the program staff account, not the superuser
    reviewers = people["reviewers"]
    guest = demo_user(GUEST_JUROR)
    with told(story) as story:
        finished = _terms(
            FINISHED,
            opens=days_ago(45),
            closes=days_ago(25, 23, 59),
            judging_ends=days_ago(15, 18),
            jurors=[reviewers[0], reviewers[2], guest],
        )
        story.at(days_ago(46), lambda: _create_and_open(program, staff, finished))
        story.at(days_ago(28), lambda: _enter(program, finished.title, 6))
        story.at(days_ago(25, 23, 59) + dt.timedelta(minutes=2), lambda: _judge(program, finished.title))
        story.at(days_ago(14), lambda: services.call_publish_results(call=_call(program, finished.title), actor=staff))
        story.at(days_ago(13), lambda: _screen_at(program, finished.title, "Winter screening"))
        current = _terms(
            OPEN,
            opens=days_ago(5),
            closes=days_ago(-21, 23, 59),
            judging_ends=days_ago(-35, 18),
            jurors=[reviewers[1], guest],
        )
        story.at(days_ago(6), lambda: _create_and_open(program, staff, current))
        story.at(days_ago(2), lambda: _enter(program, current.title, 3, offset=1))
