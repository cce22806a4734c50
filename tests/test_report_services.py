"""Bug report and feedback services: every state, every allowed and refused transition, history and notices."""

import datetime as dt
import itertools

import pytest
from django.core import mail

from core.mail import mail_deliver
from core.models import Mail
from programs.models import Enrolment, ProgramRole
from submissions.images import process_screenshot
from submissions.models import (
    BugReport,
    BugReportEvent,
    Feedback,
    FeedbackEvent,
    MeToo,
    ReportNotice,
)
from submissions.services import reports as services
from submissions.services.reports import ReportError
from tests.conftest import REPORT_FIELDS, enrol, file_report, make_program, make_user, report_in
from tests.report_images import png_bytes, upload

S = BugReport.Status
F = Feedback.Status
pytestmark = pytest.mark.django_db


# --- Drafts and submission ---------------------------------------------------------------------


def test_a_draft_needs_only_a_title(artist, program):
    report = services.bug_report_save_draft(reporter=artist, program=program, fields={"title": "Flicker"})
    assert report.status == S.DRAFT
    assert report.events.get().to_status == S.DRAFT
    with pytest.raises(ReportError, match="title"):
        services.bug_report_save_draft(reporter=artist, program=program, fields={"title": "  "})


def test_it_refuses_to_submit_an_incomplete_report_and_names_what_is_missing(artist, program):
    report = services.bug_report_save_draft(reporter=artist, program=program, fields={"title": "Flicker"})
    with pytest.raises(ReportError) as refused:
        services.bug_report_submit(report=report, actor=artist)
    assert "steps to reproduce" in refused.value.message and "model version" in refused.value.message
    report.refresh_from_db()
    assert report.status == S.DRAFT and report.submitted_at is None


def test_submitting_moves_a_draft_to_new_with_a_history_row(artist, program):
    report = file_report(artist, program)
    assert report.status == S.NEW and report.submitted_at is not None
    event = report.events.last()
    assert (event.actor, event.from_status, event.to_status) == (artist, S.DRAFT, S.NEW)
    assert not ReportNotice.objects.exists()  # the artist's own actions need no notice


def test_a_double_submit_is_refused_and_records_nothing_twice(artist, program):
    report = file_report(artist, program)
    with pytest.raises(ReportError, match="already new"):
        services.bug_report_submit(report=report, actor=artist)
    assert report.events.filter(to_status=S.NEW).count() == 1


def test_only_the_reporter_can_submit_or_edit_a_draft(artist, other_artist, program):
    report = file_report(artist, program, submit=False)
    with pytest.raises(ReportError, match="Only the reporter"):
        services.bug_report_submit(report=report, actor=other_artist)
    with pytest.raises(ReportError, match="Only the reporter"):
        services.bug_report_save_draft(reporter=other_artist, report=report, fields=REPORT_FIELDS)


def test_an_artist_whose_enrolment_is_paused_cannot_file_or_submit(artist, program):
    draft = file_report(artist, program, submit=False)
    Enrolment.objects.filter(user=artist).update(status=Enrolment.Status.PAUSED)
    with pytest.raises(ReportError, match="does not allow contributions"):
        services.bug_report_save_draft(reporter=artist, program=program, fields=REPORT_FIELDS)
    with pytest.raises(ReportError, match="does not allow contributions"):
        services.bug_report_submit(report=draft, actor=artist)


def test_a_submitted_report_cannot_be_edited_or_discarded(artist, program):
    report = file_report(artist, program)
    with pytest.raises(ReportError, match="Only drafts can be edited"):
        services.bug_report_save_draft(reporter=artist, report=report, fields={**REPORT_FIELDS, "title": "New"})
    with pytest.raises(ReportError, match="Only drafts can be discarded"):
        services.bug_report_discard_draft(report=report, actor=artist)
    assert BugReport.objects.get().title == REPORT_FIELDS["title"]


