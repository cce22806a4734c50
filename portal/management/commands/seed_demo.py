from django.core.management.base import BaseCommand
from django.db import transaction

from portal.demo_personal_data import seed_personal_data
from portal.demo_users import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_people
from programs.demo import seed_program
from programs.demo_compensation import seed_compensation
from programs.demo_transparency import seed_transparency
from submissions.demo import seed_videos
from submissions.demo_approvals import seed_approvals
from submissions.demo_reports import link_report_videos, seed_reports
from submissions.models import Video


class Command(BaseCommand):
    help = "Load a realistic demo program. Idempotent: running it again adds nothing twice."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            people = demo_people()
            program = seed_program(people)
            seed_compensation(program, people)
            seed_reports(program, people)
            seed_videos(program, people)
            seed_approvals(program, people)
            link_report_videos(program)  # after the videos: reports are seeded before them
            seed_personal_data(program, people)  # an export, and a former artist who deleted their account
            seed_transparency(program, people)  # last: its dated snapshot counts everything above
        self.stdout.write(self.style.SUCCESS(f"Demo program ready: {program.name} (/programs/{program.slug}/)"))
        videos = Video.objects.filter(program=program).count()
        self.stdout.write(f"Demo videos: {videos} in the program (real clips, processed like uploads).")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        superuser, program_staff = people["staff"]
        self.stdout.write(f"  staff     {superuser.email} (superuser)")
        self.stdout.write(f"  staff     {program_staff.email} (program staff, not a superuser)")
        self.stdout.write(
            f"            staff sign in with a second factor: authenticator secret {DEMO_TOTP_SECRET} "
            f"(add it to any TOTP app, or run: oathtool --totp -b {DEMO_TOTP_SECRET})"
        )
        for reviewer in people["reviewers"]:
            self.stdout.write(f"  reviewer  {reviewer.email}")
        for artist in people["artists"][:3]:
            self.stdout.write(f"  artist    {artist.email}")
        self.stdout.write(
            f"  ... and {len(people['artists']) - 3} more artists @{people['artists'][0].email.split('@')[1]}"
        )
