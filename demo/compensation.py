"""Demo compensation: two rate-card versions, months of hours, credits, stipends, awards and payout runs.

History is written through the services, month by month in the order it happened (each call is given the
day it happened as `today`), so every balance, statement and payout is what the real flow would produce.
Idempotent: a program that already has a rate card is left alone (seed_demo runs in one transaction).
"""

import datetime as dt
import random

from django.utils import timezone

from demo.calendar import story_day, story_month
from programs.access import contributing_enrolment
from programs.models import Credit, Enrolment, Program, RateCard, TimeEntry
from programs.services import compensation as services
from programs.services import payout_runs
from programs.services.credit_bookings import credit_book

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
BUGS = [
    ("Hands merge when two people embrace", "high"),
    ("Camera pans reverse direction after 4 seconds", "medium"),
    ("Upload of a 4K reference frame times out", "low"),
    ("Faces of the same character change between shots", "critical"),
    ("Subtitles burned into generated frames", "medium"),
]
FEEDBACK = ["Prompt guide for lighting terms", "Comparison of motion presets", "Notes on the colour pipeline"]


def _months(start: dt.date, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    months, first = [], start.replace(day=1)
    while first <= today:
        following = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        months.append((first, following))
        first = following
    return months


def seed_compensation(program: Program, people: dict) -> None:
    if RateCard.objects.filter(program=program).exists():
        return
    today = timezone.localdate()
    staff = people["staff"][0]
    services.ratecard_publish(
        program=program, effective_from=story_month(2026, 8), currency="EUR", amounts=V1, stipend_period="monthly",
        note="Launch terms.", actor=staff, today=story_month(2026, 8) - dt.timedelta(days=12),
    )  # fmt: skip
    services.ratecard_publish(
        program=program, effective_from=story_month(2026, 10), currency="EUR", amounts=V2, stipend_period="monthly",
        note="Raised for everyone after the first cohort told us reports took longer than we had priced.",
        actor=staff, today=story_month(2026, 10) - dt.timedelta(days=16),
    )  # fmt: skip
    enrolments = Enrolment.objects.filter(program=program).select_related("user", "cohort").order_by("user__email")
    artists = [e for e in enrolments if contributing_enrolment(e.user, program) is not None][:14]
    rng = random.Random(7)
    months = _months(story_month(2026, 8), today)
    for first, following in months:
        last_day = min(following - dt.timedelta(days=1), today)
        for enrolment in artists:
            _seed_month(program, enrolment, first, last_day, rng)
        if first == story_month(2026, 10):
            _seed_awards_and_correction(program, staff, artists, today)
        _settle_month(program, staff, first, following, today)
    if len(artists) > 2:  # a credit the ledger cannot book (earned before the first rate card): staff see it waiting
        credit_book(
            user=artists[2].user, program=program, kind=Credit.Kind.FEEDBACK, reference="demo:july-pilot",
            source_label="Feedback from the July pilot session", occurred_on=story_day(2026, 7, 28), actor=staff,
        )  # fmt: skip


def _seed_month(program: Program, enrolment, first: dt.date, last_day: dt.date, rng: random.Random) -> None:
    artist = enrolment.user
    start = max(first, enrolment.cohort.starts_on if enrolment.cohort and enrolment.cohort.starts_on else first)
    if start > last_day:
        return
    services.stipend_accrue(program=program, on=start, today=start)
    day = start
    while day <= last_day:
        category = rng.choice(CATEGORIES)
        services.timeentry_log(
            user=artist, program=program, worked_on=day, minutes=rng.choice([45, 60, 90, 120, 150, 180, 240]),
            category=category, note=NOTES[category], today=day,
        )  # fmt: skip
        if rng.random() < 0.35:
            _seed_credit(program, artist, day, rng)
        day += dt.timedelta(days=rng.choice([2, 3, 4]))


def _seed_credit(program: Program, artist, day: dt.date, rng: random.Random) -> None:
    kind = rng.choice([Credit.Kind.BUG_REPORT, Credit.Kind.BUG_REPORT, Credit.Kind.BUG_REPORT_DUPLICATE,
                       Credit.Kind.FEEDBACK, Credit.Kind.VIDEO_APPROVED, Credit.Kind.VIDEO_SHOWCASED])  # fmt: skip
    number = rng.randint(100, 999)
    severity = ""
    if kind in (Credit.Kind.BUG_REPORT, Credit.Kind.BUG_REPORT_DUPLICATE):
        title, severity = rng.choice(BUGS)
        label = f"Bug report #{number}: {title}"
    elif kind == Credit.Kind.FEEDBACK:
        label = f"Feedback #{number}: {rng.choice(FEEDBACK)}"
    else:
        label = f"Video #{number}: “{rng.choice(['Tidal', 'Glass City', 'Night Market', 'Paper Birds'])}”"
    services.credit_record(
        user=artist, program=program, kind=kind, severity=severity, source_label=label,
        idempotency_key=f"demo:{kind}:{artist.pk}:{day:%Y%m%d}:{number}", occurred_on=day, today=day,
    )  # fmt: skip


def _settle_month(program: Program, staff, first: dt.date, following: dt.date, today: dt.date) -> None:
    """After a month: staff approve its hours (querying a few), then a payout run pays what is owed."""
    approve_on = following + dt.timedelta(days=2)
    if approve_on > today:
        return  # the current month's hours are still waiting for review
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
            services.timeentry_approve(entry=entry, actor=staff, today=approve_on)
    pay_on = following + dt.timedelta(days=4)
    if pay_on > today:
        return
    run = payout_runs.payoutrun_create(program=program, currency="EUR", actor=staff)
    next_pay_on = _months(following, following)[0][1] + dt.timedelta(days=4)
    if next_pay_on > today and following != story_month(2026, 9):
        return  # the latest run is left under review
    payout_runs.payoutrun_confirm(run=run, actor=staff, today=pay_on)
    if following == story_month(2026, 9):
        item = run.items.order_by("user__email").first()
        payout_runs.payoutrun_item_fail(
            item=item,
            reason="The bank returned the transfer: IBAN closed.",
            actor=staff,
            today=pay_on + dt.timedelta(days=3),
        )


def _seed_awards_and_correction(program: Program, staff, artists: list, today: dt.date) -> None:
    if len(artists) < 2 or today < story_day(2026, 10, 20):
        return
    first, second = artists[0].user, artists[1].user
    services.award_record(
        user=first, program=program, title="Selected for the Rotterdam AI shorts night", amount="500.00",
        reason="Jury selection for the festival screening.", idempotency_key="demo:award:rotterdam",
        actor=staff, awarded_on=story_day(2026, 10, 12), today=story_day(2026, 10, 12),
    )  # fmt: skip
    services.award_record(
        user=second, program=program, title="Audience prize, September showcase", amount="250.00",
        reason="Most votes from the showcase audience.", idempotency_key="demo:award:audience-september",
        actor=staff, awarded_on=story_day(2026, 9, 30), today=story_day(2026, 10, 1),
    )  # fmt: skip
    approved = (
        TimeEntry.objects.filter(program=program, user=first, status=TimeEntry.Status.APPROVED).order_by("pk").first()
    )
    if approved is not None:
        correction = services.timeentry_log(
            user=first, program=program, worked_on=approved.worked_on, minutes=max(approved.minutes - 30, 15),
            category=approved.category, note="Correction: I logged the lunch break too.", corrects=approved,
            today=story_day(2026, 10, 15),
        )  # fmt: skip
        services.timeentry_approve(entry=correction, actor=staff, today=story_day(2026, 10, 16))
