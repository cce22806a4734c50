"""Bug reports and feedback point at one of the author's own videos and a time in it: the forms offer only the
author's videos in the program, refuse forged or impossible links with a field error and store nothing, the
pages show the link only to those who may open the video, and deleting the video keeps the report."""

import io

import pytest
from django.urls import reverse

from demo import testclips
from submissions.access import can_see_video
from submissions.access.reports import linked_video_for, shares_reports_with
from submissions.models import BugReport, Feedback, ProgramMediaPolicy, Video
from submissions.services import approvals
from submissions.services import reports as services
from submissions.services import videos as video_services
from submissions.services.reports import ReportError
from submissions.video_links import format_timecode, parse_timecode
from tests.approval_helpers import setup_review
from tests.conftest import REPORT_FIELDS, enrol, file_report, make_program, make_user
from tests.video_helpers import PROVENANCE, clip, make_video

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"submissions:{name}", args=args)


def text(response) -> str:
    return response.content.decode()


def titled(title: str) -> video_services.Provenance:
    return video_services.Provenance(**{**PROVENANCE.__dict__, "title": title})


@pytest.fixture
def video(artist, program):
    """A real two-second clip of the artist's, processed."""
    video = make_video(artist, program, provenance=titled("Dancer in the rain"))
    assert video.duration_seconds is not None and 2 <= video.duration_seconds < 3
    return video


@pytest.fixture
def long_video(artist, program):
    """A real clip of 70 seconds (tiny and silent, so it encodes fast), in a program that accepts its length."""
    ProgramMediaPolicy.objects.create(program=program, max_duration_seconds=120)
    data = clip(seconds=70, width=64, height=48, fps=2, audio=False)
    video = make_video(artist, program, data=data, provenance=titled("Long take"))
    assert video.status == Video.Status.PENDING_REVIEW and video.duration_seconds >= 65, video.invalid_reason
    return video


def report_post(program, **extra) -> dict:
    return {**REPORT_FIELDS, "program": program.pk, "submit": "1", **extra}


def feedback_post(program, **extra) -> dict:
    return {"program": program.pk, "kind": "problem", "body": "The hands melt here.", **extra}


FORMS = {
    "report_new": (report_post, BugReport),
    "feedback_new": (feedback_post, Feedback),
}


# --- The happy path ---------------------------------------------------------------------------


def test_a_bug_report_links_the_artists_video_at_a_time_shown_to_the_artist_and_staff(
    client, artist, staff, program, video
):
    client.force_login(artist)
    form = text(client.get(url("report_new")))
    assert "Dancer in the rain (waiting for review)" in form

    response = client.post(url("report_new"), report_post(program, video=video.pk, video_timecode="0:01"))
    report = BugReport.objects.get()
    assert response["Location"] == url("report_detail", report.pk)
    assert (report.status, report.video, report.video_timecode) == (BugReport.Status.NEW, video, 1)
    page = text(client.get(url("report_detail", report.pk)))
    assert f'<a href="{url("video_detail", video.pk)}?t=1">Dancer in the rain</a>' in page
    assert 'at <strong class="timecode">0:01</strong>' in page

    client.force_login(staff)
    triage = text(client.get(url("report_triage")))
    assert f'Video: <a href="{url("video_detail", video.pk)}?t=1">Dancer in the rain</a> at 0:01' in triage
    assert f'<a href="{url("video_detail", video.pk)}?t=1">Dancer in the rain</a>' in text(
        client.get(url("report_detail", report.pk))
    )
    assert client.get(url("video_detail", video.pk)).status_code == 200  # the link works for staff


def test_feedback_links_the_artists_video_at_a_time_shown_to_the_artist_and_staff(
    client, artist, staff, program, video
):
    client.force_login(artist)
    assert "Dancer in the rain (waiting for review)" in text(client.get(url("feedback_new")))
    response = client.post(url("feedback_new"), feedback_post(program, video=video.pk, video_timecode="2"))
    feedback = Feedback.objects.get()
    assert response["Location"] == url("feedback_detail", feedback.pk)
    assert (feedback.video, feedback.video_timecode) == (video, 2)
    assert 'at <strong class="timecode">0:02</strong>' in text(client.get(url("feedback_detail", feedback.pk)))

    client.force_login(staff)
    triage = text(client.get(url("feedback_triage")))
    assert f'Video: <a href="{url("video_detail", video.pk)}?t=2">Dancer in the rain</a> at 0:02' in triage
    assert "Dancer in the rain" in text(client.get(url("feedback_detail", feedback.pk)))


@pytest.mark.parametrize("typed", ["1:05", "65", "01:05", "0:01:05"])
@pytest.mark.parametrize("form_name", FORMS)
def test_the_forms_accept_minutes_and_seconds_or_plain_seconds(client, artist, program, long_video, typed, form_name):
    data, model = FORMS[form_name]
    client.force_login(artist)
    response = client.post(url(form_name), data(program, video=long_video.pk, video_timecode=typed))
    assert response.status_code == 302
    assert model.objects.get().video_timecode == 65


