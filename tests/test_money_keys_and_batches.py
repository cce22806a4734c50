"""Idempotency keys belong to the server; a credit that cannot be booked never breaks the decision that earned
it; every batch job handles each item on its own, so one poisoned item never stops the rest."""

import datetime as dt
import logging

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from programs.forms.compensation import award_token
from programs.models import Credit, Enrolment, LedgerLine, PendingCredit
from programs.services import compensation, credit_bookings
from programs.services.compensation import award_record, credit_key, stipend_accrue, stipends
from programs.services.credit_bookings import credit_book, pending_credits_retry
from programs.services.payout_runs import payoutrun_confirm, payoutrun_create
from programs.services.roles import program_role_grant
from submissions.models import Appeal, Video
from submissions.services import approvals
from submissions.services.approvals import appeals, deadlines
from tests.approval_helpers import setup_review, video_in_review
from tests.conftest import enrol, make_program, make_rate_card, make_user

S = Video.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(program, reviewer):
    lead = make_user("lead@example.com", display_name="Lea Lead")
    return setup_review(program, safety=[reviewer], lead=[lead])


@pytest.fixture
def program_b(db):
    program = make_program(slug="other")
    staff_b = make_user("staff-b@example.com", display_name="Bea Staff")
    program_role_grant(user=staff_b, program=program, role="staff")
    artist_b = make_user("artist-b@example.com", display_name="Bo Artist")
    enrol(artist_b, program)
    make_rate_card(program)
    return program, staff_b, artist_b


# --- Keys ----------------------------------------------------------------------------------------------


def test_keys_are_scoped_by_kind_and_program():
    class P:
        pk = 7

    assert credit_key("video_approved", P, 62) == "video_approved:7:62"
    assert credit_key("award", P, "video_approved:62") == "award:7:video_approved:62"


def test_another_programs_award_key_cannot_take_a_videos_credit(program, artist, rate_card, rules, program_b):
    """The reported attack: staff of program B awarded under `video_approved:62` before video 62 existed in A."""
    other, staff_b, artist_b = program_b
    video = video_in_review(artist, program)
    award_record(user=artist_b, program=other, title="Prize", amount="10.00", reason="Why not.",
                 idempotency_key=f"video_approved:{video.pk}", actor=staff_b)  # fmt: skip
    approvals.review_decide(video_id=video.pk, reviewer=rules["steps"][0].group.members.get(), outcome="approve")
    approvals.review_decide(video_id=video.pk, reviewer=rules["steps"][1].group.members.get(), outcome="approve")
    video.refresh_from_db()
    assert video.status == S.APPROVED
    credit = Credit.objects.get(kind="video_approved")
    assert (credit.user, credit.idempotency_key) == (artist, f"video_approved:{program.pk}:{video.pk}")
    assert Credit.objects.get(kind="award").idempotency_key == f"award:{other.pk}:video_approved:{video.pk}"


@pytest.mark.parametrize(
    "token",
    ["video_approved:62", "award:deadbeef", "", "x" * 300],
    ids=["automatic-namespace", "unsigned", "empty", "too-long"],
)
def test_the_award_form_refuses_a_key_the_client_chose(client, program, artist, staff, rate_card, token):
    client.force_login(staff)
    data = {"artist": artist.pk, "title": "Prize", "amount": "5000.00", "reason": "Mine.", "submission_token": token}
    response = client.post(reverse("programs:award_create", args=[program.slug]), data)
    assert response.status_code == 400
    assert not Credit.objects.exists() and not LedgerLine.objects.exists()


def test_an_award_form_token_of_another_program_is_refused(client, program, artist, staff, rate_card, program_b):
    other, _staff_b, _artist_b = program_b
    client.force_login(staff)
    data = {"artist": artist.pk, "title": "Prize", "amount": "50.00", "reason": "Good.",
            "submission_token": award_token(other)}  # fmt: skip
    response = client.post(reverse("programs:award_create", args=[program.slug]), data)
    assert response.status_code == 400 and "another program" in response.content.decode()
    assert not Credit.objects.exists()


# --- Credits that cannot be booked ------------------------------------------------------------------------


def _approve_fully(video, rules):
    for step in rules["steps"]:
        approvals.review_decide(video_id=video.pk, reviewer=step.group.members.get(), outcome="approve")


