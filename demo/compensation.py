"""Demo compensation: two rate-card versions, months of hours, stipends, awards and payout runs.

Every step is a service call on the day it happened (demo/story.py), in the story's one timeline with the
reports and videos whose credits it pays: a payout run pays what was booked by its day, never later work.
Credits come only from the records that earn them (accepted reports, approved and published videos, awards).
"""

import datetime as dt
import random

from django.utils import timezone

from demo.calendar import story_day, story_month
from demo.cast import SPRING, contributing_artists
from demo.story import Story, at_hour, told
from programs.access import contributing_enrolment
from programs.models import Credit, Program, RateCard, TimeEntry
from programs.services import compensation as services
from programs.services import payout_runs
from programs.services.credit_bookings import credit_book
from submissions.models import Feedback
from submissions.report_links import report_url
from submissions.services import reports

V1 = {
    "hourly_rate": "25.00",
    "bug_report_low": "20.00",
    "bug_report_medium": "40.00",
    "bug_report_high": "80.00",
    "bug_report_critical": "150.00",
    "bug_report_duplicate": "5.00",
    "feedback": "15.00",
    "video_approved": "30.00",
    "video_showcased": "200.00",
    "stipend_amount": "150.00",
}
V2 = {
    **V1,
    "hourly_rate": "30.00",
    "bug_report_low": "25.00",
    "bug_report_medium": "50.00",
    "bug_report_high": "100.00",
    "bug_report_critical": "200.00",
    "bug_report_duplicate": "10.00",
    "feedback": "20.00",
    "video_approved": "40.00",
    "stipend_amount": "200.00",
}
CATEGORIES = ["testing", "testing", "feedback", "filmmaking", "meetings", "waiting_on_review", "other"]
NOTES = {
    "testing": "Ran the new motion presets against my storyboard library.",
    "feedback": "Wrote up what the camera controls get wrong for dance.",
    "filmmaking": "Cut a 40-second piece for the showcase.",
    "meetings": "Monthly feedback call with the model team.",
    "waiting_on_review": "Waited for approval before I could share the cut with my client.",
    "other": "Prepared reference footage for the team.",
}
QUERY = "Which build did you test? The note does not say."
PILOT = "Feedback from the July pilot session"
HOURS_LOGGED_AT = 19  # an artist logs the day's work in the evening


