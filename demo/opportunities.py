"""Demo grants and sessions: a closed grant round with every kind of decision (awards with milestones paid and
pending, declines with their reasons, one decided after its deadline so the round shows it as missed, one
withdrawn), an open round with an application waiting, past sessions whose attendance was paid as hours, and
coming sessions with RSVPs. Every step is a service call on its story day (demo/story.py); rounds and events are
created as staff create them in the admin."""

import datetime as dt
from decimal import Decimal

from calls.models import Event, GrantApplication, GrantMilestone, GrantRound, Rsvp
from calls.services import events as event_services
from calls.services import grants as grant_services
from demo.calendar import story_day
from demo.story import Story, at_hour, told
from programs.models import Program

ROUND_A = "Short-film grants, autumn round"
ROUND_B = "Short-film grants, winter round"
PROJECTS = [
    (
        "Salt Lines",
        "A six-minute film about the salt pans of the Tagus estuary, told through their workers' hands.",
        "1800.00",
    ),
    (
        "The Night Ferry",
        "A night crossing as a single continuous shot, built from generated and filmed plates.",
        "1200.00",
    ),
    ("Quiet Machines", "An essay film about factory robots at rest, made entirely from generated footage.", "900.00"),
    ("Borrowed Light", "Portraits of five dancers lit by generated skies.", "1500.00"),
    ("Field Notes", "A diary of a residency in the Alentejo, one minute a week.", "600.00"),
    ("Second Draft", "A comedy about an AI rewriting a screenplay, shot in one room.", "1000.00"),
    ("Tide Tables", "A winter film about the coast of Nazaré, generated waves over filmed rocks.", "1400.00"),
]
# (artist index, day sent, decision) for the autumn round; a decision is (outcome, day, reason, milestones)
DECISIONS = {
    0: (
        "award",
        (10, 12),
        "meets_criteria",
        [
            ("Script and storyboard", "400.00", (10, 25), (10, 26)),
            ("Rough cut", "600.00", (11, 20), (11, 20)),
            ("Final film delivered", "500.00", (12, 20), None),
        ],
    ),
    1: (
        "award",
        (10, 15),
        "partial_funding",
        [("Animatic", "300.00", (10, 30), (11, 2)), ("Final film delivered", "700.00", (12, 15), None)],
    ),
    2: ("decline", (10, 14), "outside_criteria", "Documentary work fits the spring round better."),
    3: ("decline", (10, 29), "budget_exhausted", "We are sorry this decision came late."),
    4: ("decline", (10, 20), "stronger_applications", ""),
    5: ("withdraw", (10, 12), "", ""),
}


def _moment(month_day, hour=10) -> dt.datetime:
    return at_hour(story_day(2026, *month_day), hour)


def seed_opportunities(program: Program, people: dict, story: Story | None = None) -> None:
    if GrantRound.objects.filter(program=program).exists():
        return
    staff = people["staff"][0]
    artists = people["artists"]
    with told(story) as story:
        _grants(story, program, staff, artists)
        _sessions(story, program, staff, artists)


# --- Grants ------------------------------------------------------------------------------------------
def _round(program: Program, title: str, opens: tuple, closes: tuple) -> GrantRound:
    return GrantRound.objects.create(
        program=program,
        title=title,
        summary="Grants for short films made with the model: up to 2,000 EUR each, paid in milestones.",
        criteria="Originality of the idea; what the model makes possible that was not before; a budget and "
        "schedule that hold; the artist's record.",
        ip_terms="The artist owns the film and everything in it. The program may show the film, credited as the "
        "artist chooses, in its screenings and on its gallery for two years; nothing else.",
        budget=Decimal("5000.00"),
        currency="EUR",
        max_request=Decimal("2000.00"),
        decision_days=14,
        opens_at=_moment(opens, 9),
        closes_at=_moment(closes, 18),
        published=True,
    )


def _application(round_title: str, artist) -> GrantApplication:
    return GrantApplication.objects.get(round__title=round_title, applicant=artist)


def _apply(program: Program, round_title: str, artist, project: tuple) -> None:
    title, description, budget = project
    grant_services.grant_apply(
        round=GrantRound.objects.get(program=program, title=round_title),
        user=artist,
        project_title=title,
        project_description=description,
        budget=budget,
        budget_breakdown="Crew and locations 50%, sound and music 30%, compute and finishing 20%.",
        schedule="Script in the first month, shoot and generation in the second, edit and delivery in the third.",
    )


def _decide(artist, staff, decision) -> None:
    outcome, _day, reason, extra = decision
    application = _application(ROUND_A, artist)
    if outcome == "withdraw":
        grant_services.grant_withdraw(application=application, actor=artist)
    elif outcome == "decline":
        grant_services.grant_decline(application=application, actor=staff, reason=reason, note=extra)
    else:
        plans = [grant_services.MilestonePlan(t, a, story_day(2026, *due)) for t, a, due, _paid in extra]
        grant_services.grant_award(application=application, actor=staff, reason=reason, milestones=plans)