def test_a_credit_the_ledger_refuses_is_kept_pending_and_the_approval_stands(
    client, program, artist, staff, rate_card, rules, other_artist
):
    video = video_in_review(artist, program)
    # Old data holds the key this credit needs (for someone else): booking it is refused.
    Credit.objects.create(program=program, user=other_artist, kind="video_approved", rate_card=rate_card,
                          idempotency_key=f"video_approved:{program.pk}:{video.pk}", source_label="Old data",
                          occurred_on=timezone.localdate(), amount="1.00", currency="EUR")  # fmt: skip
    _approve_fully(video, rules)
    video.refresh_from_db()
    assert video.status == S.APPROVED
    pending = PendingCredit.objects.get()
    assert (pending.user, pending.kind, pending.reference, pending.status) == (artist, "video_approved", str(video.pk),
                                                                               "pending")  # fmt: skip
    assert "already used for a different credit" in pending.last_error
    client.force_login(staff)
    for url in (
        reverse("programs:compensation_staff", args=[program.slug]),
        reverse("programs:artist_compensation", args=[program.slug, artist.pk]),
    ):
        page = client.get(url).content.decode()
        assert "Credits not booked yet" in page and "already used for a different credit" in page
    assert pending_credits_retry().done == 0  # still refused: tried again, kept
    pending.refresh_from_db()
    assert (pending.status, pending.attempts) == ("pending", 2)


def test_a_pending_credit_is_booked_once_the_ledger_can(program, artist):
    assert credit_book(user=artist, program=program, kind="feedback", reference="9", source_label="Feedback #9") is None
    assert "no rate card" in PendingCredit.objects.get().last_error
    make_rate_card(program, effective_from=timezone.localdate())  # a first card may start today
    assert pending_credits_retry().done == 1
    assert pending_credits_retry().done == 0  # booked once
    pending = PendingCredit.objects.get()
    assert pending.status == "booked" and pending.credit.idempotency_key == f"feedback:{program.pk}:9"
    assert LedgerLine.objects.filter(credit=pending.credit).count() == 1


# --- Batch jobs: a poisoned item in the middle ------------------------------------------------------------


def _poison(monkeypatch, module, name, is_poisoned):
    """Make module.name raise for the one poisoned item (a fault the real code can meet: a mail server, a bug)."""
    real = getattr(module, name)

    def poisoned(*args, **kwargs):
        if is_poisoned(*args, **kwargs):
            raise RuntimeError("poisoned item")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, poisoned)


def _three_in_review(program, artist):
    return [video_in_review(artist, program) for _ in range(3)]


def job_deadline(monkeypatch, program, artist, rules, **_):
    videos = _three_in_review(program, artist)
    _poison(monkeypatch, deadlines, "_tell_artist", lambda video, *a, **k: video.pk == videos[1].pk)
    with time_machine.travel(timezone.now() + dt.timedelta(days=6)):
        approvals.reviews_approve_overdue()
    return [Video.objects.get(pk=v.pk).status == S.APPROVED for v in videos]


def job_appeals(monkeypatch, program, artist, rules, **_):
    videos = _three_in_review(program, artist)
    for video in videos:
        approvals.review_decide(video_id=video.pk, reviewer=rules["steps"][0].group.members.get(), outcome="reject",
                                reason_code=rules["code"], note="No.")  # fmt: skip
        approvals.video_appeal(video_id=video.pk, artist=artist, statement="Please.")
    _poison(monkeypatch, appeals, "_tell_artist", lambda video, *a, **k: video.pk == videos[1].pk)
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        approvals.appeals_overturn_overdue()
    # Overturned by deadline, each review reopens at the step that rejected it (the default policy); the
    # poisoned one is rolled back whole: still appealed, its appeal undecided.
    return [
        Video.objects.get(pk=v.pk).status == S.PENDING_REVIEW
        and Video.objects.get(pk=v.pk).review.current_step_id == rules["steps"][0].pk
        and Appeal.objects.get(video=v).outcome == Appeal.Outcome.OVERTURNED_BY_DEADLINE
        for v in videos
    ]


