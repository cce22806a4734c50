"""In real Chromium: an artist files a bug with a screenshot, staff mark it a duplicate of an earlier
report, and the artist sees why, both on the report and in their notices."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from submissions.models import BugReport
from tests.conftest import file_report
from tests.report_images import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(context, live_server, user) -> None:
    """Give the browser context a real session for `user` (the login flow itself is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def watch_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def test_an_artist_files_a_bug_staff_mark_it_duplicate_and_the_artist_sees_why(
    live_server, page: Page, browser: Browser, artist, other_artist, staff, program, tmp_path
):
    earlier = file_report(other_artist, program, title="Hands blur when panning")
    shot = tmp_path / "hands.png"
    shot.write_bytes(png_bytes((320, 200)))

    # The artist files the bug with a screenshot.
    sign_in(page.context, live_server, artist)
    artist_errors = watch_errors(page)
    page.goto(f"{live_server.url}/reports/")
    page.get_by_role("link", name="File a bug report").click()
    page.get_by_label("Title").fill("Fingers smear on a slow pan")
    page.get_by_label("What happened").fill("The fingers smear into the coat for a few frames.")
    page.get_by_label("Steps to reproduce").fill("1. Prompt below\n2. Slow pan left")
    page.get_by_label("Expected").fill("Fingers stay fingers.")
    page.get_by_label("Actual").fill("Fingers smear.")
    page.get_by_label("Severity (your view)").select_option("medium")
    page.get_by_label("Model version").fill("lumen-0.9.2")
    page.get_by_label("Screenshots").set_input_files(str(shot))
    page.get_by_role("button", name="Submit report").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Fingers smear on a slow pan")
    expect(page.locator("#state")).to_contain_text("New")
    thumbnail = page.get_by_role("img", name=re.compile("Screenshot 1"))
    expect(thumbnail).to_be_visible()
    # The thumbnail is served through the access check; wait for it to load rather than read it mid-flight.
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle(), timeout=10_000
    )
    report = BugReport.objects.get(title="Fingers smear on a slow pan")

    # Staff triage it and mark it a duplicate of the earlier report.
    staff_context = browser.new_context()
    sign_in(staff_context, live_server, staff)
    staff_page = staff_context.new_page()
    staff_errors = watch_errors(staff_page)
    staff_page.goto(f"{live_server.url}/reports/triage/")
    staff_page.get_by_role("link", name=re.compile("Fingers smear")).click()
    staff_page.get_by_role("combobox", name=re.compile("^Decision")).select_option("triaged")
    staff_page.get_by_role("button", name="Record decision").click()
    expect(staff_page.get_by_role("status")).to_contain_text("is now triaged")
    staff_page.get_by_role("combobox", name=re.compile("^Decision")).select_option("duplicate")
    staff_page.get_by_label("Duplicate of report number").fill(str(earlier.pk))
    staff_page.get_by_label("Note to the reporter").fill("Same bug as the earlier report; thanks for the screenshot.")
    staff_page.get_by_role("button", name="Record decision").click()
    expect(staff_page.get_by_role("status")).to_contain_text("is now duplicate")
    staff_context.close()

    # The artist sees why: a notice on /reports/ and the reason on the report.
    page.goto(f"{live_server.url}/reports/")
    notices = page.locator("#notices")
    expect(notices).to_contain_text("merged into an earlier report")
    expect(notices).to_contain_text("Same bug as the earlier report")
    notices.get_by_role("link", name=re.compile("merged into an earlier report")).click()
    expect(page.locator("#state")).to_contain_text("Duplicate")
    expect(page.locator("#duplicate-of")).to_contain_text(f"#{earlier.pk} Hands blur when panning")
    expect(page.locator("#duplicate-of")).to_contain_text("reported earlier")
    expect(page.locator("#staff-note")).to_contain_text("Same bug as the earlier report; thanks for the screenshot.")

    report.refresh_from_db()
    assert report.status == BugReport.Status.DUPLICATE and report.duplicate_of == earlier
    assert artist_errors == [] and staff_errors == []


@pytest.mark.parametrize("width", [375, 1280], ids=["phone", "desktop"])
def test_the_report_pages_have_no_serious_accessibility_violations(
    live_server, page: Page, browser: Browser, artist, other_artist, staff, program, width
):
    from submissions.images import process_screenshot
    from submissions.models import ReportSettings
    from submissions.services import reports as services
    from tests.browser.axe import serious_violations
    from tests.conftest import report_in
    from tests.report_images import upload

    ReportSettings.objects.create(program=program, shared_reports_enabled=True)
    earlier = file_report(other_artist, program)
    shot = process_screenshot(upload("s.png", png_bytes()))
    report = report_in("needs_info", artist, program, staff, screenshots=[shot])
    services.bug_report_me_too(report=earlier, user=artist, note="Me too")
    feedback = services.feedback_submit(author=artist, program=program, kind="idea", body="Loop mode")
    pages = {
        artist: ["/reports/", "/reports/new/", f"/reports/{report.pk}/", f"/reports/{earlier.pk}/",
                 f"/reports/shared/{program.slug}/", "/reports/feedback/new/", f"/reports/feedback/{feedback.pk}/"],
        staff: ["/reports/triage/", "/reports/triage/feedback/", f"/reports/{report.pk}/",
                f"/reports/feedback/{feedback.pk}/"],
    }  # fmt: skip
    failures = {}
    for user, paths in pages.items():
        context = browser.new_context(viewport={"width": width, "height": 900})
        sign_in(context, live_server, user)
        tab = context.new_page()
        for path in paths:
            assert tab.goto(live_server.url + path).status == 200, path
            if violations := serious_violations(tab):
                failures[f"{user}: {path}"] = violations
        context.close()
    assert failures == {}
