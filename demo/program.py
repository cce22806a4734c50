"""Demo data for programs: one program a few months in, two cohorts, enrolments in every state.

The enrolment records (screening questions, agreement versions and acceptances, applications in every state,
invitations, consent choices, a trusted publisher) are in programs/demo_enrolment.py.
"""

import datetime as dt

from django.utils import timezone

from demo.calendar import story_day
from demo.enrolment import seed_enrolment_records
from programs.models import Cohort, Enrolment, EnrolmentEvent, Program, ProgramRole

PROGRAM_SLUG = "lumen-early-access"


def program_began() -> dt.datetime:
    """Every demo date falls after this moment, as the portal's date bounds (programs/date_bounds.py) require."""
    return dt.datetime.combine(story_day(2026, 7, 1), dt.time(9), tzinfo=dt.UTC)


# Enrolment states for the 30 demo artists, by index: most active, some in every other state.
_INVITED = {26, 27}
_PAUSED = {24}
_LEFT = {25}
_REMOVED = {29}
_NOT_ENROLLED = {28}  # has an account only (an applicant, see the enrolment issue)


def _status_for(index: int) -> str | None:
    if index in _NOT_ENROLLED:
        return None
    for bucket, status in (
        (_INVITED, Enrolment.Status.INVITED),
        (_PAUSED, Enrolment.Status.PAUSED),
        (_LEFT, Enrolment.Status.LEFT),
        (_REMOVED, Enrolment.Status.REMOVED),
    ):
        if index in bucket:
            return status
    return Enrolment.Status.ACTIVE


def seed_program(people: dict) -> Program:
    program, created = Program.objects.get_or_create(
        slug=PROGRAM_SLUG,
        defaults={
            "name": "Lumen Early Access",
            "tagline": "Shape the Lumen video model before release, paid and credited.",
            "pitch": (
                "Lumen is a generative-video model in private testing. Artists in this program use it daily, "
                "report what breaks, tell us what they need, and make short films with it.\n"
                "Everything about the program is public: the agreement, the rate card, every review rule, "
                "and the aggregate figures of hours, payments and decisions."
            ),
            "tester_tasks": (
                "Generate videos for your own practice and share what works and what does not. "
                "File bug reports with the prompt and settings you used. Join a monthly feedback call. "
                "Optionally, make a short film for the showcase."
            ),
            "status": Program.Status.OPEN,
        },
    )
    if created:
        Program.objects.filter(pk=program.pk).update(created_at=program_began())
        program.refresh_from_db(fields=["created_at"])
    spring, _ = Cohort.objects.get_or_create(
        program=program, name="Spring cohort", defaults={"capacity": 20, "starts_on": story_day(2026, 8, 3)}
    )
    autumn, _ = Cohort.objects.get_or_create(
        program=program, name="Autumn cohort", defaults={"capacity": 15, "starts_on": story_day(2026, 10, 5)}
    )
    staff = people["staff"][0]
    ProgramRole.objects.get_or_create(user=staff, program=program, role=ProgramRole.Role.STAFF)
    for reviewer in people["reviewers"]:
        ProgramRole.objects.get_or_create(user=reviewer, program=program, role=ProgramRole.Role.REVIEWER)
    for index, artist in enumerate(people["artists"]):
        status = _status_for(index)
        if status is None:
            continue
        cohort = spring if index < 18 else autumn
        seed_enrolment(artist, program, cohort, status, staff)
    seed_enrolment_records(program, people)
    return program


def seed_enrolment(artist, program: Program, cohort: Cohort, status: str, staff) -> None:
    enrolment, created = Enrolment.objects.get_or_create(
        user=artist, program=program, defaults={"cohort": cohort, "status": status}
    )
    if not created:
        return
    started = timezone.make_aware(dt.datetime.combine(cohort.starts_on, dt.time(9)))
    invited = EnrolmentEvent.objects.create(enrolment=enrolment, actor=staff, to_status=Enrolment.Status.INVITED)
    EnrolmentEvent.objects.filter(pk=invited.pk).update(created_at=started - dt.timedelta(days=5))
    if status != Enrolment.Status.INVITED:
        joined = EnrolmentEvent.objects.create(
            enrolment=enrolment,
            actor=artist,
            from_status=Enrolment.Status.INVITED,
            to_status=Enrolment.Status.ACTIVE,
            reason="Accepted the participation agreement.",
        )
        EnrolmentEvent.objects.filter(pk=joined.pk).update(created_at=started - dt.timedelta(days=4))
    if status in (Enrolment.Status.PAUSED, Enrolment.Status.LEFT, Enrolment.Status.REMOVED):
        reasons = {
            Enrolment.Status.PAUSED: "Taking a month off for a festival deadline.",
            Enrolment.Status.LEFT: "Leaving to focus on a commission.",
            Enrolment.Status.REMOVED: "Shared unapproved videos publicly twice after warnings.",
        }
        actor = staff if status == Enrolment.Status.REMOVED else artist
        EnrolmentEvent.objects.create(
            enrolment=enrolment,
            actor=actor,
            from_status=Enrolment.Status.ACTIVE,
            to_status=status,
            reason=reasons[status],
        )
    Enrolment.objects.filter(pk=enrolment.pk).update(status_changed_at=started)