def job_reminders(monkeypatch, program, artist, rules, capture_on_commit, **_):
    videos = _three_in_review(program, artist)
    # Reminders are queued after commit (core.mail): the poisoned item fails while queuing its mail, inside its
    # own transaction; the others' mails go out once their transactions commit.
    _poison(monkeypatch, deadlines, "mail_send", lambda **k: k["context"]["video_id"] == videos[1].pk)
    mail.outbox.clear()
    soon = videos[0].review.deadline_at - dt.timedelta(hours=2)
    with time_machine.travel(soon), capture_on_commit(execute=True):
        approvals.reviews_send_reminders()
    reminded = {message.body.split(" ")[1] for message in mail.outbox}
    return [f"#{v.pk}" in reminded for v in videos]


def job_stipends(monkeypatch, program, artist, **_):
    artists = [make_user(f"stipend{n}@example.com") for n in range(3)]
    for person in artists:
        enrol(person, program)
    make_rate_card(program, effective_from=timezone.localdate() + dt.timedelta(days=1), stipend_amount="100.00",
                   stipend_period="monthly")  # fmt: skip
    _poison(monkeypatch, stipends, "contributing_enrolment", lambda user, *a: user.pk == artists[1].pk)
    stipend_accrue(program=program, today=timezone.localdate() + dt.timedelta(days=1))
    return [LedgerLine.objects.filter(user=person, source="stipend").exists() for person in artists]


def job_pending_credits(monkeypatch, program, artist, **_):
    for reference in ("1", "2", "3"):
        credit_book(user=artist, program=program, kind="feedback", reference=reference, source_label=reference)
    make_rate_card(program, effective_from=timezone.localdate())
    _poison(monkeypatch, credit_bookings, "credit_record", lambda **k: k["idempotency_key"] == "2")
    pending_credits_retry()
    return [PendingCredit.objects.get(reference=r).status == "booked" for r in ("1", "2", "3")]


def job_payout_run(monkeypatch, program, artist, staff, **_):
    make_rate_card(program)
    people = [make_user(f"payee{n}@example.com") for n in range(3)]
    for n, person in enumerate(people):
        enrol(person, program)
        award_record(user=person, program=program, title="Prize", amount="10.00", reason="Good.",
                     idempotency_key=f"p{n}", actor=staff)  # fmt: skip
    run = payoutrun_create(program=program, currency="EUR", actor=staff)
    line = LedgerLine.objects.get(user=people[1])
    compensation.line_reverse(line=line, reason="Given in error.", actor=staff)  # after the draft: nothing owed
    payoutrun_confirm(run=run, actor=staff)
    return [run.items.get(user=person).status == "paid" for person in people]


def _three_clips(program, artist):
    from tests.studio_helpers import ask, open_studio

    open_studio(program, concurrency_limit=5)
    return [ask(artist, program, prompt=f"clip {n}") for n in range(3)]


def job_studio_send(monkeypatch, program, artist, **_):
    from studio.services import runner

    jobs = _three_clips(program, artist)
    _poison(monkeypatch, runner, "request_for", lambda job: job.pk == jobs[1].pk)
    runner.studio_tick()
    return [type(job).objects.get(pk=job.pk).status == "running" for job in jobs]


def job_studio_settle(monkeypatch, program, artist, capture_on_commit, **_):
    from studio.services import runner

    jobs = _three_clips(program, artist)
    runner.studio_tick()
    _poison(monkeypatch, runner, "job_take_in", lambda job, *a, **k: job.pk == jobs[1].pk)
    with capture_on_commit(execute=True):
        runner.studio_tick()
    return [type(job).objects.get(pk=job.pk).video_id is not None for job in jobs]


