"""Demo enrolment: screening questions, two agreement versions, applications in every state, invitations
(accepted, open, expired), artists who joined, paused, left or were removed, consent choices, a trusted publisher.

Every step is a service call on the story's day (demo/story.py): applying, accepting into a cohort (which invites),
accepting the invitation and the agreement, pausing, leaving. The states come from those calls, never from a
field set by hand.
"""

import datetime as dt
from pathlib import Path

from demo.calendar import story_day
from demo.cast import ACCEPTED_V2, SPRING, TRUSTED, status_for
from demo.story import Story, at_hour, days_ago
from demo.users import demo_user
from programs.access import current_agreement
from programs.models import Application, Enrolment, Invitation, Program, ScreeningQuestion
from programs.services import applications, consent, enrolment, invitations, trust
from programs.services.agreements import agreement_accept, agreement_draft_save, agreement_publish

DATA = Path(__file__).resolve().parent / "data"
AGREEMENT_V1 = (DATA / "agreement-v1.txt").read_text(encoding="utf-8")
AGREEMENT_V2 = (DATA / "agreement-v2.txt").read_text(encoding="utf-8")
# The agreement is published in English; Spanish and French translations follow (version 1 only in Spanish).
TRANSLATIONS = {
    1: {"es": (DATA / "agreement-v1.es.txt").read_text(encoding="utf-8")},
    2: {language: (DATA / f"agreement-v2.{language}.txt").read_text(encoding="utf-8") for language in ("es", "fr")},
}
TITLES = {"es": "Acuerdo de participación", "fr": "Accord de participation"}
# Artists who read the portal in Spanish or French; the others read English. Index 7 joined before a French text
# existed, so accepted version 1 in English and version 2 in French.
READS_IN = {1: "es", 4: "es", 7: "fr", 14: "es"}
V2_SUMMARY = (
    "Payments move from monthly to every two weeks. Approved videos may also be shared freely after the "
    "embargo end date. A new section asks you to keep unreleased model versions confidential."
)
IP_ADDRESS = "198.51.100.23"

QUESTIONS = [
    (ScreeningQuestion.Kind.TEXT, "Which tools do you use in your practice today?", ""),
    (ScreeningQuestion.Kind.CHOICE, "How many hours a week could you give?", "Up to 2\n2 to 5\n5 to 10\nMore than 10"),
    (ScreeningQuestion.Kind.URL, "A link to one piece you are proud of", ""),
]

A = Application.Status
# Applicants with an account but no place: one application in each state that does not lead to a seat.
APPLICANTS = [
    ("Elena Petrova", A.SUBMITTED, ""),
    ("Felix Braun", A.WAITLISTED, "Strong reel; the autumn cohort is full of animators already. We will write first."),
    ("Hugo Lambert", A.DECLINED, "The program needs artists who can give at least two hours a week this season."),
    ("Isla Novak", A.WITHDRAWN, ""),
]
DIRECT_INVITES = range(20, 24)  # these artists joined by a direct invitation, without applying
CONSENT = {  # artist index: [(training, marketing, showcase), ...] oldest first
    0: [(True, True, True)],
    1: [(False, False, True)],
    2: [(True, True, True), (True, False, True)],  # later revoked marketing
    3: [(False, True, True)],
    25: [(False, False, True), (False, False, False)],  # left, then revoked everything
}
ENDINGS = {  # status: (story day, reason); the artist leaves, staff pause and remove
    Enrolment.Status.PAUSED: ((2026, 11, 2), "Taking a month off for a festival deadline."),
    Enrolment.Status.LEFT: ((2026, 10, 28), "Leaving to focus on a commission."),
    Enrolment.Status.REMOVED: ((2026, 11, 5), "Shared unapproved videos publicly twice after warnings."),
}


def seed_enrolment_records(program: Program, people: dict, story: Story) -> None:
    staff = people["staff"][0]
    story.at(at_hour(story_day(2026, 7, 10)), lambda: _questions(program))
    _agreement(story, program, AGREEMENT_V1, "", published=story_day(2026, 7, 20), actor=staff, number=1)
    _agreement(story, program, AGREEMENT_V2, V2_SUMMARY, published=story_day(2026, 11, 10), actor=staff, number=2)
    for index, artist in enumerate(people["artists"]):
        _seed_artist(story, program, index, artist, staff)
    for name, status, reason in APPLICANTS:
        _seed_applicant(story, program, demo_user(name), status, reason, staff)
    story.at(
        days_ago(2),
        lambda: invitations.invitation_send(
            program=program, cohort=_cohort(program, "Autumn cohort"), email="new.filmmaker@demo.glasshouse.test",
            actor=staff,
        ),
    )  # fmt: skip


def _cohort(program: Program, name: str):
    return program.cohorts.get(name=name)


def _questions(program: Program) -> None:
    for position, (kind, prompt, choices) in enumerate(QUESTIONS):
        ScreeningQuestion.objects.create(program=program, prompt=prompt, kind=kind, choices=choices, position=position)


def _agreement(story: Story, program, body: str, summary: str, *, published: dt.date, actor, number: int) -> None:
    def publish() -> None:
        draft = agreement_draft_save(program=program, title="", body=body, summary_of_changes=summary, actor=actor)
        agreement_publish(version=draft, actor=actor)

    def translate() -> None:
        for language, text in TRANSLATIONS[number].items():
            draft = agreement_draft_save(
                program=program, title=TITLES[language], body=text, summary_of_changes="", actor=actor,
                language=language,
            )  # fmt: skip
            agreement_publish(version=draft, actor=actor)

    story.at(at_hour(published, 9), publish)
    story.at(at_hour(published, 11), translate)