def test_a_link_without_a_time_is_fine(client, artist, program, video):
    client.force_login(artist)
    client.post(url("report_new"), report_post(program, video=video.pk))
    report = BugReport.objects.get()
    assert (report.video, report.video_timecode) == (video, None)
    page = text(client.get(url("report_detail", report.pk)))
    assert "Dancer in the rain" in page and "timecode" not in page


def test_a_draft_keeps_its_link_and_can_drop_it(client, artist, program, video):
    client.force_login(artist)
    client.post(url("report_new"), {"program": program.pk, "title": "Flicker", "video": video.pk,
                                    "video_timecode": "2", "save_draft": "1"})  # fmt: skip
    draft = BugReport.objects.get()
    assert (draft.status, draft.video, draft.video_timecode) == (BugReport.Status.DRAFT, video, 2)
    edit = text(client.get(url("report_edit", draft.pk)))
    assert f'<option value="{video.pk}" selected>' in edit and 'value="0:02"' in edit

    client.post(url("report_edit", draft.pk), {**REPORT_FIELDS, "video": video.pk, "video_timecode": "0:01",
                                               "save_draft": "1"})  # fmt: skip
    draft.refresh_from_db()
    assert (draft.video, draft.video_timecode) == (video, 1)
    client.post(url("report_edit", draft.pk), {**REPORT_FIELDS, "video": "", "video_timecode": "", "submit": "1"})
    draft.refresh_from_db()
    assert (draft.status, draft.video, draft.video_timecode) == (BugReport.Status.NEW, None, None)


# --- Refusals: a field error, and nothing stored ---------------------------------------------------


@pytest.mark.parametrize("form_name", FORMS)
def test_another_artists_video_is_refused(client, artist, other_artist, program, form_name):
    theirs = make_video(other_artist, program, data=clip(hue=90), provenance=titled("Not yours"))
    data, model = FORMS[form_name]
    client.force_login(artist)
    assert "Not yours" not in text(client.get(url(form_name)))
    response = client.post(url(form_name), data(program, video=theirs.pk, video_timecode="0:01"))
    assert response.status_code == 200
    assert "Choose one of your own videos in this program." in text(response)
    assert not model.objects.exists()


@pytest.mark.parametrize("form_name", FORMS)
def test_a_video_in_another_program_is_refused(client, artist, program, form_name):
    elsewhere = make_program(slug="elsewhere")
    enrol(artist, elsewhere)
    there = make_video(artist, elsewhere, data=clip(hue=120), provenance=titled("Made elsewhere"))
    data, model = FORMS[form_name]
    client.force_login(artist)
    assert "Made elsewhere (waiting for review), Elsewhere" in text(client.get(url(form_name)))
    response = client.post(url(form_name), data(program, video=there.pk))
    assert response.status_code == 200
    assert "That video belongs to another program: choose one of your videos in Lumen." in text(response)
    assert not model.objects.exists()


def test_editing_a_draft_offers_only_videos_of_its_program(client, artist, program, video):
    elsewhere = make_program(slug="elsewhere")
    enrol(artist, elsewhere)
    there = make_video(artist, elsewhere, data=clip(hue=120), provenance=titled("Made elsewhere"))
    draft = file_report(artist, program, submit=False)
    client.force_login(artist)
    edit = text(client.get(url("report_edit", draft.pk)))
    assert "Dancer in the rain (waiting for review)<" in edit and "Made elsewhere" not in edit
    response = client.post(url("report_edit", draft.pk), {**REPORT_FIELDS, "video": there.pk, "save_draft": "1"})
    assert "Choose one of your own videos in this program." in text(response)
    draft.refresh_from_db()
    assert draft.video is None


@pytest.mark.parametrize("form_name", FORMS)
def test_a_time_beyond_the_end_of_the_video_is_refused(client, artist, program, video, form_name):
    data, model = FORMS[form_name]
    client.force_login(artist)
    response = client.post(url(form_name), data(program, video=video.pk, video_timecode="0:03"))
    assert "“Dancer in the rain” is only 0:02 long: give a time within it." in text(response)
    assert 'value="0:03"' in text(response)  # what was typed is kept for the correction
    assert not model.objects.exists()


@pytest.mark.parametrize("form_name", FORMS)
def test_a_time_without_a_video_is_refused(client, artist, program, video, form_name):
    data, model = FORMS[form_name]
    client.force_login(artist)
    response = client.post(url(form_name), data(program, video_timecode="0:01"))
    assert "Choose the video this time is in, or leave the time empty." in text(response)
    assert not model.objects.exists()


