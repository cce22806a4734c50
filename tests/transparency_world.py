"""A program a few months in, made through the services, for the transparency report tests.

Twelve artists in every enrolment state, hours over three months (approved, queried, withdrawn), credits, an
award, payouts with one reversed, bug reports in every state and feedback (some answered). A second program
with its own records checks that nothing of it leaks into the first one's report.
"""

import datetime as dt

from django.utils import timezone

from programs.models import Enrolment, EnrolmentEvent
from programs.services import compensation as comp
from programs.services import payout_runs
from submissions.models import BugReport
from submissions.services import reports as report_services
from tests.conftest import enrol, file_report, make_program, make_rate_card, make_user, report_in

E = Enrolment.Status


def months_ago(months: int, day: int = 10) -> dt.date:
    today = timezone.localdate()
    year, month = today.year, today.month - months
    while month < 1:
        year, month = year - 1, month + 12
    return dt.date(year, month, day)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """That day at `hour`, but never later than a minute ago: today at 10:00 is still to come before 10:00, and a
    record dated in the future would count as a change after every release."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    return min(moment, timezone.now() - dt.timedelta(minutes=1))


def enrol_with_history(user, program, status: str, *, invited_on: dt.date, joined_on: dt.date | None = None):
    enrolment = enrol(user, program, status=status)
    history = [(invited_on, "", E.INVITED)]
    if joined_on:
        history.append((joined_on, E.INVITED, E.ACTIVE))
        if status not in (E.ACTIVE, E.INVITED):
            history.append((joined_on + dt.timedelta(days=20), E.ACTIVE, status))
    elif status != E.INVITED:
        history.append((invited_on + dt.timedelta(days=3), E.INVITED, status))
    for day, from_status, to_status in history:
        event = EnrolmentEvent.objects.create(enrolment=enrolment, from_status=from_status, to_status=to_status)
        EnrolmentEvent.objects.filter(pk=event.pk).update(created_at=at(day))
    Enrolment.objects.filter(pk=enrolment.pk).update(status_changed_at=at(history[-1][0]))
    return enrolment


def seed_report_world(program, staff, *, artists: int = 12, prefix: str = "a") -> list:
    """Artists 0..N-1: the last three are paused, left and awaiting; the others active and working."""
    make_rate_card(program)
    people = [make_user(f"{prefix}{i}@example.com", display_name=f"Artist {prefix}{i}") for i in range(artists)]
    first, second = months_ago(3), months_ago(2)
    states = [E.ACTIVE] * (artists - 3) + [E.PAUSED, E.LEFT, E.INVITED]
    for i, (person, status) in enumerate(zip(people, states, strict=True)):
        if status == E.INVITED:
            enrol_with_history(person, program, status, invited_on=timezone.localdate())
        else:
            invited = first if i < artists // 2 else second
            enrol_with_history(person, program, status, invited_on=invited, joined_on=invited + dt.timedelta(days=1))
    workers = people[: artists - 3]
    today = timezone.localdate()
    for i, person in enumerate(workers):
        for back in (3, 2, 1):
            day = months_ago(back, day=12 + i % 5)
            entry = comp.timeentry_log(
                user=person, program=program, worked_on=day, minutes=60 + 15 * i + 30 * back, category="testing",
                today=today,
            )  # fmt: skip
            if (i + back) % 4 == 0:
                comp.timeentry_query(entry=entry, actor=staff, reason="Which build?")
            elif (i + back) % 7 == 0:
                comp.timeentry_withdraw(entry=entry, actor=person)
            else:
                comp.timeentry_approve(entry=entry, actor=staff, today=day + dt.timedelta(days=2))
        comp.credit_record(
            user=person, program=program, kind="feedback", idempotency_key=f"{prefix}:fb:{i}",
            source_label=f"Feedback {i}", occurred_on=months_ago(2, day=20), today=today,
        )  # fmt: skip
    comp.award_record(
        user=workers[0], program=program, title="Festival selection", amount="300.00", reason="Selected.",
        idempotency_key=f"{prefix}:award", actor=staff, awarded_on=months_ago(1, day=5), today=today,
    )  # fmt: skip
    run = payout_runs.payoutrun_confirm(
        run=payout_runs.payoutrun_create(program=program, currency="EUR", actor=staff), actor=staff, today=today
    )
    failed = run.items.order_by("user__email").first()
    payout_runs.payoutrun_item_fail(item=failed, reason="IBAN closed.", actor=staff, today=today)
    for i, person in enumerate(workers[1:6]):  # earned since the run: owed to six artists in all
        comp.credit_record(
            user=person, program=program, kind="bug_report_duplicate", idempotency_key=f"{prefix}:dup:{i}",
            source_label=f"Duplicate {i}", today=today,
        )  # fmt: skip
    # Bug reports in every state, by six artists; feedback by seven, four answered.
    statuses = [*BugReport.OPEN_STATUSES[:3], "confirmed", "fixed", "fixed", "duplicate", "not_a_bug", "wont_fix"]
    original = None
    for i, status in enumerate(statuses):
        reporter = workers[i % min(6, len(workers))]
        if status == "duplicate":
            report_in(status, reporter, program, staff, original=original)
        else:
            report = report_in(status, reporter, program, staff)
            original = original or (report if status in ("confirmed", "fixed") else None)
    file_report(workers[0], program, submit=False)  # a draft: not filed
    for i, person in enumerate(workers[:7]):
        feedback = report_services.feedback_submit(author=person, program=program, kind="idea", body=f"Idea {i}")
        if i < 3:
            report_services.feedback_respond(feedback=feedback, author=staff, body="Thanks, noted.")
        elif i == 3:
            report_services.feedback_answer(feedback=feedback, actor=staff, reason="We will add it.")
    return people


def other_program_with_records(staff):
    """Another program with hours and money: none of it may show in the first program's report."""
    other = make_program(slug="other-program")
    from programs.models import ProgramRole

    ProgramRole.objects.get_or_create(user=staff, program=other, role=ProgramRole.Role.STAFF)
    seed_report_world(other, staff, artists=6, prefix="o")
    return other