def _apply(program: Program, user) -> Application:
    return applications.application_submit(
        program=program,
        user=user,
        portfolio_links=[f"https://portfolio.example/{user.email.split('@')[0]}"],
        statement=(
            f"I am {user.display_name}, a filmmaker working with generated imagery. I want to test how Lumen "
            "handles long takes and consistent characters, and report what breaks."
        ),
        answers=[{"question": None, "prompt": QUESTIONS[1][1], "kind": QUESTIONS[1][0], "answer": "5 to 10"}],
    )


def _seed_applicant(story: Story, program, user, status: str, reason: str, staff) -> None:
    day = story_day(2026, 10, 20)
    story.at(at_hour(day - dt.timedelta(days=10)), lambda: _apply(program, user))

    def decide() -> None:
        application = Application.objects.get(program=program, user=user)
        if status == A.WAITLISTED:
            applications.application_waitlist(application=application, actor=staff, reason=reason)
        elif status == A.DECLINED:
            applications.application_decline(application=application, actor=staff, reason=reason)
        elif status == A.WITHDRAWN:
            applications.application_withdraw(application=application, actor=user)

    story.at(at_hour(day), decide)


def _seed_artist(story: Story, program: Program, index: int, artist, staff) -> None:
    status = status_for(index)
    if status is None:  # an applicant who has not been decided on yet
        story.at(at_hour(story_day(2026, 11, 18)), lambda: _apply(program, artist))
        return
    cohort_name = "Spring cohort" if index in SPRING else "Autumn cohort"
    starts_on = story_day(2026, 8, 3) if index in SPRING else story_day(2026, 10, 5)
    invited = at_hour(starts_on - dt.timedelta(days=5))
    if status == Enrolment.Status.INVITED and index % 2 == 1:
        invited = at_hour(story_day(2026, 9, 20))  # an invitation that ran out unanswered
    if index not in DIRECT_INVITES:
        story.at(invited - dt.timedelta(days=10), lambda: _apply(program, artist))

    def invite() -> None:
        cohort = _cohort(program, cohort_name)
        if index in DIRECT_INVITES:
            invitations.invitation_send(program=program, cohort=cohort, email=artist.email, actor=staff)
        else:
            application = Application.objects.get(program=program, user=artist)
            applications.application_accept(application=application, cohort=cohort, actor=staff, reason="Welcome!")

    story.at(invited, invite)
    if status == Enrolment.Status.INVITED:
        if index % 2 == 0:  # the first link lapsed while they were travelling; staff sent a fresh one
            story.at(days_ago(3), lambda: _resend(program, artist, staff))
        return
    joined = invited + dt.timedelta(days=1)
    language = READS_IN.get(index, "en-gb")
    story.at(joined, lambda: _accept_invitation(program, artist, language))
    if index in ACCEPTED_V2:
        moment = at_hour(story_day(2026, 11, 11)) + dt.timedelta(hours=index)
        story.at(moment, lambda: _accept_v2(program, artist, language))
    for version, (training, marketing, showcase) in enumerate(CONSENT.get(index, []), start=1):
        story.at(
            joined + dt.timedelta(days=2 + 20 * version),
            lambda t=training, m=marketing, s=showcase: consent.consent_set(
                user=artist, program=program, training=t, marketing=m, showcase=s, ip_address=IP_ADDRESS
            ),
        )
    if index == TRUSTED:
        story.at(at_hour(story_day(2026, 10, 1)), lambda: _trust(program, artist, staff))
    if status in ENDINGS:
        day, reason = ENDINGS[status]
        story.at(at_hour(story_day(*day)), lambda: _end(program, artist, status, reason, staff))


def _invitation(program: Program, artist) -> Invitation:
    return Invitation.objects.filter(program=program, email=artist.email).latest("pk")


def _resend(program: Program, artist, staff) -> None:
    invitations.invitation_resend(invitation=_invitation(program, artist), actor=staff)


def _accept_invitation(program: Program, artist, language: str) -> None:
    version = current_agreement(program, language)
    invitations.invitation_accept(
        invitation=_invitation(program, artist), user=artist, version_id=version.pk,
        submitted_hash=version.content_hash, ip_address=IP_ADDRESS,
    )  # fmt: skip


def _accept_v2(program: Program, artist, language: str) -> None:
    version = current_agreement(program, language)
    agreement_accept(
        enrolment=Enrolment.objects.get(user=artist, program=program), version_id=version.pk,
        submitted_hash=version.content_hash, actor=artist, ip_address=IP_ADDRESS,
    )  # fmt: skip


def _trust(program: Program, artist, staff) -> None:
    trust.trusted_publisher_grant(
        enrolment=Enrolment.objects.get(user=artist, program=program),
        actor=staff,
        reason="Forty approved videos without a single change requested; runs the program's safety workshop.",
    )


def _end(program: Program, artist, status: str, reason: str, staff) -> None:
    place = Enrolment.objects.get(user=artist, program=program)
    if status == Enrolment.Status.PAUSED:
        enrolment.enrolment_pause(enrolment=place, actor=staff, reason=reason)
    elif status == Enrolment.Status.LEFT:
        enrolment.enrolment_leave(enrolment=place, actor=artist, reason=reason)
    else:
        enrolment.enrolment_remove(enrolment=place, actor=staff, reason=reason)
