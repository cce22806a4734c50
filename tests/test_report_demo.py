import pytest

from demo.program import seed_program
from demo.reports import seed_reports
from demo.users import demo_people
from programs.models import Credit
from submissions.models import BugReport, Feedback, MeToo, ReportNotice, Screenshot
from tests.conftest import make_rate_card


@pytest.mark.django_db
def test_the_demo_shows_every_state_with_credits_and_is_idempotent(django_capture_on_commit_callbacks):
    from django.core import mail

    people = demo_people()
    program = seed_program(people)
    make_rate_card(program)
    with django_capture_on_commit_callbacks(execute=True):
        seed_reports(program, people)
    counts = (BugReport.objects.count(), Feedback.objects.count(), Screenshot.objects.count(), Credit.objects.count())
    assert set(BugReport.objects.values_list("status", flat=True)) == set(BugReport.Status.values)
    assert set(Feedback.objects.values_list("status", flat=True)) == set(Feedback.Status.values)
    assert Credit.objects.filter(kind="bug_report").count() == 3
    assert Credit.objects.filter(kind="bug_report_duplicate").count() == 1
    assert Credit.objects.filter(kind="feedback").count() == 2
    assert BugReport.objects.filter(duplicate_of__isnull=False).count() == 2
    assert BugReport.objects.get(title__startswith="Subtitles").events.filter(from_status="needs_info").exists()
    assert MeToo.objects.count() >= 5 and Screenshot.objects.count() == 3
    assert mail.outbox == []  # seeding history sends nobody an email
    assert ReportNotice.objects.filter(read_at__isnull=True).exists()
    assert ReportNotice.objects.filter(read_at__isnull=False).exists()

    seed_reports(program, people)
    again = (BugReport.objects.count(), Feedback.objects.count(), Screenshot.objects.count(), Credit.objects.count())
    assert again == counts
