"""Personas and shared fixtures. Each persona is a real user with a verified email."""

import datetime as dt
import os
import time
from pathlib import Path

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client

from portal.models import User
from programs.models import Cohort, Enrolment, Program, ProgramRole
from programs.services.roles import program_role_grant

# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct-horse-battery-staple"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def make_user(email: str, *, display_name: str = "", is_staff: bool = False, is_superuser: bool = False) -> User:
    user = User.objects.create_user(
        email=email, password=PASSWORD, display_name=display_name, is_staff=is_staff, is_superuser=is_superuser
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def make_program(*, slug: str = "lumen", status: str = Program.Status.OPEN, **extra) -> Program:
    defaults = {"name": slug.title(), "pitch": f"The {slug} program.", "tagline": f"Test {slug}."}
    return Program.objects.create(slug=slug, status=status, **{**defaults, **extra})


def enrol(user: User, program: Program, *, status: str = Enrolment.Status.ACTIVE, cohort=None) -> Enrolment:
    return Enrolment.objects.create(user=user, program=program, status=status, cohort=cohort)


def pytest_configure(config):
    from django.conf import settings

    # Django 6.1's PBKDF2 takes ~1 s a hash; the tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _separate_redis_per_xdist_worker(settings)


def _shift_redis_db(url: str, by: int) -> str:
    base, _, db = url.rpartition("/")
    return f"{base}/{int(db or 0) + by}"


def _separate_redis_per_xdist_worker(settings) -> None:
    """Parallel test processes share one Redis: each takes its own databases (base + worker number), so one
    process's cache.clear() or broker queue never touches another's. CI spaces the bases apart."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return
    offset = int(worker[2:])
    if settings.REDIS_URL:
        settings.CACHES["default"]["LOCATION"] = _shift_redis_db(settings.REDIS_URL, offset)
    if settings.CELERY_BROKER_URL:
        from portal.celery import app

        settings.CELERY_BROKER_URL = _shift_redis_db(settings.CELERY_BROKER_URL, offset)
        app.conf.broker_url = settings.CELERY_BROKER_URL
        # Celery prefers the CELERY_BROKER_URL environment variable to its configuration (CI sets it): without
        # this, every process would publish to and consume from the same queue and steal each other's tasks.
        os.environ["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL


@pytest.fixture(autouse=True)
def _default_language_and_zone():
    """Each test starts in the site's language and zone: LocaleMiddleware leaves a request's language active in the
    thread (harmless in production, where it activates one on every request), and tests call services directly."""
    from django.utils import timezone, translation

    translation.deactivate()
    timezone.deactivate()
    yield
    translation.deactivate()
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and claims live in the cache: no test inherits another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the staff personas' authenticator app


def totp_now(secret: str = STAFF_TOTP_SECRET) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def pass_second_factor(client: Client, user: User) -> None:
    """Record in the client's session what allauth records when its second-factor step succeeds."""
    from allauth.account.internal.flows.login import record_authentication
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.session, request.user = client.session, user
    record_authentication(request, user, "mfa", type="totp")
    request.session.save()


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """Tests that force_login act as someone who signed in completely, second factor included (staff accounts
    need one: accounts/second_factor.py). Tests of that requirement sign in for real or use force_login_only."""
    force_login_only = Client.force_login

    def force_login(client, user, backend=None):
        force_login_only(client, user, backend)
        pass_second_factor(client, user)

    monkeypatch.setattr(Client, "force_login", force_login)
    monkeypatch.setattr(Client, "force_login_only", force_login_only, raising=False)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Every test writes media to its own folder, never the developer's."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"]}
        if settings.USE_S3
        else {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "media"}},
    }


@pytest.fixture
def program(db) -> Program:
    program = make_program()
    Cohort.objects.create(program=program, name="First cohort", capacity=10)
    return program


@pytest.fixture
def artist(program) -> User:
    user = make_user("artist@example.com", display_name="Ada Artist")
    enrol(user, program, cohort=program.cohorts.first())
    return user