BATCH_JOBS = {
    "studio.tasks.poll_generation": [job_studio_send, job_studio_settle],
    "submissions.tasks.approvals.approve_overdue_reviews": [job_deadline, job_appeals],
    "submissions.tasks.approvals.send_review_reminders": [job_reminders],
    "programs.tasks.compensation.accrue_stipends": [job_stipends],
    "programs.tasks.compensation.retry_pending_credits": [job_pending_credits],
    "payout run confirmation": [job_payout_run],
}
# Beat jobs without a loop over rows of their own (one bulk statement, or a fan-out through core.batch).
NO_ITEMS = {
    "portal.tasks.clear_expired_sessions": "one DELETE statement",
    "submissions.tasks.videos.requeue_stalled_videos": "fans out through core.batch (test below)",
    "core.tasks.sweep_mail": "queues each waiting mail again (one failing is logged, the rest go on); the rest bulk",
    "transparency.tasks.refresh_transparency_reports": "fans out through core.batch, one task a program",
    "accounts.tasks.tidy_data_exports": "expires each export through core.batch; the rest are bulk updates",
    "submissions.tasks.videos.sweep_upload_temp_files": "a file sweep, no rows: unlinks stale temp files",
    "submissions.tasks.videos.sweep_direct_uploads": "expires and re-queues each upload through core.batch",
    "submissions.tasks.credentials.resign_due_credentials": "queues each due signing through core.batch",
}


@pytest.mark.parametrize("job", [job for jobs in BATCH_JOBS.values() for job in jobs], ids=lambda job: job.__name__)
def test_a_poisoned_item_in_the_middle_never_stops_the_others(
    job, monkeypatch, caplog, django_capture_on_commit_callbacks, program, artist, staff, reviewer, rules
):
    with caplog.at_level(logging.WARNING):
        done = job(monkeypatch, program=program, artist=artist, staff=staff, rules=rules,
                   capture_on_commit=django_capture_on_commit_callbacks)  # fmt: skip
    assert done == [True, False, True]
    assert any(
        "poisoned item" in (record.exc_text or "") or "not paid" in record.getMessage() for record in caplog.records
    ), "the failure is logged"


def test_every_beat_job_is_tested_for_poisoned_items_or_has_no_items_of_its_own():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled <= set(BATCH_JOBS) | set(NO_ITEMS), scheduled - set(BATCH_JOBS) - set(NO_ITEMS)


def test_requeueing_stalled_videos_goes_on_past_a_failing_one(monkeypatch, caplog, program, artist):
    from submissions.services import videos as video_services

    stalled = [video_in_review(artist, program) for _ in range(3)]
    Video.objects.filter(pk__in=[v.pk for v in stalled]).update(
        status=S.UPLOADED, created_at=timezone.now() - dt.timedelta(hours=1)
    )
    sent = []
    monkeypatch.setattr(video_services, "_enqueue_processing", lambda pk: sent.append(pk) or 1 / (pk != stalled[1].pk))
    with caplog.at_level(logging.ERROR, logger="core.batch"):
        assert video_services.video_requeue_stalled() == 2
    assert sorted(sent) == sorted(v.pk for v in stalled)
    assert "requeue stalled videos" in caplog.text


def test_a_left_artist_keeps_being_paid_and_a_deleted_one_never_is(program, artist, other_artist, staff, rate_card):
    from accounts.personal_data.deletion import account_delete
    from programs.selectors.compensation import positive_balances

    for n, person in enumerate((artist, other_artist)):
        award_record(user=person, program=program, title="Prize", amount="10.00", reason="Good.",
                     idempotency_key=f"x{n}", actor=staff)  # fmt: skip
    Enrolment.objects.filter(user=artist).update(status=Enrolment.Status.LEFT)
    account_delete(user=other_artist)
    assert [uid for uid, _ in positive_balances(program, "EUR")] == [artist.pk, other_artist.pk]
    run = payoutrun_create(program=program, currency="EUR", actor=staff)
    assert list(run.items.values_list("user", flat=True)) == [artist.pk]


@pytest.mark.parametrize(
    ("kind", "old", "new"),
    [
        ("video_approved", "video_approved:62", "video_approved:1:62"),
        ("bug_report_duplicate", "bug_report:5", "bug_report_duplicate:1:5"),
        ("award", "award:0f3a", "award:1:0f3a"),
        ("award", "video_approved:62", "award:1:video_approved:62"),  # the poisoned award of the report
        ("feedback", "demo:feedback:3:20260901:1", "feedback:1:demo:feedback:3:20260901:1"),
    ],
)
def test_the_migration_scopes_old_keys_by_kind_and_program(kind, old, new):
    import importlib

    migration = importlib.import_module("programs.migrations.0007_pending_credits_and_server_keys")
    assert migration.new_key(kind, 1, old, 99, set()) == new
    assert migration.new_key(kind, 1, old, 99, {new}) == f"{kind}:1:legacy-credit-99"
