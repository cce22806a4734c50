"""Demo data for programs: one program a few months in, two cohorts, enrolments in every state.

The program, its cohorts and its staff are made at once; how each artist came in (an application or a direct
invitation, the agreement, consent, a pause, a departure) is told through the services in demo/enrolment.py,
and who ends up where is in demo/cast.py.
"""

import datetime as dt

import time_machine

from core import lifecycle
from demo import calendar
from demo.calendar import story_day
from demo.enrolment import seed_enrolment_records
from demo.story import Story, told
from programs.models import Cohort, Program, ProgramRole
from programs.services.roles import program_role_grant

PROGRAM_SLUG = "lumen-early-access"


def program_began() -> dt.datetime:
    """Every demo date falls after this moment, as the portal's date bounds (programs/date_bounds.py) require."""
    return dt.datetime.combine(story_day(2026, 7, 1), dt.time(9), tzinfo=dt.UTC)


def seed_program(people: dict, story: Story | None = None) -> Program:
    existing = Program.objects.filter(slug=PROGRAM_SLUG).first()
    if existing is not None:
        return existing
    with calendar.pinned(), time_machine.travel(program_began(), tick=False):  # story dates: today's calendar
        program = lifecycle.initial(
            Program,
            Program.Status.OPEN,
            slug=PROGRAM_SLUG,
            name="Lumen Early Access",
            tagline="Shape the Lumen video model before release, paid and credited.",
            time_zone="Europe/Amsterdam",  # the team's clock: artists elsewhere see deadlines in both zones
            pitch=(
                "Lumen is a generative-video model in private testing. Artists in this program use it daily, "
                "report what breaks, tell us what they need, and make short films with it.\n"
                "Everything about the program is public: the agreement, the rate card, every review rule, "
                "and the aggregate figures of hours, payments and decisions."
            ),
            tester_tasks=(
                "Generate videos for your own practice and share what works and what does not. "
                "File bug reports with the prompt and settings you used. Join a monthly feedback call. "
                "Optionally, make a short film for the showcase."
            ),
        )
        program.save()
        Cohort.objects.create(program=program, name="Spring cohort", capacity=20, starts_on=story_day(2026, 8, 3))
        Cohort.objects.create(program=program, name="Autumn cohort", capacity=15, starts_on=story_day(2026, 10, 5))
        for member in people["staff"]:  # through the service, so the non-superuser gets the admin group too
            program_role_grant(user=member, program=program, role=ProgramRole.Role.STAFF)
        for reviewer in people["reviewers"]:
            program_role_grant(user=reviewer, program=program, role=ProgramRole.Role.REVIEWER)
    with told(story) as story:
        seed_enrolment_records(program, people, story)
    return program