@pytest.fixture
def other_artist(program) -> User:
    user = make_user("other@example.com", display_name="Otto Other")
    enrol(user, program, cohort=program.cohorts.first())
    return user


@pytest.fixture
def reviewer(program) -> User:
    user = make_user("reviewer@example.com", display_name="Rita Reviewer")
    ProgramRole.objects.create(user=user, program=program, role=ProgramRole.Role.REVIEWER)
    return user


STAFF_GROUP_MIGRATIONS = [
    ("programs", "0005_program_staff_group", "create_group"),
    ("submissions", "0005_program_staff_permissions", "grant"),
    ("submissions", "0011_direct_upload_staff_permissions", "grant"),
    ("transparency", "0001_initial", "move_permissions"),
    ("studio", "0002_program_staff_permissions", "grant"),
    ("calls", "0001_open_calls", "grant"),
    ("calls", "0003_grants_and_events_staff_permissions", "grant"),
]


def migration_with_state(app_label: str, name: str):
    """A migration's module and the historical apps it runs with, to call its RunPython functions directly."""
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    state = MigrationExecutor(connection).loader.project_state((app_label, name))
    return importlib.import_module(f"{app_label}.migrations.{name}"), state.apps


def restore_program_staff_group() -> None:
    """Transactional tests (live server, real races) flush the database after each test, and with it the group
    the migrations made: make it again exactly as they do."""
    from django.contrib.auth.models import Group

    from programs.services.roles import PROGRAM_STAFF_GROUP

    if Group.objects.filter(name=PROGRAM_STAFF_GROUP).exists():
        return
    for app_label, name, function in STAFF_GROUP_MIGRATIONS:
        module, state_apps = migration_with_state(app_label, name)
        getattr(module, function)(state_apps, None)


@pytest.fixture(autouse=True)
def _program_staff_group_exists(request):
    """Every test that uses the database finds the group the migrations made, whatever transactional test ran
    before it in the process. Tests without the database are left alone (they have no test database)."""
    uses_database = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    )
    if not uses_database:
        return
    request.getfixturevalue("django_db_setup")
    with request.getfixturevalue("django_db_blocker").unblock():
        restore_program_staff_group()


@pytest.fixture
def staff(program) -> User:
    """Program staff as the role service makes them: in the "Program staff" group, allowed into the admin."""
    user = make_user("staff@example.com", display_name="Sam Staff")
    program_role_grant(user=user, program=program, role=ProgramRole.Role.STAFF)
    return with_totp(user)


@pytest.fixture
def superuser(db) -> User:
    return with_totp(make_user("root@example.com", display_name="Root", is_staff=True, is_superuser=True))


