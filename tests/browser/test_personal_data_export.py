"""An artist prepares their data export, watches it reach ready without reloading, downloads and opens it."""

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import DataExport
from accounts.personal_data import exports
from programs.services.compensation import timeentry_log
from tests.browser.axe import serious_violations
from tests.browser.test_compensation_flow import log_in
from tests.browser.test_signup_and_mfa import collect_console_errors
from tests.conftest import make_rate_card

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_export_progress_reaches_ready_and_the_zip_opens(live_server, page: Page, program, artist):
    make_rate_card(program)
    timeentry_log(user=artist, program=program, worked_on=timezone.localdate(), minutes=90, category="testing")
    # Waiting as if a worker had not picked it up yet: the page must follow it without a reload.
    waiting = DataExport.objects.create(user=artist)
    errors = collect_console_errors(page)
    log_in(page, live_server.url, artist.email)
    page.get_by_role("link", name=re.compile("Download everything Glasshouse holds about me")).click()
    row = page.locator(f"#export-{waiting.pk}")
    expect(row.get_by_text("Waiting to start")).to_be_visible()
    expect(row.locator("progress")).to_be_visible()
    assert not serious_violations(page)

    exports.export_build(export_id=waiting.pk, claim="browser-test")
    expect(row.get_by_text("Ready to download")).to_be_visible(timeout=10_000)  # htmx polled the row
    with page.expect_download() as download:
        row.get_by_role("link", name="Download ZIP").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert json.loads(archive.read("profile.json"))["records"][0]["email"] == artist.email
    assert len(json.loads(archive.read("time_entries.json"))["records"]) == 1

    page.get_by_role("button", name="Prepare a new export").click()  # built in-process before the page returns
    expect(page.get_by_text("Your export is being prepared")).to_be_visible()
    expect(page.get_by_role("link", name="Download ZIP")).to_have_count(2)
    page.get_by_role("link", name="delete your account").click()
    expect(page.get_by_role("heading", name="What is kept, without your name")).to_be_visible()
    assert not serious_violations(page)
    assert not errors