@pytest.mark.parametrize("typed", ["1:5", "1:60", "one minute", "-5", "1.5", "1:02:03:04"])
def test_a_time_in_another_format_is_refused_with_the_formats(client, artist, program, video, typed):
    client.force_login(artist)
    response = client.post(url("report_new"), report_post(program, video=video.pk, video_timecode=typed))
    assert "Write the time as m:ss, h:mm:ss or seconds (1:05, 1:02:05 or 65)." in text(response)
    assert not BugReport.objects.exists()


def test_a_time_is_accepted_while_the_length_is_not_known_yet(client, artist, program):
    waiting = make_video(artist, program, process=False, provenance=titled("Still checking"))
    assert waiting.duration_seconds is None
    client.force_login(artist)
    client.post(url("report_new"), report_post(program, video=waiting.pk, video_timecode="1:05"))
    assert BugReport.objects.get().video_timecode == 65


def test_a_file_that_was_not_a_video_is_not_offered(client, artist, program):
    data = testclips.truncated_data(width=64, height=48, hue=30)
    broken = make_video(artist, program, data=data, provenance=titled("Broken file"))
    assert broken.status == Video.Status.REJECTED_INVALID
    client.force_login(artist)
    assert "Broken file" not in text(client.get(url("report_new")))
    response = client.post(url("report_new"), report_post(program, video=broken.pk))
    assert "Choose one of your own videos in this program." in text(response)
    assert not BugReport.objects.exists()


def test_the_services_refuse_what_the_forms_refuse(artist, other_artist, program, video):
    theirs = make_video(other_artist, program, data=clip(hue=90))
    with pytest.raises(ReportError, match="Choose one of your own videos"):
        file_report(artist, program, video=theirs)
    with pytest.raises(ReportError, match="only 0:02 long"):
        services.feedback_submit(author=artist, program=program, kind="idea", body="x", video=video, video_timecode=9)
    with pytest.raises(ReportError, match="Choose the video this time is in"):
        file_report(artist, program, video_timecode=0)
    draft = file_report(artist, program, submit=False, video=video, video_timecode=1)
    with pytest.raises(ReportError, match="Choose one of your own videos"):
        services.bug_report_save_draft(reporter=artist, report=draft, fields=REPORT_FIELDS, video=theirs)
    assert not Feedback.objects.exists()
    assert list(BugReport.objects.values_list("video", "video_timecode")) == [(video.pk, 1)]


# --- Who sees the link -------------------------------------------------------------------------------


def test_artists_reading_the_shared_list_do_not_see_an_unpublished_video(
    client, artist, other_artist, shared_program, video
):
    report = file_report(artist, shared_program, video=video, video_timecode=1)
    client.force_login(other_artist)
    page = text(client.get(url("report_detail", report.pk)))
    assert "Dancer in the rain" not in page
    assert url("video_detail", video.pk) not in page and str(video.public_id) not in page
    assert "One of the reporter's videos, not published: only its artist, reviewers and staff can open it" in page
    assert client.get(url("video_detail", video.pk)).status_code == 404  # the rule the page follows


def test_artists_reading_the_shared_list_get_the_gallery_page_of_a_published_video(
    client, artist, other_artist, reviewer, staff, shared_program
):
    lead = make_user("lead@example.com", display_name="Lea Lead")
    setup_review(shared_program, safety=[reviewer], lead=[lead])
    video = make_video(artist, shared_program, provenance=titled("Out in the open"))
    for who in (reviewer, lead):
        approvals.review_decide(video_id=video.pk, reviewer=who, outcome="approve")
    approvals.video_publish(video_id=video.pk, artist=artist)
    report = file_report(artist, shared_program, video=video, video_timecode=2)

    client.force_login(other_artist)
    page = text(client.get(url("report_detail", report.pk)))
    gallery = url("gallery_video", video.public_id)
    assert f'<a href="{gallery}?t=2">Out in the open</a>' in page and url("video_detail", video.pk) not in page
    assert client.get(gallery).status_code == 200
    client.force_login(staff)
    assert url("video_detail", video.pk) in text(client.get(url("report_detail", report.pk)))


def test_the_video_page_is_linked_for_its_artist_reviewers_and_staff_only(
    artist, other_artist, reviewer, staff, program, video
):
    report = file_report(artist, program, video=video, video_timecode=2)
    page = url("video_detail", video.pk) + "?t=2"
    for who in (artist, reviewer, staff):
        assert linked_video_for(who, report).url == page
    hidden = linked_video_for(other_artist, report)
    assert (hidden.title, hidden.url, hidden.timecode) == ("", "", "0:02")
    assert linked_video_for(artist, file_report(artist, program)) is None