def with_totp(user: User, secret: str = STAFF_TOTP_SECRET) -> User:
    """Staff accounts need a second factor: give them an authenticator app (codes from totp_now)."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, secret)
    return user


# --- Celery ---------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _tasks_run_in_process(request):
    """Tests run tasks in-process unless they ask for the real worker (the `celery_worker` fixture)."""
    from celery._state import _set_task_join_will_block

    from portal.celery import app

    # Any worker started in this process (by an earlier test, its pool restarted in a broker outage) marks the
    # whole process as one where waiting for a result would block; a test that runs a task itself may wait.
    _set_task_join_will_block(False)
    if "celery_worker" in request.fixturenames:
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def celery_worker(settings):
    """A real Celery worker, in a thread, consuming from the real broker (Redis in CI's services run)."""
    from celery._state import _set_task_join_will_block
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    if not settings.CELERY_BROKER_URL:
        pytest.skip("needs a broker: set CELERY_BROKER_URL (the services run of .ci/run does)")
    app.conf.task_always_eager = False
    app.control.purge()  # tasks left in the queue by an earlier test (a retry waiting at shutdown) are not this one's
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
            _wait_until_it_runs_a_task()
            yield worker
    finally:
        # A worker marks the whole process as one where waiting for a result would block it; the next test in
        # this process calls .get() on a task it ran itself.
        _set_task_join_will_block(False)


def _wait_until_it_runs_a_task() -> None:
    """The worker thread finishes starting (and reads the app's settings) in its own time: a test that then
    changes them, e.g. to cut the broker, must wait until it has run a task."""
    import threading

    from celery.signals import task_postrun

    from portal.tasks import ping

    ran = threading.Event()

    def mark(**kwargs) -> None:
        ran.set()

    task_postrun.connect(mark, sender=ping, weak=False)
    try:
        ping.delay()
        assert ran.wait(30), "the test worker did not run a task within 30 s"
    finally:
        task_postrun.disconnect(mark, sender=ping)


# --- Browser (real headless Chromium from Debian, driven by Playwright) ---------------------
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's 'chromium' package (.ci/run does).")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


class RequestsInFlight:
    """Counts the live server's requests between Django's request_started and request_finished signals."""

    def __init__(self):
        import threading

        self.count = 0
        self.idle = threading.Condition()

    def started(self, **kwargs) -> None:
        with self.idle:
            self.count += 1

    def finished(self, **kwargs) -> None:
        with self.idle:
            self.count -= 1
            self.idle.notify_all()

    def wait_until_idle(self, seconds: float) -> None:
        with self.idle:
            self.idle.wait_for(lambda: self.count <= 0, timeout=seconds)


@pytest.fixture
def _requests_in_flight():
    from django.core.signals import request_finished, request_started

    counter = RequestsInFlight()
    request_started.connect(counter.started, weak=False)
    request_finished.connect(counter.finished, weak=False)
    yield counter
    request_started.disconnect(counter.started)
    request_finished.disconnect(counter.finished)


@pytest.fixture
def page(_requests_in_flight, page):
    """Playwright's page, left on about:blank at the end of the test and the live server then waited for: a poster
    or a poll still in flight would otherwise reach the server while the database is being flushed (on PostgreSQL
    the flush then fails and the next test starts on the last one's rows)."""
    yield page
    if not page.is_closed():
        page.goto("about:blank")
    _requests_in_flight.wait_until_idle(15)


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep a screenshot of every failed browser test under test-artifacts/ (CI prints the folder)."""
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and page is not None:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{item.name}.png"), full_page=True)


# --- Compensation (issue 7) ------------------------------------------------------------------
RATE_CARD_AMOUNTS = {
    "hourly_rate": "25.00",
    "bug_report_low": "20.00",
    "bug_report_medium": "40.00",
    "bug_report_high": "80.00",
    "bug_report_critical": "150.00",
    "bug_report_duplicate": "5.00",
    "feedback": "15.00",
    "video_approved": "30.00",
    "video_showcased": "200.00",
    "stipend_amount": "0.00",
}


def make_rate_card(program, *, effective_from=None, currency="EUR", stipend_period="none", **amounts):
    """Publish a rate card as it would have been published the day before it took effect (default: a year
    ago, so everything dated today is priced by it)."""
    import datetime as dt

    from django.utils import timezone

    from programs.services.compensation import ratecard_publish

    effective_from = effective_from or timezone.localdate() - dt.timedelta(days=365)
    return ratecard_publish(
        program=program,
        effective_from=effective_from,
        currency=currency,
        amounts={**RATE_CARD_AMOUNTS, **amounts},
        stipend_period=stipend_period,
        today=effective_from - dt.timedelta(days=1),
    )


@pytest.fixture
def rate_card(program):
    return make_rate_card(program)


def compensation_world(program, artist, staff):
    """Objects the compensation URLs of the access matrix need: an entry, a confirmed payout run, a month."""
    from types import SimpleNamespace

    from django.utils import timezone

    from programs.services.compensation import award_record, timeentry_log
    from programs.services.payout_runs import payoutrun_confirm, payoutrun_create

    make_rate_card(program)
    award_record(
        user=artist, program=program, title="Prize", amount="50.00", reason="Good.", idempotency_key="w:1", actor=staff
    )
    entry = timeentry_log(user=artist, program=program, worked_on=timezone.localdate(), minutes=60, category="testing")
    run = payoutrun_confirm(run=payoutrun_create(program=program, currency="EUR", actor=staff), actor=staff)
    today = timezone.localdate()
    item = run.items.get()
    return SimpleNamespace(
        entry=entry,
        run=run,
        item_kwargs={"slug": program.slug, "pk": run.pk, "item_pk": item.pk},
        month={"slug": program.slug, "year": today.year, "month": today.month},
    )


def bulk_ledger_lines(user, program, count: int, *, start: int = 0, on=None):
    """Many earned lines at once (for query-count tests and the benchmark), straight into the ledger."""
    from decimal import Decimal

    from django.utils import timezone

    from programs.models import LedgerLine

    on = on or timezone.localdate()
    LedgerLine.objects.bulk_create(
        LedgerLine(
            program=program,
            user=user,
            kind=LedgerLine.Kind.EARNED,
            source=LedgerLine.Source.CREDIT,
            amount=Decimal("1.25"),
            currency="EUR",
            booked_on=on,
            idempotency_key=f"bulk:{user.pk}:{number}",
            label=f"Accepted feedback: note #{number}",
            source_url=f"/feedback/{number}/",
        )
        for number in range(start, start + count)
    )


# --- Bug reports and feedback (issue 6) ----------------------------------------------------------
REPORT_FIELDS = {
    "title": "Hands melt when the camera pans",
    "what_happened": "Both hands of the dancer turn into a blur for half a second.",
    "steps_to_reproduce": "1. Prompt below\n2. Pan left at 2 s",
    "expected_result": "Hands keep their shape.",
    "actual_result": "Hands melt.",
    "artist_severity": "medium",
    "model_version": "lumen-0.9.2",
    "prompt": "A dancer in a red coat, slow pan left",
    "generation_settings": "seed 42, 5 s, 1080p",
}


def file_report(reporter, program, *, submit: bool = True, screenshots=(), video=None, video_timecode=None, **fields):
    """A bug report made through the services, as the artist would (submitted unless submit=False)."""
    from submissions.services.reports import bug_report_save_draft, bug_report_submit

    report = bug_report_save_draft(
        reporter=reporter,
        program=program,
        fields={**REPORT_FIELDS, **fields},
        screenshots=list(screenshots),
        video=video,
        video_timecode=video_timecode,
    )
    if submit:
        report = bug_report_submit(report=report, actor=reporter)
    return report


def report_in(status: str, reporter, program, staff, *, original=None, **fields):
    """A submitted report walked by staff to `status` through the services."""
    from submissions.models import BugReport
    from submissions.services import reports as services

    report = file_report(reporter, program, **fields)
    if status == BugReport.Status.NEW:
        return report
    report = services.bug_report_triage(report=report, actor=staff)
    paths = {
        "triaged": [],
        "confirmed": [("confirmed", "")],
        "needs_info": [("needs_info", "Which browser?")],
        "duplicate": [("duplicate", "Same as the earlier report.")],
        "not_a_bug": [("not_a_bug", "Works as designed.")],
        "wont_fix": [("wont_fix", "Out of scope for this model.")],
        "fixed": [("confirmed", ""), ("fixed", "Fixed in lumen-0.9.3.")],
    }
    for target, reason in paths[status]:
        report = services.bug_report_move(
            report=report, actor=staff, to_status=target, reason=reason, original=original
        )
    return report


@pytest.fixture
def shared_program(program):
    """The persona program with its shared report list switched on."""
    from submissions.models import ReportSettings

    ReportSettings.objects.update_or_create(program=program, defaults={"shared_reports_enabled": True})
    return program


def add_report_world(w) -> None:
    """The access matrix's report objects: a shared program, a submitted report with a screenshot (triaged, so
    the artist has a notice), a draft and a piece of feedback, all by the artist."""
    from submissions.images import process_screenshot
    from submissions.models import ReportNotice, ReportSettings
    from submissions.services.reports import bug_report_triage, feedback_submit
    from tests.report_images import png_bytes, upload

    artist, staff = w.users["artist"], w.users["staff"]
    ReportSettings.objects.create(program=w.program, shared_reports_enabled=True)
    shot = process_screenshot(upload("shot.png", png_bytes()))
    w.report = bug_report_triage(report=file_report(artist, w.program, screenshots=[shot]), actor=staff)
    w.screenshot = w.report.screenshots.get()
    w.draft = file_report(artist, w.program, submit=False)
    w.feedback = feedback_submit(author=artist, program=w.program, kind="idea", body="A loop mode")
    w.notice = ReportNotice.objects.get(user=artist)


# --- Enrolment: agreements, applications, invitations ----------------------------------------
AGREEMENT_V1 = (
    "1. You test the model and tell us what you find.\n\n"
    "2. You are paid for every hour at the published rate card.\n\n"
    "3. You share no generated video before it is approved."
)


def publish_agreement(program, body: str = AGREEMENT_V1, *, actor=None):
    """Draft and publish the next agreement version of `program` through the services."""
    from programs.services.agreements import agreement_draft_save, agreement_publish

    draft = agreement_draft_save(
        program=program, title="Participation agreement", body=body, summary_of_changes="", actor=actor
    )
    return agreement_publish(version=draft, actor=actor)


def accept_current(enrolment):
    """Record that the artist accepted the program's current agreement (as the invitation flow does)."""
    from programs.access import current_agreement
    from programs.services.agreements import record_acceptance

    return record_acceptance(
        enrolment, current_agreement(enrolment.program), ip_address="203.0.113.7", user_agent="test"
    )


