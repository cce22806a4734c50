"""The report form tells the truth about who sees a report and its screenshots, and the reporter can keep a
report out of the shared list (issue 12, §4)."""

import pytest
from django.urls import reverse

from submissions.images import process_screenshot
from submissions.models import BugReport, ReportSettings
from submissions.services import reports as services
from submissions.services.reports import ReportError
from tests.conftest import REPORT_FIELDS, enrol, file_report, make_user
from tests.report_images import png_bytes, upload

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"submissions:{name}", args=args)


def test_the_form_says_only_staff_see_reports_where_nothing_is_shared(client, artist, program):
    client.force_login(artist)
    page = client.get(url("report_new")).content.decode()
    assert "Now only the program staff and you can read a report and open its screenshots" in page
    assert "only staff and you can see them" not in page  # the old promise, true only without a shared list


def test_the_form_says_every_contributing_artist_sees_a_shared_programs_reports(client, artist, shared_program):
    client.force_login(artist)
    page = client.get(url("report_new")).content.decode()
    assert f"{shared_program.name} shares its bug reports: every artist contributing to it can read them" in page
    assert "open their screenshots" in page and "Keep this report out of the shared list" in page


def test_the_form_names_each_sharing_program_of_the_reporter(client, artist, shared_program):
    from tests.conftest import make_program

    second = make_program(slug="second")
    enrol(artist, second)
    ReportSettings.objects.create(program=second, shared_reports_enabled=True)
    client.force_login(artist)
    page = client.get(url("report_new")).content.decode()
    assert f"{second.name} and {shared_program.name} share their bug reports" in page or (
        f"{shared_program.name} and {second.name} share their bug reports" in page
    )


def _file_from_the_form(client, program, **extra) -> BugReport:
    shot = upload("s.png", png_bytes())
    data = {**REPORT_FIELDS, "program": program.pk, "screenshots": [shot], "submit": "1", **extra}
    assert client.post(url("report_new"), data).status_code == 302
    return BugReport.objects.latest("pk")


def test_a_report_kept_out_stays_out_of_the_shared_list_and_its_pages(
    client, artist, other_artist, staff, shared_program
):
    client.force_login(artist)
    kept = _file_from_the_form(client, shared_program, staff_only="on", title="Kept between us")
    shared = _file_from_the_form(client, shared_program, title="Everyone may read")
    assert kept.staff_only and not shared.staff_only
    screenshot = kept.screenshots.get()

    client.force_login(other_artist)
    listing = client.get(url("report_shared_list", shared_program.slug)).content.decode()
    assert "Everyone may read" in listing and "Kept between us" not in listing
    for name, pk in (
        ("report_detail", kept.pk),
        ("screenshot", screenshot.pk),
        ("screenshot_thumbnail", screenshot.pk),
    ):
        assert client.get(url(name, pk)).status_code == 404, name
    assert client.get(url("report_detail", shared.pk)).status_code == 200
    assert client.post(url("report_me_too", kept.pk)).status_code == 404

    for reader in (artist, staff):
        client.force_login(reader)
        page = client.get(url("report_detail", kept.pk))
        assert page.status_code == 200 and "Kept out of the shared list" in page.content.decode()
        assert client.get(url("screenshot", screenshot.pk)).status_code == 200
    assert "Kept between us" not in client.get(url("report_shared_list", shared_program.slug)).content.decode()


def test_the_choice_is_kept_when_a_draft_is_edited(client, artist, shared_program):
    draft = file_report(artist, shared_program, submit=False, staff_only=True)
    assert draft.staff_only
    client.force_login(artist)
    page = client.get(url("report_edit", draft.pk)).content.decode()
    assert 'name="staff_only" id="id_staff_only" checked' in page or ('name="staff_only"' in page and "checked" in page)
    client.post(url("report_edit", draft.pk), {**REPORT_FIELDS})  # unticked: shared again
    draft.refresh_from_db()
    assert not draft.staff_only


def test_nobody_says_me_too_on_a_report_kept_out_even_through_the_service(artist, other_artist, shared_program):
    report = file_report(artist, shared_program, staff_only=True)
    with pytest.raises(ReportError, match="kept this report out of the shared list"):
        services.bug_report_me_too(report=report, user=other_artist)


def test_program_staff_who_also_contribute_see_it_and_artists_elsewhere_do_not(artist, shared_program):
    from submissions.access.reports import can_see_report, reports_visible_to

    report = file_report(
        artist, shared_program, staff_only=True, screenshots=[process_screenshot(upload("s.png", png_bytes()))]
    )
    outsider = make_user("outsider@example.com")
    enrol(outsider, shared_program)
    assert not can_see_report(outsider, report)
    assert report not in reports_visible_to(outsider)
    assert report in reports_visible_to(artist)
