"""Two artists with records of every kind the portal keeps about a person, made through the services.

Everything the second artist writes carries a marker string, so a test can prove that none of it reaches the
first artist's export.
"""

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.usersessions.models import UserSession
from django.utils import timezone

from calls.models import GrantRound
from calls.services import calls as call_services
from programs.models import Application, Cohort, Enrolment, ProgramRole
from programs.services import compensation, consent, credit_bookings, enrolment, payout_runs, trust
from programs.services.invitations import create_invitation
from submissions.images import process_screenshot
from submissions.models import ReportSettings
from submissions.services import approvals, reports
from submissions.services import comments as comment_services
from submissions.services.credentials import credentials_sign
from tests.approval_helpers import setup_review, video_in_review
from tests.calls_helpers import approved_video, open_call, to_judging
from tests.comment_helpers import comment_on
from tests.conftest import (
    accept_current,
    file_report,
    make_application,
    make_program,
    make_rate_card,
    publish_agreement,
)
from tests.grants_helpers import apply, award, make_round, past_event_with_rsvp
from tests.report_images import png_bytes, upload
from tests.studio_helpers import ask, open_studio
from tests.video_helpers import PROVENANCE, direct_upload_row


def prepare_program(program, *, reviewer, staff) -> dict:
    """Rules every artist's records need: an agreement, a rate card, a two-step review, shared reports."""
    publish_agreement(program, actor=staff)
    make_rate_card(program)
    rules = setup_review(program, safety=[reviewer], lead=[reviewer], distinct_people=False)
    ReportSettings.objects.update_or_create(program=program, defaults={"shared_reports_enabled": True})
    second = make_program(slug="second-program")
    Cohort.objects.create(program=second, name="Second cohort", capacity=5)
    ProgramRole.objects.get_or_create(user=staff, program=second, role=ProgramRole.Role.STAFF)
    return {**rules, "second": second}


def give_every_kind(person, program, *, staff, reviewer, rules, marker: str) -> dict:
    """Records of every exported kind for `person`; their own words contain `marker`."""
    place = Enrolment.objects.get(user=person, program=program)
    enrolment.enrolment_pause(enrolment=place, actor=staff, reason=f"{marker} pause")
    enrolment.enrolment_resume(enrolment=place, actor=staff)
    accept_current(place)
    consent.consent_set(user=person, program=program, training=True, marketing=False, showcase=True,
                        ip_address="203.0.113.9")  # fmt: skip
    make_application(person, program, status=Application.Status.ACCEPTED, statement=f"{marker} statement " * 3)
    create_invitation(program=rules["second"], cohort=rules["second"].cohorts.get(), email=person.email, actor=staff,
                      message=f"{marker} welcome")  # fmt: skip
    ProgramRole.objects.create(user=person, program=rules["second"], role=ProgramRole.Role.REVIEWER)
    TOTP.activate(person, generate_totp_secret())
    direct_upload_row(person, program)
    UserSession.objects.create(user=person, ip="203.0.113.5", session_key=f"s{person.pk}x" * 4, user_agent=marker)

    provenance = PROVENANCE.__class__(title=f"{marker} film", prompt=f"{marker} prompt", model_name="Lumen")
    published = video_in_review(person, program, provenance=provenance)
    for _ in range(2):
        approvals.review_decide(video_id=published.pk, reviewer=reviewer, outcome="approve", note=f"{marker} nice")
    approvals.video_publish(video_id=published.pk, artist=person)
    credentials_sign(video_id=published.pk, requested_by=person)  # what the task does once publication commits
    rejected = video_in_review(person, program, provenance=provenance)
    approvals.review_decide(video_id=rejected.pk, reviewer=reviewer, outcome="reject", reason_code=rules["code"],
                            note=f"{marker} real person")  # fmt: skip
    approvals.video_appeal(video_id=rejected.pk, artist=person, statement=f"{marker} it is me")
    pending = video_in_review(person, program, provenance=provenance)

    shot = process_screenshot(upload("shot.png", png_bytes()))
    report = file_report(person, program, screenshots=[shot], title=f"{marker} bug")
    report = reports.bug_report_triage(report=report, actor=staff)
    reports.bug_report_respond(report=report, author=staff, body=f"{marker} thanks")
    draft = file_report(person, program, submit=False, title=f"{marker} draft")
    feedback = reports.feedback_submit(author=person, program=program, kind="idea", body=f"{marker} idea")
    reports.feedback_respond(feedback=feedback, author=staff, body=f"{marker} noted")
    reports.feedback_answer(feedback=feedback, actor=staff, reason=f"{marker} answer")
    reports.feedback_accept(feedback=feedback, actor=staff)

    today = timezone.localdate()
    entry = compensation.timeentry_log(user=person, program=program, worked_on=today, minutes=90, category="testing",
                                       note=f"{marker} hours")  # fmt: skip
    compensation.timeentry_approve(entry=entry, actor=staff)
    pending_entry = compensation.timeentry_log(user=person, program=program, worked_on=today, minutes=30,
                                               category="meetings", note=f"{marker} meeting")  # fmt: skip
    compensation.award_record(user=person, program=program, title=f"{marker} prize", amount="50.00",
                              reason=f"{marker} reason", idempotency_key=f"award:{marker}", actor=staff)  # fmt: skip
    credit_bookings.credit_book(
        user=person,
        program=program,
        kind="video_approved",
        reference=f"{marker}-early",
        source_label=f"{marker} early video",
        occurred_on=today.replace(year=today.year - 3),
    )
    # ^ before the first rate card: kept pending
    open_studio(program)
    studio_job = ask(person, program, prompt=f"{marker} clip")
    trust.trusted_publisher_grant(enrolment=place, actor=staff, reason=f"{marker} trusted")
    trust.trusted_publisher_revoke(enrolment=place, actor=staff, reason=f"{marker} ended")
    grant_round = GrantRound.objects.filter(program=program).first() or make_round(program)
    award(apply(grant_round, person, project_title=f"{marker} grant film"), staff, "100.00")
    past_event_with_rsvp(program, person, title=f"{marker} workshop")
    thread = comment_on(published, reviewer, body="Hold the last frame longer.")
    comment_services.comment_reply(parent_id=thread.pk, author=person, body=f"{marker} frame reply")
    return {
        "published": published, "rejected": rejected, "pending": pending, "report": report, "draft": draft,
        "feedback": feedback, "entry": entry, "pending_entry": pending_entry, "studio_job": studio_job,
    }  # fmt: skip