def _months(start: dt.date, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    months, first = [], start.replace(day=1)
    while first <= today:
        following = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        months.append((first, following))
        first = following
    return months


def seed_compensation(program: Program, people: dict, story: Story | None = None) -> None:
    if RateCard.objects.filter(program=program).exists():
        return
    today = timezone.localdate()
    staff = people["staff"][0]
    with told(story) as story:
        for first, amounts, days_before, note in (
            (story_month(2026, 8), V1, 12, "Launch terms."),
            (story_month(2026, 10), V2, 16,
             "Raised for everyone after the first cohort told us reports took longer than we had priced."),
        ):  # fmt: skip
            published = first - dt.timedelta(days=days_before)
            story.at(at_hour(published, 9), lambda f=first, a=amounts, n=note: services.ratecard_publish(
                program=program, effective_from=f, currency="EUR", amounts=a, stipend_period="monthly", note=n,
                actor=staff,
            ))  # fmt: skip
        artists = [(index, artist) for index, artist in enumerate(contributing_artists(people))]
        rng, stipends_accrued_on = random.Random(7), set()
        for first, following in _months(story_month(2026, 8), today):
            last_day = min(following - dt.timedelta(days=1), today)
            for index, artist in artists:
                _seed_month(story, program, index, artist, first, last_day, rng, stipends_accrued_on)
            _settle_month(story, program, staff, first, following, today)
        _seed_awards_and_correction(story, program, staff, [artist for _index, artist in artists], today)
        if len(artists) > 2:
            _seed_pilot_feedback(story, program, artists[2][1], staff)


def _seed_month(
    story: Story, program, index: int, artist, first: dt.date, last_day: dt.date, rng, stipends_accrued_on: set
) -> None:
    starts_on = story_day(2026, 8, 3) if index in SPRING else story_day(2026, 10, 5)
    start = max(first, starts_on)
    if start > last_day:
        return
    if start not in stipends_accrued_on:  # the beat's job: one run credits every artist whose cohort has started
        stipends_accrued_on.add(start)
        story.at(at_hour(start, 6), lambda: services.stipend_accrue(program=program, on=start))
    day = start
    while day <= last_day:
        category = rng.choice(CATEGORIES)
        minutes = rng.choice([45, 60, 90, 120, 150, 180, 240])
        story.at(at_hour(day, HOURS_LOGGED_AT), lambda d=day, c=category, m=minutes: _log(program, artist, d, c, m))
        day += dt.timedelta(days=rng.choice([2, 3, 4]))


def _log(program, artist, day: dt.date, category: str, minutes: int) -> None:
    if contributing_enrolment(artist, program) is None:
        return  # a new agreement came out that day: no hours until the artist accepts it
    services.timeentry_log(
        user=artist, program=program, worked_on=day, minutes=minutes, category=category, note=NOTES[category]
    )


def _seed_pilot_feedback(story: Story, program, artist, staff) -> None:
    """Feedback from the pilot session held the day before the first rate card took effect, sent on joining: its
    credit (dated on the session) cannot be booked, so staff see it waiting. It is booked under the feedback's own
    key, as accepting the feedback would book it, so it can never count twice."""

    def give() -> None:
        feedback = reports.feedback_submit(
            author=artist, program=program, kind=Feedback.Kind.IDEA,
            body=f"{PILOT}: a shot list template would save everyone an hour per film.",
        )  # fmt: skip
        reports.feedback_move(feedback=feedback, actor=staff, to_status=Feedback.Status.ACKNOWLEDGED, reason="")
        credit_book(
            user=artist, program=program, kind=Credit.Kind.FEEDBACK, reference=feedback.pk, source_label=PILOT,
            source_url=report_url(feedback), occurred_on=story_month(2026, 8) - dt.timedelta(days=1),
            actor=staff,
        )  # fmt: skip

    story.at(at_hour(story_day(2026, 7, 31), 15), give)


def _settle_month(story: Story, program: Program, staff, first: dt.date, following: dt.date, today: dt.date) -> None:
    """After a month: staff approve its hours (querying a few), then a payout run pays what is owed."""
    approve_on = following + dt.timedelta(days=2)
    if approve_on > today:
        return  # the current month's hours are still waiting for review
    story.at(at_hour(approve_on, 11), lambda: _review_hours(program, staff, first, following))
    pay_on = following + dt.timedelta(days=4)
    if pay_on > today:
        return
    next_pay_on = _months(following, following)[0][1] + dt.timedelta(days=4)
    confirm = next_pay_on <= today or following == story_month(2026, 9)  # else the latest run is left under review
    story.at(at_hour(pay_on, 11), lambda: _pay(program, staff, confirm=confirm))
    if following == story_month(2026, 9):
        story.at(at_hour(pay_on + dt.timedelta(days=3), 11), lambda: _returned_by_the_bank(program, staff))


def _review_hours(program: Program, staff, first: dt.date, following: dt.date) -> None:
    entries = TimeEntry.objects.filter(program=program, worked_on__gte=first, worked_on__lt=following,
                                       status=TimeEntry.Status.PENDING).select_related("user", "program")  # fmt: skip
    for number, entry in enumerate(entries.order_by("pk")):
        if number % 11 == 5:
            services.timeentry_query(
                entry=entry, actor=staff, reason="Which build did you test? The note does not say."
            )
        elif number % 17 == 3:
            services.timeentry_withdraw(entry=entry, actor=entry.user)
        else:
            services.timeentry_approve(entry=entry, actor=staff)


def _pay(program: Program, staff, *, confirm: bool) -> None:
    run = payout_runs.payoutrun_create(program=program, currency="EUR", actor=staff)
    if confirm:
        payout_runs.payoutrun_confirm(run=run, actor=staff)


def _returned_by_the_bank(program: Program, staff) -> None:
    run = program.payout_runs.filter(status="confirmed").latest("pk")
    item = run.items.order_by("user__email").first()
    payout_runs.payoutrun_item_fail(item=item, reason="The bank returned the transfer: IBAN closed.", actor=staff)


def _seed_awards_and_correction(story: Story, program: Program, staff, artists: list, today: dt.date) -> None:
    if len(artists) < 2 or today < story_day(2026, 10, 20):
        return
    first, second = artists[0], artists[1]
    story.at(at_hour(story_day(2026, 10, 12), 16), lambda: services.award_record(
        user=first, program=program, title="Selected for the Rotterdam AI shorts night", amount="500.00",
        reason="Jury selection for the festival screening.", idempotency_key="demo:award:rotterdam",
        actor=staff, awarded_on=story_day(2026, 10, 12),
    ))  # fmt: skip
    story.at(at_hour(story_day(2026, 10, 1), 16), lambda: services.award_record(
        user=second, program=program, title="Audience prize, September showcase", amount="250.00",
        reason="Most votes from the showcase audience.", idempotency_key="demo:award:audience-september",
        actor=staff, awarded_on=story_day(2026, 9, 30),
    ))  # fmt: skip
    story.at(at_hour(story_day(2026, 10, 15), 20), lambda: _correct_an_entry(program, first))
    story.at(at_hour(story_day(2026, 10, 16), 11), lambda: _approve_the_correction(program, first, staff))


def _correct_an_entry(program: Program, artist) -> None:
    approved = TimeEntry.objects.filter(program=program, user=artist, status=TimeEntry.Status.APPROVED)
    approved = approved.order_by("pk").first()
    if approved is not None:
        services.timeentry_log(
            user=artist, program=program, worked_on=approved.worked_on, minutes=max(approved.minutes - 30, 15),
            category=approved.category, note="Correction: I logged the lunch break too.", corrects=approved,
        )  # fmt: skip


def _approve_the_correction(program: Program, artist, staff) -> None:
    correction = TimeEntry.objects.filter(program=program, user=artist, corrects__isnull=False).first()
    if correction is not None:
        services.timeentry_approve(entry=correction, actor=staff)
