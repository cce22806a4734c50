"""Demo data for the artist's own data: an export ready to download, and a former artist who deleted their account.

The former artist worked and was paid, then deleted their account: their hours and money stay, anonymised, so the
program's totals still hold. Idempotent: a deleted account in the program, or an artist's export, is made once.
"""

from accounts.personal_data.deletion import account_delete
from accounts.personal_data.exports import export_build, export_request
from portal.demo_users import demo_user
from portal.models import DataExport, User
from programs.demo import seed_enrolment
from programs.demo_calendar import story_day
from programs.models import AgreementAcceptance, AgreementVersion, Cohort, Enrolment, Program
from programs.selectors_compensation import balance
from programs.services import compensation

FORMER_ARTIST = "Noor Haddad"
SEPTEMBER_DAYS = [(2026, 9, day) for day in (2, 5, 9, 12, 16, 19)]  # story days (programs.demo_calendar)


def seed_personal_data(program: Program, people: dict) -> None:
    _seed_ready_export(people["artists"][1])
    _seed_deleted_account(program, staff=people["staff"][0])


def _seed_ready_export(artist: User) -> None:
    if DataExport.objects.filter(user=artist).exists():
        return
    export, _ = export_request(user=artist)
    export_build(export_id=export.pk, claim="demo")  # at once: the demo shows it ready, as the task would


def _seed_deleted_account(program: Program, *, staff) -> None:
    if User.objects.filter(deleted_at__isnull=False, enrolments__program=program).exists():
        return
    former = demo_user(FORMER_ARTIST, credit=FORMER_ARTIST)
    seed_enrolment(former, program, Cohort.objects.get(program=program, name="Spring cohort"), "active", staff)
    enrolment = Enrolment.objects.get(user=former, program=program)
    for version in AgreementVersion.objects.filter(program=program).published():
        AgreementAcceptance.objects.get_or_create(
            enrolment=enrolment, version=version, defaults={"content_hash": version.content_hash}
        )
    for day in (story_day(*story) for story in SEPTEMBER_DAYS):
        entry = compensation.timeentry_log(
            user=former, program=program, worked_on=day, minutes=120, category="testing",
            note="Stress-tested long prompts.", today=day,
        )  # fmt: skip
        compensation.timeentry_approve(entry=entry, actor=staff, today=story_day(2026, 10, 2))
    compensation.payout_record(
        user=former, program=program, amount=balance(former, program, "EUR"), currency="EUR", method="bank_transfer",
        idempotency_key=f"demo:former:{former.pk}", actor=staff, today=story_day(2026, 10, 5),
    )  # fmt: skip
    account_delete(user=former)