def two_artists_with_everything(program, *, artist, other_artist, reviewer, staff) -> dict:
    rules = prepare_program(program, reviewer=reviewer, staff=staff)
    mine = give_every_kind(artist, program, staff=staff, reviewer=reviewer, rules=rules, marker="ADA-OWN")
    theirs = give_every_kind(other_artist, program, staff=staff, reviewer=reviewer, rules=rules, marker="OTTO-ONLY")
    reports.bug_report_me_too(report=theirs["report"], user=artist, note="ADA-OWN me too")
    reports.bug_report_me_too(report=mine["report"], user=other_artist, note="OTTO-ONLY me too")
    enter_and_judge_each_other(program, staff, {artist: "ADA-OWN", other_artist: "OTTO-ONLY"})
    run = payout_runs.payoutrun_create(program=program, currency="EUR", actor=staff)
    payout_runs.payoutrun_confirm(run=run, actor=staff)
    return {"rules": rules, "mine": mine, "theirs": theirs, "run": run}


def enter_and_judge_each_other(program, staff, markers: dict) -> None:
    """An open call both artists enter twice and both judge: each scores one of the other's entries and declares a
    conflict with the other (a juror never scores their own)."""
    people = list(markers)
    call = open_call(program, staff, jurors=people, title="Both of them")
    entries = {
        person: [
            call_services.entry_submit(
                call=call, artist=person, video_id=approved_video(person, program).pk, statement=f"{marker} why {n}"
            )
            for n in (1, 2)
        ]
        for person, marker in markers.items()
    }
    call = to_judging(call, staff)
    for person, other in (people, people[::-1]):
        juror = call.jurors.get(user=person)
        scored, conflicted = entries[other]
        scores = {criterion.pk: (7, f"{markers[person]} note") for criterion in call.criteria.all()}
        call_services.scores_record(juror=juror, entry=scored, scores=scores)
        call_services.conflict_declare(juror=juror, entry=conflicted, reason=f"{markers[person]} knows them")