def make_application(user, program, **extra):
    from programs.models import Application, ApplicationEvent

    defaults = {"portfolio_links": ["https://example.com/reel"], "statement": "I make films. " * 5}
    application = Application.objects.create(user=user, program=program, **{**defaults, **extra})
    ApplicationEvent.objects.create(application=application, actor=user, to_status=application.status)
    return application


def enrolment_world(w, program, *, artist, other_artist, reviewer, staff) -> None:
    """The enrolment objects the access matrix needs: a published agreement both artists accepted, the
    artist's accepted application, and a pending invitation to a newcomer."""
    from programs.models import Application, Enrolment, Invitation
    from programs.services.invitations import invitation_send

    publish_agreement(program, actor=staff)
    w.enrolment = Enrolment.objects.get(user=artist, program=program)
    w.acceptance = accept_current(w.enrolment)
    accept_current(Enrolment.objects.get(user=other_artist, program=program))
    w.application = make_application(artist, program, status=Application.Status.ACCEPTED, cohort=w.enrolment.cohort)
    # Addressed to someone with no account yet, so no persona gains a place in the program through it.
    w.invitation = invitation_send(
        program=program, cohort=program.cohorts.first(), email="invitee@example.com", actor=staff
    )
    assert w.invitation.status == Invitation.Status.PENDING