def test_the_admin_shows_the_linked_video_and_time(client, artist, staff, program, video):
    staff.is_staff = True
    staff.save()
    report = file_report(artist, program, video=video, video_timecode=2)
    feedback = services.feedback_submit(author=artist, program=program, kind="idea", body="x", video=video)
    client.force_login(staff)
    admin_video = reverse("admin:submissions_video_change", args=[video.pk])
    page = text(client.get(reverse("admin:submissions_bugreport_change", args=[report.pk])))
    assert f'<a href="{admin_video}">Dancer in the rain</a> (Waiting for review), at 0:02' in page
    page = text(client.get(reverse("admin:submissions_feedback_change", args=[feedback.pk])))
    assert f'<a href="{admin_video}">Dancer in the rain</a> (Waiting for review)<' in page
    assert client.get(admin_video).status_code == 200


# --- Deleting the video -------------------------------------------------------------------------------


def test_deleting_the_video_keeps_the_report_and_feedback_without_the_link(client, artist, program, video):
    report = file_report(artist, program, video=video, video_timecode=1)
    feedback = services.feedback_submit(author=artist, program=program, kind="idea", body="x", video=video)
    video.delete()
    report.refresh_from_db()
    feedback.refresh_from_db()
    assert (report.video, feedback.video) == (None, None)
    client.force_login(artist)
    page = text(client.get(url("report_detail", report.pk)))
    assert "Dancer in the rain" not in page and 'id="linked-video"' not in page


# --- Timecodes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "shown"), [(0, "0:00"), (5, "0:05"), (65, "1:05"), (600, "10:00"), (3725, "1:02:05"), (None, "")]
)
def test_timecodes_read_as_minutes_and_seconds(seconds, shown):
    assert format_timecode(seconds) == shown
    if seconds is not None:
        assert parse_timecode(shown) == seconds == parse_timecode(str(seconds))


# --- Demo data -------------------------------------------------------------------------------------


def test_the_demo_links_reports_and_feedback_to_published_and_unpublished_videos(client):
    from django.core.management import call_command

    from demo.program import PROGRAM_SLUG
    from demo.reports import VIDEO_LINKS
    from programs.models import Program

    call_command("seed_demo", force=True, stdout=io.StringIO())
    program = Program.objects.get(slug=PROGRAM_SLUG)
    linked = BugReport.objects.filter(program=program, video__isnull=False).select_related("video", "reporter")
    links = linked.count() + Feedback.objects.filter(program=program, video__isnull=False).count()
    assert links == len(VIDEO_LINKS)
    assert {r.video.status for r in linked} >= {Video.Status.PUBLISHED, Video.Status.PENDING_REVIEW}
    assert all(r.video.artist == r.reporter and r.video_timecode <= r.video.duration_seconds for r in linked)
    assert linked.filter(status=BugReport.Status.DRAFT).exists()
    call_command("seed_demo", force=True, stdout=io.StringIO())
    assert linked.count() + Feedback.objects.filter(video__isnull=False).count() == links  # seeding again adds nothing

    hidden = linked.exclude(status=BugReport.Status.DRAFT).exclude(video__status=Video.Status.PUBLISHED).first()
    public = linked.filter(video__status=Video.Status.PUBLISHED).first()
    neighbour = next(
        e.user
        for e in program.enrolments.select_related("user")
        if shares_reports_with(e.user, program)
        and not can_see_video(e.user, hidden.video)
        and e.user != public.reporter
    )
    client.force_login(neighbour)
    page = text(client.get(url("report_detail", hidden.pk)))
    assert "videos, not published" in page and hidden.video.display_title not in page
    page = text(client.get(url("report_detail", public.pk)))
    assert url("gallery_video", public.video.public_id) in page


def test_a_time_of_a_day_or_more_is_refused():
    with pytest.raises(ValueError, match="Give a time under 24:00:00"):
        parse_timecode("24:00:00")
    with pytest.raises(ValueError, match="Give a time under 24:00:00"):
        parse_timecode("999999")
    assert parse_timecode("23:59:59") == 86_399


def test_a_video_deleted_while_the_form_was_open_is_refused(artist, program, video):
    stale = Video.objects.get(pk=video.pk)
    video.delete()
    with pytest.raises(ReportError, match="That video was deleted"):
        file_report(artist, program, video=stale)
    assert not BugReport.objects.exists()


@pytest.mark.parametrize(("asked", "started"), [("65", 65), ("abc", None), ("-5", None), ("0", None), ("999999", None)])
def test_the_video_page_starts_its_player_where_the_report_points(client, artist, program, long_video, asked, started):
    client.force_login(artist)
    page = text(client.get(url("video_detail", long_video.pk) + f"?t={asked}"))
    file_url = url("video_file", long_video.pk)
    if started:
        assert f'src="{file_url}#t={started}"' in page
        assert 'The player starts at <strong class="timecode">1:05</strong>' in page
    else:
        assert f'src="{file_url}"' in page and "The player starts at" not in page
