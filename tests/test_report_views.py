"""The report pages: artists file, draft, answer and discuss; staff triage, filter, sort and decide in bulk."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import Enrolment, ProgramRole
from submissions.images import process_screenshot
from submissions.models import BugReport, Feedback, MeToo, ReportNotice, Screenshot
from submissions.services import reports as services
from tests.conftest import REPORT_FIELDS, enrol, file_report, make_program, make_user, report_in
from tests.report_images import png_bytes, upload

S = BugReport.Status
pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"submissions:{name}", args=args)


def text(response) -> str:
    return response.content.decode()


# --- Filing ------------------------------------------------------------------------------------


def test_an_artist_files_a_report_with_a_screenshot(client, artist, program):
    client.force_login(artist)
    assert "Steps to reproduce" in text(client.get(url("report_new")))
    data = {**REPORT_FIELDS, "program": program.pk, "screenshots": [upload("s.png", png_bytes())], "submit": "1"}
    response = client.post(url("report_new"), data)
    report = BugReport.objects.get()
    assert response.status_code == 302 and response["Location"] == url("report_detail", report.pk)
    assert report.status == S.NEW and report.reporter == artist and report.screenshots.count() == 1
    page = text(client.get(url("report_detail", report.pk)))
    assert "Staff have not looked at it yet." in page
    assert url("screenshot_thumbnail", report.screenshots.get().pk) in page


def test_submitting_an_incomplete_form_shows_each_missing_field_and_saves_nothing(client, artist, program):
    client.force_login(artist)
    response = client.post(url("report_new"), {"program": program.pk, "title": "Flicker", "submit": "1"})
    assert response.status_code == 200
    assert text(response).count("This field is required.") == 6
    assert not BugReport.objects.exists()


def test_an_incomplete_draft_can_be_saved_edited_and_submitted(client, artist, program):
    client.force_login(artist)
    client.post(url("report_new"), {"program": program.pk, "title": "Flicker", "save_draft": "1"})
    draft = BugReport.objects.get()
    assert draft.status == S.DRAFT
    assert "Flicker" in text(client.get(url("report_edit", draft.pk)))
    response = client.post(url("report_edit", draft.pk), {**REPORT_FIELDS, "title": "Flicker on cuts", "submit": "1"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.title) == (S.NEW, "Flicker on cuts")


def test_the_submit_button_on_an_incomplete_draft_sends_the_artist_back_to_edit(client, artist, program):
    draft = services.bug_report_save_draft(reporter=artist, program=program, fields={"title": "Flicker"})
    client.force_login(artist)
    response = client.post(url("report_submit", draft.pk))
    assert response["Location"] == url("report_edit", draft.pk)
    assert "Fill in before submitting" in text(client.get(response["Location"]))


def test_a_submitted_report_is_not_editable_and_says_so(client, artist, program):
    report = file_report(artist, program)
    client.force_login(artist)
    response = client.get(url("report_edit", report.pk), follow=True)
    assert "cannot be edited" in text(response)


def test_an_artist_discards_a_draft(client, artist, program):
    draft = file_report(artist, program, submit=False)
    client.force_login(artist)
    assert client.post(url("report_discard", draft.pk))["Location"] == url("reports")
    assert not BugReport.objects.exists()


def test_someone_not_enrolled_is_told_why_they_cannot_file(client, reviewer):
    client.force_login(reviewer)
    response = client.get(url("report_new"))
    assert response.status_code == 403
    assert "no place in a program yet" in text(response)
    assert f'href="{reverse("programs:list")}"' in response.content.decode()


def test_a_paused_artist_can_read_their_reports_but_not_change_them(client, artist, program, staff):
    report = report_in(S.NEEDS_INFO, artist, program, staff)
    Enrolment.objects.filter(user=artist).update(status=Enrolment.Status.PAUSED)
    client.force_login(artist)
    assert client.get(url("report_detail", report.pk)).status_code == 200
    assert client.post(url("report_answer", report.pk), {"answer": "Firefox"}).status_code == 403
    assert client.get(url("report_new")).status_code == 403


def test_a_program_choice_outside_the_artists_programs_is_refused(client, artist, program):
    elsewhere = make_program(slug="elsewhere")
    client.force_login(artist)
    response = client.post(url("report_new"), {**REPORT_FIELDS, "program": elsewhere.pk, "submit": "1"})
    assert "Select a valid choice" in text(response)
    assert not BugReport.objects.exists()


# --- Seeing reports ------------------------------------------------------------------------------


def test_my_reports_lists_reports_feedback_and_notices_unread_first(client, artist, staff, program):
    report = report_in(S.CONFIRMED, artist, program, staff)
    services.feedback_submit(author=artist, program=program, kind="praise", body="The grain is lovely")
    first = ReportNotice.objects.filter(user=artist).order_by("pk").first()
    services.notices_mark_read(user=artist, notice=first)
    client.force_login(artist)
    page = text(client.get(url("reports")))
    assert f"#{report.pk} {report.title}" in page and "The grain is lovely" in page
    assert page.index("Your bug report was confirmed") < page.index("Staff are looking at your bug report")


def test_the_reporter_sees_why_a_report_was_closed(client, artist, staff, program):
    report = report_in(S.WONT_FIX, artist, program, staff)
    client.force_login(artist)
    page = text(client.get(url("report_detail", report.pk)))
    assert "Won&#x27;t fix" in page
    assert "will not fix it" in page
    assert "Out of scope for this model." in page


def test_the_reporter_of_a_duplicate_sees_the_earlier_report_and_why(client, artist, other_artist, staff, program):
    earlier = file_report(other_artist, program, title="Hands blur on pans")
    report = report_in(S.DUPLICATE, artist, program, staff, original=earlier)
    client.force_login(artist)
    page = text(client.get(url("report_detail", report.pk)))
    assert f"Merged into\n      <strong>#{earlier.pk} Hands blur on pans</strong>" in page  # not a link: not shared
    assert "Same as the earlier report." in page


def test_staff_see_the_decision_panel_and_the_reporter_does_not(client, artist, staff, program):
    report = file_report(artist, program)
    client.force_login(staff)
    assert "Record decision" in text(client.get(url("report_detail", report.pk)))
    client.force_login(artist)
    assert "Record decision" not in text(client.get(url("report_detail", report.pk)))


def test_other_artists_see_a_report_only_where_the_program_shares_them(client, artist, other_artist, program):
    from submissions.models import ReportSettings

    report = file_report(artist, program)
    client.force_login(other_artist)
    assert client.get(url("report_detail", report.pk)).status_code == 404
    assert client.get(url("report_shared_list", program.slug)).status_code == 404
    ReportSettings.objects.create(program=program, shared_reports_enabled=True)
    assert client.get(url("report_detail", report.pk)).status_code == 200
    assert f"#{report.pk}" in text(client.get(url("report_shared_list", program.slug)))


def test_the_shared_list_never_shows_drafts(client, artist, other_artist, shared_program):
    draft = file_report(artist, shared_program, submit=False, title="Secret draft")
    client.force_login(other_artist)
    assert "Secret draft" not in text(client.get(url("report_shared_list", shared_program.slug)))
    assert client.get(url("report_detail", draft.pk)).status_code == 404


def test_a_shared_viewer_cannot_write_in_the_thread(client, artist, other_artist, shared_program):
    report = file_report(artist, shared_program)
    client.force_login(other_artist)
    assert client.post(url("report_respond", report.pk), {"body": "hi"}).status_code == 403
    assert client.post(url("report_answer", report.pk), {"answer": "hi"}).status_code == 403


def test_me_too_from_the_page(client, artist, other_artist, shared_program):
    report = file_report(artist, shared_program)
    client.force_login(other_artist)
    assert "+1 — me too" in text(client.get(url("report_detail", report.pk)))
    client.post(url("report_me_too", report.pk), {"note": "Tilt too"})
    page = text(client.get(url("report_detail", report.pk)))
    assert "Tilt too" in page and "Withdraw my “me too”" in page
    client.post(url("report_me_too_withdraw", report.pk))
    assert not MeToo.objects.exists()


# --- Screenshots ------------------------------------------------------------------------------------


def test_screenshots_are_served_privately_after_the_access_check(client, artist, other_artist, staff, program):
    shot = process_screenshot(upload("s.png", png_bytes()))
    report = file_report(artist, program, screenshots=[shot])
    screenshot = report.screenshots.get()
    client.force_login(artist)
    response = client.get(url("screenshot", screenshot.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert f'filename="report-{report.pk}-screenshot-{screenshot.pk}.png"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    thumb = client.get(url("screenshot_thumbnail", screenshot.pk))
    assert thumb["Content-Type"] == "image/webp"
    client.force_login(other_artist)
    assert client.get(url("screenshot", screenshot.pk)).status_code == 404
    client.force_login(staff)
    assert client.get(url("screenshot", screenshot.pk)).status_code == 200


def test_screenshots_of_a_draft_are_private_even_to_staff(client, artist, staff, program):
    shot = process_screenshot(upload("s.png", png_bytes()))
    draft = file_report(artist, program, submit=False, screenshots=[shot])
    client.force_login(staff)
    assert client.get(url("screenshot", draft.screenshots.get().pk)).status_code == 404


def test_the_reporter_removes_a_screenshot_from_a_draft_but_not_once_submitted(client, artist, program):
    shot = process_screenshot(upload("s.png", png_bytes()))
    draft = file_report(artist, program, submit=False, screenshots=[shot])
    client.force_login(artist)
    client.post(url("screenshot_remove", draft.screenshots.get().pk))
    assert not draft.screenshots.exists()
    report = file_report(artist, program, screenshots=[shot])
    response = client.post(url("screenshot_remove", report.screenshots.get().pk), follow=True)
    assert "can be removed from drafts" in text(response)
    assert Screenshot.objects.filter(report=report).count() == 1


# --- Answering -----------------------------------------------------------------------------------


def test_the_reporter_answers_staffs_question_with_a_screenshot(client, artist, staff, program):
    report = report_in(S.NEEDS_INFO, artist, program, staff)
    client.force_login(artist)
    assert "Answer staff" in text(client.get(url("report_detail", report.pk)))
    client.post(
        url("report_answer", report.pk), {"answer": "Chromium 156", "screenshots": [upload("s.png", png_bytes())]}
    )
    report.refresh_from_db()
    assert report.status == S.TRIAGED and report.screenshots.count() == 1


def test_an_answer_with_a_bad_screenshot_is_refused_whole(client, artist, staff, program):
    report = report_in(S.NEEDS_INFO, artist, program, staff)
    client.force_login(artist)
    response = client.post(
        url("report_answer", report.pk), {"answer": "Here", "screenshots": [upload("x.png", b"<html>")]}, follow=True
    )
    assert "not a PNG, JPEG or WebP" in text(response)
    report.refresh_from_db()
    assert report.status == S.NEEDS_INFO and not report.screenshots.exists()


# --- Staff decisions -------------------------------------------------------------------------------


def test_staff_mark_a_report_duplicate_by_number(client, artist, other_artist, staff, program):
    earlier = file_report(other_artist, program)
    report = report_in(S.TRIAGED, artist, program, staff)
    client.force_login(staff)
    response = client.post(
        url("report_transition", report.pk),
        {"to_status": "duplicate", "original": earlier.pk, "reason": "Same as the first one."},
        follow=True,
    )
    assert "is now duplicate" in text(response)
    report.refresh_from_db()
    assert report.duplicate_of == earlier


def test_a_duplicate_number_outside_the_staff_programs_is_refused(client, artist, other_artist, staff, program):
    elsewhere = make_program(slug="elsewhere")
    enrol(other_artist, elsewhere)
    foreign = file_report(other_artist, elsewhere)
    report = report_in(S.TRIAGED, artist, program, staff)
    client.force_login(staff)
    response = client.post(
        url("report_transition", report.pk),
        {"to_status": "duplicate", "original": foreign.pk, "reason": "x"},
        follow=True,
    )
    assert f"There is no report #{foreign.pk} in your programs." in text(response)


def test_a_wrong_state_decision_is_explained_and_changes_nothing(client, artist, staff, program):
    report = file_report(artist, program)
    client.force_login(staff)
    response = client.post(url("report_transition", report.pk), {"to_status": "fixed", "reason": "Done"}, follow=True)
    assert "This bug report is new, so it cannot become fixed." in text(response)
    report.refresh_from_db()
    assert report.status == S.NEW


def test_decisions_are_refused_to_non_staff_403_and_to_outsiders_404(
    client, artist, other_artist, reviewer, shared_program
):
    report = file_report(artist, shared_program)
    for user, code in ((artist, 403), (other_artist, 403), (reviewer, 404)):
        client.force_login(user)
        assert client.post(url("report_transition", report.pk), {"to_status": "triaged"}).status_code == code
        assert client.post(url("report_accept", report.pk)).status_code == code
        assert client.post(url("report_severity", report.pk), {"severity": "low"}).status_code == code
    report.refresh_from_db()
    assert report.status == S.NEW


def test_staff_set_the_final_severity_from_the_page(client, artist, staff, program):
    report = file_report(artist, program)
    client.force_login(staff)
    client.post(url("report_severity", report.pk), {"severity": "critical", "reason": "Crashes the editor"})
    report.refresh_from_db()
    assert report.final_severity == "critical"


def test_staff_respond_and_the_reporter_sees_it(client, artist, staff, program):
    report = file_report(artist, program)
    client.force_login(staff)
    client.post(url("report_respond", report.pk), {"body": "Reproduced on our side."})
    client.force_login(artist)
    assert "Reproduced on our side." in text(client.get(url("report_detail", report.pk)))


# --- Triage page ------------------------------------------------------------------------------------


@pytest.fixture
def queue(artist, other_artist, staff, program):
    """Reports of every kind the filters tell apart."""
    old = file_report(artist, program, title="Old low", artist_severity="low", model_version="lumen-0.8")
    BugReport.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - dt.timedelta(days=45))
    critical = file_report(other_artist, program, title="Critical crash", artist_severity="critical")
    confirmed = report_in(S.CONFIRMED, artist, program, staff, title="Confirmed high", artist_severity="high")
    closed = report_in(S.NOT_A_BUG, other_artist, program, staff, title="Closed one")
    return {"old": old, "critical": critical, "confirmed": confirmed, "closed": closed}


def titles(response) -> list[str]:
    return [r.title for r in response.context["page"].object_list]


def test_the_triage_page_shows_open_reports_by_default_newest_first(client, staff, queue):
    client.force_login(staff)
    assert titles(client.get(url("report_triage"))) == ["Confirmed high", "Critical crash", "Old low"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "all"}, {"Old low", "Critical crash", "Confirmed high", "Closed one"}),
        ({"status": "not_a_bug"}, {"Closed one"}),
        ({"severity": "critical"}, {"Critical crash"}),
        ({"model_version": "lumen-0.8"}, {"Old low"}),
        ({"age": "old"}, {"Old low"}),
        ({"age": "7"}, {"Critical crash", "Confirmed high"}),
    ],
)
def test_the_triage_page_filters(client, staff, queue, query, expected):
    client.force_login(staff)
    assert set(titles(client.get(url("report_triage"), query))) == expected


def test_the_triage_page_sorts_by_severity_and_me_too(client, staff, queue, shared_program):
    third = make_user("third@example.com")
    enrol(third, shared_program)
    services.bug_report_me_too(report=queue["old"], user=third)
    client.force_login(staff)
    assert titles(client.get(url("report_triage"), {"sort": "-severity_rank"})) == [
        "Critical crash",
        "Confirmed high",
        "Old low",
    ]
    assert titles(client.get(url("report_triage"), {"sort": "-me_too_count"}))[0] == "Old low"


def test_the_triage_page_shows_only_the_staff_members_programs(client, staff, queue, other_artist):
    elsewhere = make_program(slug="elsewhere")
    enrol(other_artist, elsewhere)
    file_report(other_artist, elsewhere, title="Not yours")
    client.force_login(staff)
    assert "Not yours" not in titles(client.get(url("report_triage"), {"status": "all"}))
    other_staff = make_user("other-staff@example.com", is_staff=True)
    ProgramRole.objects.create(user=other_staff, program=elsewhere, role=ProgramRole.Role.STAFF)
    client.force_login(other_staff)
    assert titles(client.get(url("report_triage"))) == ["Not yours"]


def test_bulk_triage_from_the_page(client, staff, queue):
    client.force_login(staff)
    picked = [queue["old"].pk, queue["critical"].pk, queue["confirmed"].pk]
    response = client.post(url("report_bulk"), {"reports": picked, "to_status": "triaged", "reason": ""}, follow=True)
    page = text(response)
    assert f"2 moved to triaged: #{queue['old'].pk}, #{queue['critical'].pk}." in page
    assert f"#{queue['confirmed'].pk} not changed: This bug report is confirmed, so it cannot become triaged." in page
    assert BugReport.objects.filter(status=S.TRIAGED).count() == 2


def test_bulk_needs_a_selection_and_cannot_reach_other_programs(client, staff, queue, other_artist):
    elsewhere = make_program(slug="elsewhere")
    enrol(other_artist, elsewhere)
    foreign = file_report(other_artist, elsewhere)
    client.force_login(staff)
    response = client.post(url("report_bulk"), {"to_status": "triaged"}, follow=True)
    assert "Select at least one report." in text(response)
    client.post(url("report_bulk"), {"reports": [foreign.pk], "to_status": "triaged"})
    foreign.refresh_from_db()
    assert foreign.status == S.NEW


# --- Feedback ---------------------------------------------------------------------------------------


def test_an_artist_gives_feedback_and_staff_answer_it(client, artist, staff, program):
    client.force_login(artist)
    client.post(url("feedback_new"), {"program": program.pk, "kind": "question", "body": "Can clips loop?"})
    feedback = Feedback.objects.get()
    client.force_login(staff)
    assert "Can clips loop?" in text(client.get(url("feedback_triage")))
    client.post(url("feedback_transition", feedback.pk), {"to_status": "answered", "reason": "Yes, from 0.9.3."})
    client.force_login(artist)
    page = text(client.get(url("feedback_detail", feedback.pk)))
    assert "Answered" in page and "Yes, from 0.9.3." in page


def test_feedback_is_never_shared_with_other_artists(client, artist, other_artist, shared_program):
    feedback = services.feedback_submit(author=artist, program=shared_program, kind="idea", body="Loop mode")
    client.force_login(other_artist)
    assert client.get(url("feedback_detail", feedback.pk)).status_code == 404
    assert client.post(url("feedback_respond", feedback.pk), {"body": "x"}).status_code == 404


def test_feedback_decisions_are_staff_only(client, artist, program):
    feedback = services.feedback_submit(author=artist, program=program, kind="idea", body="Loop mode")
    client.force_login(artist)
    assert (
        client.post(url("feedback_transition", feedback.pk), {"to_status": "planned", "reason": "x"}).status_code == 403
    )
    assert client.post(url("feedback_accept", feedback.pk)).status_code == 403


def test_the_feedback_triage_page_filters_by_kind_and_state(client, artist, staff, program):
    services.feedback_submit(author=artist, program=program, kind="idea", body="Loop mode")
    praise = services.feedback_submit(author=artist, program=program, kind="praise", body="Lovely grain")
    services.feedback_acknowledge(feedback=praise, actor=staff)
    client.force_login(staff)
    page = client.get(url("feedback_triage"), {"kind": "praise"})
    assert [f.body for f in page.context["page"].object_list] == ["Lovely grain"]
    page = client.get(url("feedback_triage"), {"status": "acknowledged"})
    assert [f.body for f in page.context["page"].object_list] == ["Lovely grain"]


# --- Notices ---------------------------------------------------------------------------------------


def test_notices_are_marked_read_from_the_page_and_others_notices_are_404(client, artist, other_artist, staff, program):
    report_in(S.CONFIRMED, artist, program, staff)
    notice = ReportNotice.objects.filter(user=artist).first()
    client.force_login(other_artist)
    assert client.post(url("notice_read", notice.pk)).status_code == 404
    client.force_login(artist)
    client.post(url("notice_read", notice.pk))
    notice.refresh_from_db()
    assert notice.read_at is not None
    response = client.post(url("notices_read_all"), follow=True)
    assert "Marked 1 notice as read." in text(response)


def test_the_dashboard_sums_up_reports_and_news(client, artist, staff, program):
    report_in(S.NEEDS_INFO, artist, program, staff)
    file_report(artist, program, submit=False)
    client.force_login(artist)
    page = text(client.get(reverse("dashboard")))
    assert "2 new notices" in page and "1 report needs your answer" in page and "1 open, 1 draft" in page
    client.force_login(staff)
    assert "Triage reports" in text(client.get(reverse("dashboard")))


def test_an_artist_who_has_not_accepted_the_current_agreement_cannot_file(client, artist, program, staff):
    from tests.conftest import publish_agreement

    client.force_login(artist)
    assert client.get(url("report_new")).status_code == 200
    publish_agreement(program, actor=staff)  # a new version the artist has not accepted yet
    assert client.get(url("report_new")).status_code == 403
    assert client.get(url("feedback_new")).status_code == 403
    assert "File a bug report" not in text(client.get(url("reports")))
