"""Demo enrolment records for the demo program: every state of applications, invitations, agreements and consent.

Idempotent: every row is found by its natural key before it is created, so seed_demo can run again.
Dates in the past are fixed (the program started in August 2026); open invitations are relative to today.
"""

import datetime as dt
from pathlib import Path

from django.utils import timezone

from demo.calendar import story_day
from demo.users import demo_user
from programs.models import (
    AgreementAcceptance,
    AgreementVersion,
    Application,
    ApplicationEvent,
    ConsentRecord,
    Enrolment,
    Invitation,
    Program,
    ProgramRole,
    ScreeningQuestion,
    TrustedPublisher,
)
from programs.models.agreements import content_hash
from programs.services.roles import program_role_grant

A = Application.Status


DATA = Path(__file__).resolve().parent / "data"
AGREEMENT_V1 = (DATA / "agreement-v1.txt").read_text(encoding="utf-8")
AGREEMENT_V2 = (DATA / "agreement-v2.txt").read_text(encoding="utf-8")
V2_SUMMARY = (
    "Payments move from monthly to every two weeks. Approved videos may also be shared freely after the "
    "embargo end date. A new section asks you to keep unreleased model versions confidential."
)

QUESTIONS = [
    (ScreeningQuestion.Kind.TEXT, "Which tools do you use in your practice today?", ""),
    (ScreeningQuestion.Kind.CHOICE, "How many hours a week could you give?", "Up to 2\n2 to 5\n5 to 10\nMore than 10"),
    (ScreeningQuestion.Kind.URL, "A link to one piece you are proud of", ""),
]

# Applicants with an account but no place: one application in each state that does not lead to a seat.
APPLICANTS = [
    ("Elena Petrova", A.SUBMITTED, ""),
    ("Felix Braun", A.WAITLISTED, "Strong reel; the autumn cohort is full of animators already. We will write first."),
    ("Hugo Lambert", A.DECLINED, "The program needs artists who can give at least two hours a week this season."),
    ("Isla Novak", A.WITHDRAWN, "Withdrawn by the applicant."),
]
DIRECT_INVITES = range(20, 24)  # these artists joined by a direct invitation, without applying
ACCEPTED_V2 = range(0, 12)  # active artists who accepted version 2; the others active are still on version 1
CONSENT = {  # artist index: [(training, marketing, showcase), ...] oldest first
    0: [(True, True, True)],
    1: [(False, False, True)],
    2: [(True, True, True), (True, False, True)],  # later revoked marketing
    3: [(False, True, True)],
    25: [(False, False, True), (False, False, False)],  # left, then revoked everything
}
TRUSTED = 0  # Amara Okafor


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def seed_enrolment_records(program: Program, people: dict) -> None:
    staff = people["staff"][0]
    for member in people["staff"]:  # through the service, so the non-superuser gets the admin group too
        program_role_grant(user=member, program=program, role=ProgramRole.Role.STAFF)
    for position, (kind, prompt, choices) in enumerate(QUESTIONS):
        ScreeningQuestion.objects.get_or_create(
            program=program, prompt=prompt, defaults={"kind": kind, "choices": choices, "position": position}
        )
    v1 = _version(program, 1, AGREEMENT_V1, "", published=story_day(2026, 7, 20), actor=staff)
    v2 = _version(program, 2, AGREEMENT_V2, V2_SUMMARY, published=story_day(2026, 11, 10), actor=staff)
    for index, artist in enumerate(people["artists"]):
        enrolment = Enrolment.objects.filter(user=artist, program=program).select_related("cohort").first()
        _seed_artist(index, artist, enrolment, program, staff, v1, v2)
    for name, status, reason in APPLICANTS:
        _application(demo_user(name), program, status, reason=reason, decided_by=staff, day=story_day(2026, 10, 20))
    _invitation(
        program, program.cohorts.get(name="Autumn cohort"), "new.filmmaker@demo.glasshouse.test", None, staff,
        status=Invitation.Status.PENDING, sent=timezone.now() - dt.timedelta(days=2),
    )  # fmt: skip


def _version(program, number: int, body: str, summary: str, *, published: dt.date, actor) -> AgreementVersion:
    version, _ = AgreementVersion.objects.get_or_create(
        program=program,
        version=number,
        defaults={
            "body": body,
            "summary_of_changes": summary,
            "content_hash": content_hash(body),
            "published_at": _at(published),
            "published_by": actor,
            "created_by": actor,
        },
    )
    return version


