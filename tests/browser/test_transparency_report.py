"""The transparency report on a phone: readable without sideways scrolling, charts with tables, no axe issues."""

import pytest
from playwright.sync_api import Page

from tests.browser.axe import serious_violations
from tests.conftest import ARTIFACTS
from tests.transparency_world import seed_report_world

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_report_reads_well_on_a_375_px_phone(live_server, page: Page, program, staff):
    seed_report_world(program, staff)
    page.set_viewport_size({"width": 375, "height": 812})
    response = page.goto(f"{live_server.url}/programs/{program.slug}/transparency/")
    assert response.status == 200
    assert page.title() == "Transparency report of Lumen · Glasshouse"
    # Nothing pushes the page wider than the phone (wide tables scroll inside their own box).
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    charts = page.locator("figure.chart svg[role=img]")
    assert charts.count() >= 4
    box = charts.first.bounding_box()
    assert 300 <= box["width"] <= 375  # the chart fills the phone's width, so its 11 px text stays legible
    assert page.locator("table caption", has_text="per month").count() >= 4
    page.get_by_role("link", name="Hours logged").first.click()
    assert page.url.endswith("#def-hours_logged")
    assert page.locator("#def-hours_logged").is_visible()
    assert serious_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(f"{live_server.url}/programs/{program.slug}/transparency/")
    page.screenshot(path=str(ARTIFACTS / "transparency-report-375px.png"), full_page=True)
    assert (ARTIFACTS / "transparency-report-375px.png").stat().st_size > 10_000
