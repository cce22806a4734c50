"""The demo looks like a real program on the day it is seeded, and `make run` stays readable (issue 21)."""

import datetime as dt
import inspect
import re

import pytest
import time_machine
from django.core import mail
from django.template.loader import render_to_string

import demo.approvals
import demo.cast
import demo.compensation
import demo.data_requests
import demo.enrolment
import demo.program
import demo.reports
import demo.story
import demo.transparency
import demo.videos
from demo.calendar import STORY_TODAY, story_day, story_month
from demo.management.commands.seed_demo import CONSOLE_MAIL, _mails_in, _quiet_seeding
from programs.models import Cohort

DEMO_MODULES = [
    demo.cast,
    demo.story,
    demo.data_requests,
    demo.program,
    demo.compensation,
    demo.enrolment,
    demo.transparency,
    demo.videos,
    demo.approvals,
    demo.reports,
]


@pytest.mark.parametrize("module", DEMO_MODULES, ids=lambda m: m.__name__)
def test_no_demo_module_pins_a_calendar_date(module):
    """Every date of the demo goes through demo.calendar, so it moves with the day of seeding."""
    assert not re.findall(r"\bdt\.date\(\s*20\d\d|\bdatetime\(\s*20\d\d", inspect.getsource(module))


@pytest.mark.parametrize("seeded_on", [STORY_TODAY, dt.date(2027, 3, 9), dt.date(2028, 1, 2)])
def test_story_dates_keep_their_distance_from_the_day_of_seeding(seeded_on):
    with time_machine.travel(dt.datetime.combine(seeded_on, dt.time(12), tzinfo=dt.UTC), tick=False):
        assert seeded_on - story_day(2026, 10, 5) == STORY_TODAY - dt.date(2026, 10, 5)
        assert story_day(2027, 1, 15) > seeded_on  # the embargo is still ahead
        first = story_month(2026, 10)
        assert first.day == 1 and first <= story_day(2026, 10, 5) < story_month(2026, 12)


@pytest.mark.django_db
@pytest.mark.parametrize(("starts_in_days", "words"), [(-60, ", which started on"), (10, ", starting")])
def test_the_invitation_mail_says_whether_the_cohort_started(program, starts_in_days, words):
    cohort = Cohort.objects.create(
        program=program, name="Autumn cohort", capacity=5, starts_on=dt.date.today() + dt.timedelta(starts_in_days)
    )

    class Invitation:  # the template reads these attributes only
        pass

    invitation = Invitation()
    invitation.program, invitation.cohort, invitation.message, invitation.expires_at = program, cohort, "", None
    text = render_to_string("mail/invitation/body.txt", {"invitation": invitation, "accept_url": "/x/"})
    assert f"in the Autumn cohort{words} " in text


def test_seeding_writes_console_mail_to_files_and_prints_none(settings, tmp_path, capsys):
    settings.MAILERS = {"default": {"BACKEND": CONSOLE_MAIL}}
    with _quiet_seeding(tmp_path / "mail") as folder:
        for number in range(3):
            mail.send_mail(f"Demo {number}", "Body", "a@example.com", ["b@example.com"])
    assert folder == tmp_path / "mail"
    assert _mails_in(folder) == 3
    assert "Demo 0" not in capsys.readouterr().out


def test_seeding_leaves_other_mailers_alone(settings, tmp_path):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    mail.outbox = []
    with _quiet_seeding(tmp_path / "mail") as folder:
        mail.send_mail("Demo", "Body", "a@example.com", ["b@example.com"])
    assert folder is None and not (tmp_path / "mail").exists()
    assert len(mail.outbox) == 1