# --- Transparency report (issue 8) ------------------------------------------------------------------
def add_transparency_world(w) -> None:
    """A published snapshot of the world's program report, for the snapshot URLs of the access matrix."""
    from transparency.services import transparency_snapshot_publish

    snapshot = transparency_snapshot_publish(program=w.program, actor=w.users["staff"])
    w.snapshot_kwargs = {"slug": w.program.slug, "published_on": snapshot.published_on}


# --- A person's own data (issue 8) ------------------------------------------------------------------
def add_personal_data_world(w) -> None:
    """The artist's data export, built and ready, for the export URLs of the access matrix."""
    from accounts.personal_data import exports

    w.export, _ = exports.export_request(user=w.users["artist"])
    exports.export_build(export_id=w.export.pk, claim="access-matrix")


# --- Videos: a real SeaweedFS on loopback (tests/s3.py); processing in-process even under CI's broker ------
from tests.celery_broker import tasks_in_process  # noqa: E402, F401
from tests.s3 import s3_media, seaweedfs  # noqa: E402, F401
from tests.video_helpers import temp_uploads  # noqa: E402, F401

DEMO_SEEDED_AT = dt.datetime(2026, 11, 22, 10, tzinfo=dt.UTC)


@pytest.fixture
def demo():
    """The demo program as `make run` loads it (seed_demo), seeded at a fixed time that the test stays in."""
    with time_machine.travel(DEMO_SEEDED_AT, tick=False):
        call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
        yield Program.objects.get(slug="lumen-early-access")