def _confirm(artist, staff, position: int) -> None:
    milestone = GrantMilestone.objects.get(application=_application(ROUND_A, artist), position=position)
    grant_services.milestone_confirm(milestone=milestone, actor=staff)


def _grants(story: Story, program: Program, staff, artists: list) -> None:
    story.at(_moment((10, 1), 8), lambda: _round(program, ROUND_A, (10, 1), (10, 20)))
    for index, decision in DECISIONS.items():
        artist = artists[index]
        story.at(_moment((10, 5 + index), 11), lambda a=artist, i=index: _apply(program, ROUND_A, a, PROJECTS[i]))
        story.at(_moment(decision[1], 15), lambda a=artist, d=decision: _decide(a, staff, d))
        if decision[0] == "award":
            for position, (_t, _a, _due, paid) in enumerate(decision[3], start=1):
                if paid:
                    story.at(_moment(paid, 16), lambda a=artist, p=position: _confirm(a, staff, p))
    story.at(_moment((11, 18), 8), lambda: _round(program, ROUND_B, (11, 18), (12, 15)))
    story.at(_moment((11, 20), 12), lambda: _apply(program, ROUND_B, artists[6], PROJECTS[6]))


# --- Sessions ----------------------------------------------------------------------------------------
# title, kind, (month, day), start hour, hours, capacity, paid, place, link, RSVPs (artist indexes, day),
# cancelled (index, day), attendance ((attended indexes), (absent indexes), day)
SESSIONS = [
    ("Camera moves that hold up", Event.Kind.WORKSHOP, (10, 22), 14, 2, 10, True,
     "Glasshouse studio, Rua do Sol 12, Lisbon", "", (range(0, 8), (10, 15)), (7, (10, 20)),
     (range(0, 6), (6,), (10, 23))),
    ("One-to-one: editing your showcase film", Event.Kind.MENTORSHIP, (11, 5), 10, 1, 3, True,
     "", "https://meet.example.org/glasshouse-mentoring", ((1, 2, 3), (10, 28)), None, ((1, 2, 3), (), (11, 6))),
    ("Autumn screening: films from the program", Event.Kind.SCREENING, (11, 19), 19, 2, 40, False,
     "Cinema Ideal, Rua do Loreto 15, Lisbon", "", (range(0, 10), (11, 14)), None,
     (range(0, 8), (8, 9), (11, 20))),
    ("Sound design with the model", Event.Kind.WORKSHOP, (11, 29), 15, 2, 8, True,
     "Glasshouse studio, Rua do Sol 12, Lisbon", "https://meet.example.org/glasshouse-sound",
     (range(0, 5), (11, 20)), (4, (11, 21)), None),
    ("Spring cohort mentoring circle", Event.Kind.MENTORSHIP, (12, 3), 17, 1, 5, True,
     "", "https://meet.example.org/glasshouse-circle", ((0, 1), (11, 21)), None, None),
    ("Winter screening", Event.Kind.SCREENING, (12, 10), 19, 2, 60, False,
     "Cinema Ideal, Rua do Loreto 15, Lisbon", "", None, None, None),
]  # fmt: skip


def _event(program: Program, session: tuple) -> Event:
    title, kind, day, hour, hours, capacity, paid, place, link = session[:9]
    starts_at = _moment(day, hour)
    cohort = program.cohorts.get(name="Spring cohort") if "cohort" in title else None
    return Event.objects.create(
        program=program,
        kind=kind,
        title=title,
        description="Bring a short clip you are working on. Staff record attendance afterwards.",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours),
        place=place,
        link=link,
        capacity=capacity,
        audience=Event.Audience.COHORT if cohort else Event.Audience.ARTISTS,
        cohort=cohort,
        paid=paid,
        published=True,
    )


def _attend(title: str, artist, staff, attended: bool) -> None:
    rsvp = Rsvp.objects.get(event__title=title, user=artist)
    event_services.attendance_record(rsvp=rsvp, actor=staff, attended=attended)


def _sessions(story: Story, program: Program, staff, artists: list) -> None:
    for session in SESSIONS:
        title, day = session[0], session[2]
        rsvps, cancelled, attendance = session[9:]
        story.at(_moment((day[0], day[1]), 7) - dt.timedelta(days=21), lambda s=session: _event(program, s))
        if rsvps:
            for index in rsvps[0]:
                story.at(
                    _moment(rsvps[1], 9) + dt.timedelta(minutes=index),
                    lambda t=title, a=artists[index]: event_services.rsvp(event=Event.objects.get(title=t), user=a),
                )
        if cancelled:
            index, when = cancelled
            story.at(
                _moment(when, 9),
                lambda t=title, a=artists[index]: event_services.rsvp_cancel(event=Event.objects.get(title=t), user=a),
            )
        if attendance:
            came, missed, when = attendance
            for index in [*came, *missed]:
                story.at(_moment(when, 10), lambda t=title, a=artists[index], y=index in came: _attend(t, a, staff, y))