def _seed_artist(index: int, artist, enrolment, program, staff, v1, v2) -> None:
    if enrolment is None:  # an applicant who has not been decided on yet
        _application(artist, program, A.SUBMITTED, day=story_day(2026, 11, 18))
        return
    cohort = enrolment.cohort
    joined = _at(cohort.starts_on) - dt.timedelta(days=5)
    application = None
    if index not in DIRECT_INVITES:
        application = _application(
            artist, program, A.ACCEPTED, reason="Welcome!", cohort=cohort, decided_by=staff, day=joined.date()
        )
    if enrolment.status == Enrolment.Status.INVITED:
        expired = index % 2 == 1  # one invitation still open, one that ran out
        sent = _at(story_day(2026, 9, 20)) if expired else timezone.now() - dt.timedelta(days=3)
        _invitation(program, cohort, artist.email, artist, staff, status=Invitation.Status.PENDING, sent=sent,
                    application=application, enrolment=enrolment)  # fmt: skip
        return
    _invitation(program, cohort, artist.email, artist, staff, status=Invitation.Status.ACCEPTED, sent=joined,
                application=application, enrolment=enrolment)  # fmt: skip
    _accept(enrolment, v1, joined + dt.timedelta(days=1))
    if enrolment.status == Enrolment.Status.ACTIVE and index in ACCEPTED_V2:
        _accept(enrolment, v2, _at(story_day(2026, 11, 11)) + dt.timedelta(hours=index))
    for version, choices in enumerate(CONSENT.get(index, []), start=1):
        training, marketing, showcase = choices
        ConsentRecord.objects.get_or_create(
            user=artist,
            program=program,
            version=version,
            defaults={"training": training, "marketing": marketing, "showcase": showcase,
                      "created_at": joined + dt.timedelta(days=2 + 20 * version)},
        )  # fmt: skip
    if index == TRUSTED and not TrustedPublisher.objects.filter(enrolment=enrolment).exists():
        TrustedPublisher.objects.create(
            enrolment=enrolment,
            granted_by=staff,
            granted_at=_at(story_day(2026, 10, 1)),
            reason="Forty approved videos without a single change requested; runs the program's safety workshop.",
        )


def _application(user, program, status: str, *, reason: str = "", cohort=None, decided_by=None, day: dt.date):
    application, created = Application.objects.get_or_create(
        program=program,
        user=user,
        defaults={
            "status": status,
            "portfolio_links": [f"https://portfolio.example/{user.email.split('@')[0]}"],
            "statement": (
                f"I am {user.display_name}, a filmmaker working with generated imagery. I want to test how Lumen "
                "handles long takes and consistent characters, and report what breaks."
            ),
            "answers": [
                {"question": None, "prompt": QUESTIONS[1][1], "kind": QUESTIONS[1][0], "answer": "5 to 10"},
            ],
            "cohort": cohort,
            "decision_reason": reason if status != A.SUBMITTED else "",
            "decided_by": decided_by if status not in (A.SUBMITTED, A.WITHDRAWN) else None,
            "decided_at": _at(day) if status != A.SUBMITTED else None,
        },
    )
    if created:
        sent = _at(day - dt.timedelta(days=10))
        Application.objects.filter(pk=application.pk).update(created_at=sent)
        submitted = ApplicationEvent.objects.create(application=application, actor=user, to_status=A.SUBMITTED)
        ApplicationEvent.objects.filter(pk=submitted.pk).update(created_at=sent)
        if status != A.SUBMITTED:
            actor = user if status == A.WITHDRAWN else decided_by
            decision = ApplicationEvent.objects.create(
                application=application, actor=actor, from_status=A.SUBMITTED, to_status=status, reason=reason
            )
            ApplicationEvent.objects.filter(pk=decision.pk).update(created_at=_at(day))
    return application


def _invitation(program, cohort, email, user, staff, *, status, sent, application=None, enrolment=None):
    invitation, created = Invitation.objects.get_or_create(
        program=program,
        email=email,
        cohort=cohort,
        defaults={
            "user": user,
            "application": application,
            "enrolment": enrolment,
            "status": status,
            "expires_at": sent + dt.timedelta(days=14),
            "created_by": staff,
            "sent_count": 1,
            "last_sent_at": sent,
            "closed_at": sent + dt.timedelta(days=1) if status == Invitation.Status.ACCEPTED else None,
            "closed_by": user if status == Invitation.Status.ACCEPTED else None,
        },
    )
    if created:
        Invitation.objects.filter(pk=invitation.pk).update(created_at=sent)
    return invitation


def _accept(enrolment, version, when: dt.datetime) -> None:
    AgreementAcceptance.objects.get_or_create(
        enrolment=enrolment,
        version=version,
        defaults={"content_hash": version.content_hash, "accepted_at": when, "ip_address": "198.51.100.23"},
    )