def test_discarding_a_draft_removes_it_and_its_files(artist, program, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    shot = process_screenshot(upload("a.png", png_bytes()))
    report = file_report(artist, program, submit=False, screenshots=[shot])
    names = [report.screenshots.get().file, report.screenshots.get().thumbnail]
    with django_capture_on_commit_callbacks(execute=True):
        services.bug_report_discard_draft(report=report, actor=artist)
    assert not BugReport.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


# --- The transition map ------------------------------------------------------------------------

ALL_STATES = [s for s in S.values if s != S.DRAFT]
STAFF_TARGETS = [S.TRIAGED, S.CONFIRMED, S.NEEDS_INFO, S.DUPLICATE, S.NOT_A_BUG, S.WONT_FIX, S.FIXED]


@pytest.mark.parametrize(("start", "target"), list(itertools.product(ALL_STATES, STAFF_TARGETS)))
def test_staff_moves_follow_the_transition_map_exactly(artist, other_artist, staff, program, start, target):
    earlier = file_report(other_artist, program, title="The first report of it")
    report = report_in(start, artist, program, staff, original=earlier)
    events_before = report.events.count()
    allowed = target in BugReport.MOVES[start] and start != target
    kwargs = {"reason": "A note for the reporter.", "original": earlier}
    if allowed:
        moved = services.bug_report_move(report=report, actor=staff, to_status=target, **kwargs)
        assert moved.status == target
        event = moved.events.last()
        assert (event.actor, event.from_status, event.to_status) == (staff, start, target)
        assert event.reason == "A note for the reporter."
    else:
        with pytest.raises(ReportError):
            services.bug_report_move(report=report, actor=staff, to_status=target, **kwargs)
        report.refresh_from_db()
        assert report.status == start
        assert report.events.count() == events_before


def test_the_map_matches_the_issue():
    assert BugReport.MOVES[S.NEW] == {S.TRIAGED}
    assert BugReport.MOVES[S.TRIAGED] == {S.CONFIRMED, S.NEEDS_INFO, S.DUPLICATE, S.NOT_A_BUG, S.WONT_FIX}
    assert S.FIXED in BugReport.MOVES[S.CONFIRMED]
    assert S.TRIAGED in BugReport.MOVES[S.NEEDS_INFO]


@pytest.mark.parametrize("target", [S.NEEDS_INFO, S.DUPLICATE, S.NOT_A_BUG, S.WONT_FIX])
def test_it_refuses_a_closing_decision_or_a_question_without_a_note(artist, other_artist, staff, program, target):
    earlier = file_report(other_artist, program)
    report = report_in(S.TRIAGED, artist, program, staff)
    with pytest.raises(ReportError, match="Write a note"):
        services.bug_report_move(report=report, actor=staff, to_status=target, reason="  ", original=earlier)
    report.refresh_from_db()
    assert report.status == S.TRIAGED


def test_fixing_and_reopening_need_a_note(artist, staff, program):
    report = report_in(S.CONFIRMED, artist, program, staff)
    with pytest.raises(ReportError, match="Write a note"):
        services.bug_report_fix(report=report, actor=staff, reason="")
    fixed = services.bug_report_fix(report=report, actor=staff, reason="Fixed in 0.9.3")
    with pytest.raises(ReportError, match="Write a note"):
        services.bug_report_reopen(report=fixed, actor=staff, reason="")
    reopened = services.bug_report_reopen(report=fixed, actor=staff, reason="It is back in 0.9.4")
    assert reopened.status == S.TRIAGED


def test_triage_refuses_a_closed_report_it_must_be_reopened(artist, staff, program):
    report = report_in(S.NOT_A_BUG, artist, program, staff)
    with pytest.raises(ReportError, match="reopened, not triaged"):
        services.bug_report_triage(report=report, actor=staff)


@pytest.mark.parametrize("who", ["artist", "other_artist", "reviewer", "other_staff"])
def test_only_staff_of_the_program_can_triage(request, artist, staff, program, who):
    report = file_report(artist, program)
    if who == "other_staff":
        elsewhere = make_program(slug="elsewhere")
        actor = make_user("elsewhere-staff@example.com", is_staff=True)
        ProgramRole.objects.create(user=actor, program=elsewhere, role=ProgramRole.Role.STAFF)
    else:
        actor = request.getfixturevalue(who)
    with pytest.raises(ReportError, match="Only program staff"):
        services.bug_report_triage(report=report, actor=actor)
    report.refresh_from_db()
    assert report.status == S.NEW


def test_a_superuser_can_triage_any_program(artist, superuser, program):
    report = services.bug_report_triage(report=file_report(artist, program), actor=superuser)
    assert report.status == S.TRIAGED


# --- Notices ------------------------------------------------------------------------------------


def test_every_staff_change_notifies_the_reporter_with_the_reason_by_notice_and_email(
    artist, staff, program, django_capture_on_commit_callbacks
):
    report = report_in(S.TRIAGED, artist, program, staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.bug_report_move(report=report, actor=staff, to_status=S.NOT_A_BUG, reason="The pan is meant to blur.")
    notice = ReportNotice.objects.filter(user=artist).first()
    assert "not a bug" in notice.subject
    assert "The pan is meant to blur." in notice.message
    assert "how the model or portal is meant to behave" in notice.message
    assert notice.read_at is None and notice_mail(notice).sent_at is not None
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [artist.email]
    assert "The pan is meant to blur." in email.body
    assert f"/reports/{report.pk}/" in email.body
    assert "The pan is meant to blur." in email.alternatives[0].content


def test_the_reporter_gets_one_notice_per_staff_change(artist, staff, program):
    report = report_in(S.FIXED, artist, program, staff)
    subjects = list(ReportNotice.objects.filter(user=artist).order_by("pk").values_list("subject", flat=True))
    assert [s.split(":")[0] for s in subjects] == [
        "Staff are looking at your bug report",
        "Your bug report was confirmed",
        "Your bug report is fixed",
    ]
    assert report.events.filter(kind=BugReportEvent.Kind.STATUS).count() == 5  # draft, new, triaged, confirmed, fixed


def notice_mail(notice: ReportNotice) -> Mail:
    return Mail.objects.get(key=services.notice_mail_key(notice.pk))


def test_a_notice_email_is_sent_once_even_if_the_task_runs_twice(artist, staff, program):
    services.bug_report_triage(report=file_report(artist, program), actor=staff)  # its mail waits for the commit
    notice = ReportNotice.objects.get()
    mail.outbox.clear()
    assert mail_deliver(mail_id=notice_mail(notice).pk) is True
    assert mail_deliver(mail_id=notice_mail(notice).pk) is False
    assert len(mail.outbox) == 1


def test_the_beat_job_sends_emails_that_never_left_and_only_those(artist, staff, program):
    from django.utils import timezone

    from core.tasks import sweep_mail

    services.bug_report_triage(report=file_report(artist, program), actor=staff)
    services.bug_report_triage(report=file_report(artist, program), actor=staff)
    services.bug_report_triage(report=file_report(artist, program), actor=staff)
    lost, fresh, old = (notice_mail(notice) for notice in ReportNotice.objects.order_by("pk"))
    now = timezone.now()
    for row, ago in ((lost, dt.timedelta(minutes=20)), (fresh, dt.timedelta(minutes=1)), (old, dt.timedelta(days=3))):
        Mail.objects.filter(pk=row.pk).update(created_at=now - ago, touched_at=now - ago)
    mail.outbox.clear()
    assert sweep_mail.delay().get()["requeued"] == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [artist.email]
    unsent = set(Mail.objects.filter(sent_at__isnull=True).values_list("pk", flat=True))
    assert unsent == {fresh.pk, old.pk}  # the fresh one's own task may still run; the old one stays on the page
    assert Mail.objects.get(pk=old.pk).given_up_at is not None
    assert sweep_mail.delay().get()["requeued"] == 0  # sent once, never twice
    assert len(mail.outbox) == 1


def test_a_failed_send_releases_the_notice_for_a_retry(artist, staff, program, settings):
    from tests.smtp_server import smtp_server_down_at_first

    services.bug_report_triage(report=file_report(artist, program), actor=staff)
    row = notice_mail(ReportNotice.objects.get())
    with smtp_server_down_at_first(settings), pytest.raises(ConnectionRefusedError):
        mail_deliver(mail_id=row.pk)
    row.refresh_from_db()
    assert row.sent_at is None and row.claimed_at is None and row.attempts == 1


def test_notices_are_marked_read_one_by_one_or_all_at_once(artist, staff, program):
    report_in(S.CONFIRMED, artist, program, staff)
    first, _second = ReportNotice.objects.order_by("pk")
    assert services.notices_mark_read(user=artist, notice=first) == 1
    assert services.notices_mark_read(user=staff) == 0  # someone else's notices are untouched
    assert services.notices_mark_read(user=artist) == 1
    assert not ReportNotice.objects.filter(read_at__isnull=True).exists()


# --- needs_info: the exchange with the reporter -------------------------------------------------


def test_needs_info_returns_the_report_to_the_reporter_who_answers_and_sends_it_back(artist, staff, program):
    report = report_in(S.NEEDS_INFO, artist, program, staff)
    notice = ReportNotice.objects.filter(user=artist).latest("pk")
    assert "need more information" in notice.subject and "Which browser?" in notice.message
    shot = process_screenshot(upload("more.png", png_bytes()))
    answered = services.bug_report_answer(
        report=report, actor=artist, answer="Chromium 156 on Linux", screenshots=[shot]
    )
    assert answered.status == S.TRIAGED
    event = answered.events.last()
    assert (event.actor, event.from_status, event.to_status, event.reason) == (
        artist,
        S.NEEDS_INFO,
        S.TRIAGED,
        "Chromium 156 on Linux",
    )
    assert answered.screenshots.count() == 1
    assert ReportNotice.objects.filter(user=artist).count() == 2  # no notice for the artist's own answer


def test_it_refuses_an_empty_answer_an_answer_by_someone_else_or_when_nothing_was_asked(
    artist, other_artist, staff, program
):
    report = report_in(S.NEEDS_INFO, artist, program, staff)
    with pytest.raises(ReportError, match="Write your answer"):
        services.bug_report_answer(report=report, actor=artist, answer=" ")
    with pytest.raises(ReportError, match="Only the reporter"):
        services.bug_report_answer(report=report, actor=other_artist, answer="Me!")
    confirmed = report_in(S.CONFIRMED, artist, program, staff)
    with pytest.raises(ReportError, match="have not asked"):
        services.bug_report_answer(report=confirmed, actor=artist, answer="Hello")
    report.refresh_from_db()
    assert report.status == S.NEEDS_INFO


def test_staff_can_close_a_report_nobody_answered(artist, staff, program):
    report = report_in(S.NEEDS_INFO, artist, program, staff)
    closed = services.bug_report_close(report=report, actor=staff, status=S.WONT_FIX, reason="No answer in 30 days.")
    assert closed.status == S.WONT_FIX


# --- Duplicates -----------------------------------------------------------------------------------


def test_a_duplicate_links_to_the_earlier_report_and_the_reporter_is_told_it_was_merged(
    artist, other_artist, staff, program
):
    earlier = file_report(other_artist, program, title="Hands blur on pans")
    later = report_in(S.DUPLICATE, artist, program, staff, original=earlier)
    assert later.duplicate_of == earlier
    notice = ReportNotice.objects.filter(user=artist).latest("pk")
    assert "merged into an earlier report" in notice.subject
    assert f"#{earlier.pk} “Hands blur on pans”, which was reported earlier" in notice.message
    assert "Same as the earlier report." in notice.message


def test_it_refuses_a_duplicate_of_a_later_report_so_the_first_reporter_keeps_the_credit(
    artist, other_artist, staff, program
):
    earlier = report_in(S.TRIAGED, artist, program, staff)
    later = file_report(other_artist, program)
    with pytest.raises(ReportError, match="submitted after"):
        services.bug_report_mark_duplicate(report=earlier, actor=staff, original=later, reason="Same")


def test_it_refuses_a_duplicate_of_itself_of_a_draft_or_of_another_program(artist, other_artist, staff, program):
    report = report_in(S.TRIAGED, artist, program, staff)
    with pytest.raises(ReportError, match="itself"):
        services.bug_report_mark_duplicate(report=report, actor=staff, original=report, reason="Same")
    draft = file_report(other_artist, program, submit=False)
    with pytest.raises(ReportError, match="not been submitted"):
        services.bug_report_mark_duplicate(report=report, actor=staff, original=draft, reason="Same")
    elsewhere = make_program(slug="elsewhere")
    enrol(other_artist, elsewhere)
    foreign = file_report(other_artist, elsewhere)
    with pytest.raises(ReportError, match="another program"):
        services.bug_report_mark_duplicate(report=report, actor=staff, original=foreign, reason="Same")
    with pytest.raises(ReportError, match="which earlier report"):
        services.bug_report_move(report=report, actor=staff, to_status=S.DUPLICATE, reason="Same")


def test_a_duplicate_of_a_duplicate_points_at_the_first_report(artist, other_artist, staff, program):
    first = file_report(other_artist, program)
    second = report_in(S.DUPLICATE, artist, program, staff, original=first)
    third_reporter = make_user("third@example.com")
    enrol(third_reporter, program)
    third = report_in(S.DUPLICATE, third_reporter, program, staff, original=second)
    assert third.duplicate_of == first


def test_reopening_a_duplicate_drops_its_link(artist, other_artist, staff, program):
    earlier = file_report(other_artist, program)
    report = report_in(S.DUPLICATE, artist, program, staff, original=earlier)
    reopened = services.bug_report_reopen(report=report, actor=staff, reason="Different bug after all.")
    assert reopened.status == S.TRIAGED and reopened.duplicate_of is None


# --- Final severity ----------------------------------------------------------------------------


def test_staff_set_the_final_severity_with_history_and_a_notice(artist, staff, program):
    report = report_in(S.CONFIRMED, artist, program, staff)
    services.bug_report_set_severity(report=report, actor=staff, severity="high", reason="Blocks dance pieces.")
    report.refresh_from_db()
    assert report.final_severity == "high" and report.severity == "high"
    event = report.events.last()
    assert (event.kind, event.from_status, event.to_status) == (BugReportEvent.Kind.SEVERITY, "", "high")
    assert "Blocks dance pieces." in ReportNotice.objects.filter(user=artist).latest("pk").message


def test_it_refuses_an_unknown_severity_or_one_on_a_draft(artist, staff, program):
    report = report_in(S.TRIAGED, artist, program, staff)
    with pytest.raises(ReportError, match="Choose a severity"):
        services.bug_report_set_severity(report=report, actor=staff, severity="catastrophic")
    draft = file_report(artist, program, submit=False)
    with pytest.raises(ReportError):
        services.bug_report_set_severity(report=draft, actor=staff, severity="low")


# --- Responses ------------------------------------------------------------------------------------


def test_a_staff_response_is_shown_to_the_reporter_and_notified(artist, staff, program):
    report = file_report(artist, program)
    response = services.bug_report_respond(report=report, author=staff, body="Thanks, looking at it.")
    assert response.from_staff
    assert "Thanks, looking at it." in ReportNotice.objects.get(user=artist).message


def test_the_reporter_can_reply_without_a_notice_to_themselves(artist, program):
    report = file_report(artist, program)
    response = services.bug_report_respond(report=report, author=artist, body="It also happens on tilts.")
    assert not response.from_staff
    assert not ReportNotice.objects.exists()


def test_it_refuses_a_response_from_an_outsider_an_empty_one_or_on_a_draft(artist, other_artist, staff, program):
    report = file_report(artist, program)
    with pytest.raises(ReportError, match="Only the reporter and program staff"):
        services.bug_report_respond(report=report, author=other_artist, body="Hi")
    with pytest.raises(ReportError, match="Write a message"):
        services.bug_report_respond(report=report, author=staff, body="   ")
    draft = file_report(artist, program, submit=False)
    with pytest.raises(ReportError, match="draft"):
        services.bug_report_respond(report=draft, author=staff, body="Hi")


# --- Me too ---------------------------------------------------------------------------------------


def test_me_too_needs_the_shared_list(artist, other_artist, program):
    report = file_report(artist, program)
    with pytest.raises(ReportError, match="does not share"):
        services.bug_report_me_too(report=report, user=other_artist)


def test_me_too_with_a_note_once_per_artist_and_withdrawn(artist, other_artist, shared_program):
    report = file_report(artist, shared_program)
    services.bug_report_me_too(report=report, user=other_artist, note="Same on 0.9.2, tilt up.")
    assert MeToo.objects.get().note == "Same on 0.9.2, tilt up."
    with pytest.raises(ReportError, match="already said"):
        services.bug_report_me_too(report=report, user=other_artist)
    services.bug_report_withdraw_me_too(report=report, user=other_artist)
    assert not MeToo.objects.exists()
    with pytest.raises(ReportError, match="had not said"):
        services.bug_report_withdraw_me_too(report=report, user=other_artist)


def test_me_too_is_refused_on_your_own_report_a_closed_one_a_duplicate_or_without_enrolment(
    artist, other_artist, staff, shared_program
):
    program = shared_program
    own = file_report(artist, program)
    with pytest.raises(ReportError, match="your own"):
        services.bug_report_me_too(report=own, user=artist)
    closed = report_in(S.WONT_FIX, artist, program, staff)
    with pytest.raises(ReportError, match="closed"):
        services.bug_report_me_too(report=closed, user=other_artist)
    duplicate = report_in(S.DUPLICATE, artist, program, staff, original=own)
    with pytest.raises(ReportError, match=f"duplicate of #{own.pk}"):
        services.bug_report_me_too(report=duplicate, user=other_artist)
    Enrolment.objects.filter(user=other_artist).update(status=Enrolment.Status.LEFT)
    with pytest.raises(ReportError, match="does not allow contributions"):
        services.bug_report_me_too(report=own, user=other_artist)


# --- Bulk -----------------------------------------------------------------------------------------


def test_bulk_triage_applies_to_each_report_and_reports_the_refusals(artist, other_artist, staff, program):
    new_ones = [file_report(artist, program), file_report(other_artist, program)]
    confirmed = report_in(S.CONFIRMED, artist, program, staff)
    result = services.bug_reports_bulk_move(reports=[*new_ones, confirmed], actor=staff, to_status=S.TRIAGED)
    assert result.done == [r.pk for r in new_ones]
    assert result.refused == [(confirmed.pk, "This bug report is confirmed, so it cannot become triaged.")]
    assert set(BugReport.objects.filter(pk__in=result.done).values_list("status", flat=True)) == {S.TRIAGED}


# --- Feedback -------------------------------------------------------------------------------------


def test_feedback_is_submitted_with_history(artist, program):
    feedback = services.feedback_submit(author=artist, program=program, kind="idea", body="A loop mode, please.")
    assert feedback.status == F.NEW
    assert feedback.events.get().to_status == F.NEW


def test_it_refuses_empty_feedback_an_unknown_kind_or_a_paused_artist(artist, program):
    with pytest.raises(ReportError, match="Write your feedback"):
        services.feedback_submit(author=artist, program=program, kind="idea", body="")
    with pytest.raises(ReportError, match="what kind"):
        services.feedback_submit(author=artist, program=program, kind="rant", body="Hm")
    Enrolment.objects.filter(user=artist).update(status=Enrolment.Status.PAUSED)
    with pytest.raises(ReportError, match="does not allow contributions"):
        services.feedback_submit(author=artist, program=program, kind="idea", body="Hm")


FEEDBACK_STATES = list(F.values)


def _feedback_in(status, artist, program, staff):
    feedback = services.feedback_submit(author=artist, program=program, kind="question", body="Can I loop?")
    if status != F.NEW:
        feedback = services.feedback_move(feedback=feedback, actor=staff, to_status=status, reason="A note.")
    return feedback


@pytest.mark.parametrize(("start", "target"), list(itertools.product(FEEDBACK_STATES, FEEDBACK_STATES[1:])))
def test_feedback_moves_follow_the_transition_map(artist, staff, program, start, target):
    feedback = _feedback_in(start, artist, program, staff)
    allowed = target in Feedback.MOVES[start]
    if allowed:
        moved = services.feedback_move(feedback=feedback, actor=staff, to_status=target, reason="Because.")
        assert moved.status == target
        assert moved.events.last().from_status == start
        assert "Because." in ReportNotice.objects.filter(feedback=feedback).latest("pk").message
    else:
        with pytest.raises(ReportError):
            services.feedback_move(feedback=feedback, actor=staff, to_status=target, reason="Because.")
        feedback.refresh_from_db()
        assert feedback.status == start


@pytest.mark.parametrize("target", [F.ANSWERED, F.PLANNED, F.DECLINED])
def test_closing_feedback_needs_a_note(artist, staff, program, target):
    feedback = _feedback_in(F.NEW, artist, program, staff)
    with pytest.raises(ReportError, match="Write a note"):
        services.feedback_move(feedback=feedback, actor=staff, to_status=target, reason="")


def test_only_staff_triage_feedback_and_only_author_and_staff_write_in_it(artist, other_artist, staff, program):
    feedback = _feedback_in(F.NEW, artist, program, staff)
    with pytest.raises(ReportError, match="Only program staff"):
        services.feedback_acknowledge(feedback=feedback, actor=other_artist)
    with pytest.raises(ReportError, match="Only the reporter and program staff"):
        services.feedback_respond(feedback=feedback, author=other_artist, body="Hi")
    services.feedback_respond(feedback=feedback, author=staff, body="Yes, in 0.9.3.")
    assert "Yes, in 0.9.3." in ReportNotice.objects.get(feedback=feedback).message
    assert FeedbackEvent.objects.filter(feedback=feedback).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_notice_email_travels_through_the_real_broker_after_commit(celery_worker, artist, staff, program):
    from tests.test_celery_worker import wait_for

    report = file_report(artist, program)
    ReportNotice.objects.all().delete()
    mail.outbox.clear()
    report = services.bug_report_triage(report=report, actor=staff)
    services.bug_report_request_info(report=report, actor=staff, reason="Which GPU preset?")
    notice = ReportNotice.objects.filter(user=artist).latest("pk")
    assert wait_for(lambda: notice_mail(notice).sent_at is not None)
    assert wait_for(lambda: len(mail.outbox) == 2)
    assert any("Which GPU preset?" in email.body for email in mail.outbox)
