import logging
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from demo.approvals import seed_approvals
from demo.calls import seed_calls
from demo.compensation import seed_compensation
from demo.credentials import seed_credentials
from demo.data_requests import seed_personal_data
from demo.direct_uploads import seed_direct_uploads
from demo.opportunities import seed_opportunities
from demo.program import PROGRAM_SLUG, seed_program
from demo.reports import seed_reports
from demo.story import Story
from demo.studio import seed_studio
from demo.transparency import seed_transparency
from demo.users import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_people
from demo.videos import seed_videos
from programs.models import Program
from submissions.credentials.keys import ensure_demo_signer
from submissions.models import Video

CONSOLE_MAIL = "django.core.mail.backends.console.EmailBackend"
FILE_MAIL = "django.core.mail.backends.filebased.EmailBackend"
MAIL_SEPARATOR = "-" * 79  # the file backend writes this line after each message


@contextmanager
def _quiet_seeding(mail_dir: Path):
    """While seeding: mails that would be printed to the console go to files in `mail_dir` (other mailers, such
    as the tests' in-memory outbox, are left alone), and each in-process task's success line stays unprinted."""
    trace = logging.getLogger("celery.app.trace")
    level, trace.level = trace.level, logging.WARNING
    mailers = getattr(settings, "MAILERS", {})
    try:
        if mailers.get("default", {}).get("BACKEND") != CONSOLE_MAIL:
            yield None
            return
        mail_dir.mkdir(parents=True, exist_ok=True)
        to_files = {"BACKEND": FILE_MAIL, "OPTIONS": {"file_path": str(mail_dir)}}
        with override_settings(MAILERS={**mailers, "default": to_files}):
            yield mail_dir
    finally:
        trace.setLevel(level)


def _mails_in(mail_dir: Path) -> int:
    return sum(f.read_text(errors="replace").count(MAIL_SEPARATOR) for f in mail_dir.glob("*.log"))


class Command(BaseCommand):
    help = (
        "Load a realistic demo program (demo accounts share one published password). Idempotent: running it again "
        "adds nothing twice. Refuses unless DEBUG is on or --force is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Load the demo even though DEBUG is off (never on a real site)."
        )
        parser.add_argument(
            "--mail-dir",
            default=str(Path(settings.BASE_DIR) / "demo-mail"),
            help="Where the mails sent while seeding are written, when mail goes to the console (default: demo-mail/)",
        )

    def handle(self, *args, **options) -> None:
        if not (settings.DEBUG or options["force"]):
            raise CommandError(
                "seed_demo creates accounts whose password is published in the README, so it only runs with DEBUG=1 "
                "(as `make run` sets) or with --force. Nothing was loaded."
            )
        mail_dir = Path(options["mail_dir"])
        before = _mails_in(mail_dir) if mail_dir.exists() else 0
        with _quiet_seeding(mail_dir) as written_to:
            self._seed()
        if written_to is not None:
            self.stdout.write(
                f"Demo mails: {_mails_in(mail_dir) - before} written to {mail_dir}/ (one file per batch)."
            )
        self._accounts()

    def _seed(self) -> None:
        with transaction.atomic():
            people = demo_people()
            program = Program.objects.filter(slug=PROGRAM_SLUG).first()
            if program is None:  # else it is seeded already: running again adds nothing
                story = Story()
                program = seed_program(people, story)
                seed_compensation(program, people, story)
                seed_reports(program, people, story)
                seed_videos(program, people, story)
                seed_direct_uploads(program, people, story)  # with S3 only: masters sent straight to the bucket
                seed_approvals(program, people, story)
                seed_studio(program, people, story)  # clips generated in the studio, in every state of a job
                seed_credentials(program, people, story)  # signed published copies, one signed again after consent
                seed_opportunities(program, people, story)  # grant rounds and decisions, sessions and attendance
                seed_personal_data(program, people, story)  # an export, and a former artist who deleted their account
                seed_calls(program, people, story)  # a finished call with results and paid prizes, an open one
                seed_transparency(program, people, story)  # last: its snapshot of today counts everything above
                story.play()  # every step on its day, in the order they happened
        self.program = program
        self.people = people

    def _accounts(self) -> None:
        """Last, and short: what a person needs to try the demo."""
        program, people = self.program, self.people
        self.stdout.write(self.style.SUCCESS(f"Demo program ready: {program.name} (/programs/{program.slug}/)"))
        videos = Video.objects.filter(program=program).count()
        self.stdout.write(f"Demo videos: {videos} in the program (real clips, processed like uploads).")
        if not settings.C2PA_SIGNER_KEY:
            folder = ensure_demo_signer()["anchor"].parent  # made on the first start, kept after
            self.stdout.write(
                f"Content Credentials: published copies are signed by the demo signer in {folder}/ "
                "(its CA certificate is published at /verify/trust-anchor.pem)."
            )
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
