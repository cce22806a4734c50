"""Demo data for the artist's own data: an export ready to download, and a former artist who deleted their account.

The former artist joined by invitation, worked in September and was paid, then deleted their account: their hours
and money stay, anonymised, so the program's totals still hold. Every step is a service call on its day of the story
(demo/story.py). Idempotent: a deleted account in the program, or an artist's export, is made once.
"""

import datetime as dt

from django.utils import timezone

from accounts.models import DataExport
from accounts.personal_data.deletion import account_delete
from accounts.personal_data.exports import export_build, export_request
from demo.calendar import story_day
from demo.story import Story, at_hour, told
from demo.users import demo_user
from portal.models import User
from programs.access import current_agreement
from programs.models import Invitation, Program, TimeEntry
from programs.selectors.compensation import balance
from programs.services import compensation
from programs.services.invitations import invitation_accept, invitation_send

FORMER_ARTIST = "Noor Haddad"
SEPTEMBER_DAYS = [(2026, 9, day) for day in (2, 5, 9, 12, 16, 19)]  # story days (demo.calendar)


def seed_personal_data(program: Program, people: dict, story: Story | None = None) -> None:
    with told(story) as story:
        artist = people["artists"][1]
        if not DataExport.objects.filter(user=artist).exists():
            story.at(timezone.now(), lambda: _ready_export(artist))  # today: the demo shows it ready
        if not User.objects.filter(deleted_at__isnull=False, enrolments__program=program).exists():
            _seed_deleted_account(story, program, staff=people["staff"][0])


def _ready_export(artist: User) -> None:
    export, _ = export_request(user=artist)
    export_build(export_id=export.pk, claim="demo")  # at once, as the task would


def _seed_deleted_account(story: Story, program: Program, *, staff) -> None:
    former = demo_user(FORMER_ARTIST, credit=FORMER_ARTIST)
    invited = at_hour(story_day(2026, 7, 29), 11)

    def invite() -> None:
        invitation_send(
            program=program, cohort=program.cohorts.get(name="Spring cohort"), email=former.email, actor=staff
        )

    def join() -> None:
        version = current_agreement(program, program.language)
        invitation = Invitation.objects.get(program=program, email=former.email)
        invitation_accept(
            invitation=invitation, user=former, version_id=version.pk, submitted_hash=version.content_hash,
            ip_address="198.51.100.40",
        )  # fmt: skip

    story.at(invited, invite)
    story.at(invited + dt.timedelta(days=1), join)
    for day in (story_day(*story_date) for story_date in SEPTEMBER_DAYS):
        story.at(at_hour(day, 18), lambda d=day: compensation.timeentry_log(
            user=former, program=program, worked_on=d, minutes=120, category="testing",
            note="Stress-tested long prompts.",
        ))  # fmt: skip
    story.at(at_hour(story_day(2026, 10, 2), 10), lambda: _approve_hours(program, former, staff))
    story.at(at_hour(story_day(2026, 10, 4), 10), lambda: compensation.payout_record(
        user=former, program=program, amount=balance(former, program, "EUR"), currency="EUR", method="bank_transfer",
        idempotency_key=f"demo:former:{former.pk}", actor=staff,
    ))  # fmt: skip
    story.at(at_hour(story_day(2026, 10, 20), 12), lambda: account_delete(user=former))


def _approve_hours(program: Program, former: User, staff) -> None:
    for entry in former.time_entries.filter(program=program, status=TimeEntry.Status.PENDING):
        compensation.timeentry_approve(entry=entry, actor=staff)
