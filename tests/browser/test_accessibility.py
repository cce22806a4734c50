"""Every public page passes axe-core with no serious or critical violations, on a phone and a desktop."""

import pytest
from playwright.sync_api import Page

from tests.browser.axe import serious_violations
from tests.conftest import make_program

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    "/",
    "/programs/",
    "/programs/lumen/",
    "/programs/lumen/transparency/",
    "/gallery/",
    "/verify/",
    "/accounts/login/",
    "/accounts/signup/",
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [375, 1280], ids=["phone", "desktop"])
def test_public_pages_have_no_serious_accessibility_violations(live_server, page: Page, width):
    make_program(slug="lumen", tester_tasks="Generate videos and report what breaks.")
    page.set_viewport_size({"width": width, "height": 900})
    failures = {}
    for path in PUBLIC_PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert page.title().strip(), f"{path} has no <title>"
        if violations := serious_violations(page):
            failures[path] = violations
    assert failures == {}


def test_the_checker_catches_a_real_violation(page: Page):
    page.set_content('<html lang="en"><title>t</title><main><img src="x.png"><button></button></main></html>')
    found = " ".join(serious_violations(page))
    assert "image-alt" in found and "button-name" in found
