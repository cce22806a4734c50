"""Every public page passes axe-core with no serious or critical violations, on a phone and a desktop, and carries a
title of its own, a description and Open Graph tags.

"Every public page" is not a hand-kept list: it is every URL that tests/access_table.py declares open to anonymous
visitors (and that answers with HTML), plus the account pages a visitor uses to get in, built from the same world
as the access-matrix test (a program with artists, a published video, reports, a transparency snapshot).
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from tests.access_table import EXPECTATIONS
from tests.browser.axe import serious_violations
from tests.test_access_matrix import world  # noqa: F401  (the matrix's world, used as a fixture here)

pytestmark = pytest.mark.browser

VISITOR_ACCOUNT_PAGES = ["account_login", "account_signup", "account_reset_password", "account_request_login_code"]


def public_urls(world) -> list[str]:  # noqa: F811
    open_to_anonymous = [name for name, expect in EXPECTATIONS.items() if expect.codes[0] == 200]
    urls = [reverse(name, kwargs=EXPECTATIONS[name].kwargs(world)) for name in open_to_anonymous]
    return urls + [reverse(name) for name in VISITOR_ACCOUNT_PAGES]


def head_of(page: Page) -> dict:
    return page.evaluate(
        """() => ({
            title: document.title,
            description: document.querySelector('meta[name=description]')?.content || '',
            ogTitle: document.querySelector('meta[property="og:title"]')?.content || '',
            ogDescription: document.querySelector('meta[property="og:description"]')?.content || '',
            h1: document.querySelector('h1')?.textContent.trim() || '',
        })"""
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [375, 1280], ids=["phone", "desktop"])
def test_every_public_page_is_accessible_and_described(live_server, page: Page, world, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    checked, failures, titles = [], {}, {}
    for path in public_urls(world):
        probe = page.request.get(live_server.url + path)
        assert probe.status == 200, path
        if not probe.headers.get("content-type", "").startswith("text/html"):
            continue  # open data (JSON, CSV), media files, the sitemap, robots.txt, the health check
        page.goto(live_server.url + path)
        checked.append(path)
        head = head_of(page)
        assert head["title"].endswith("· Glasshouse") and len(head["title"]) > len("· Glasshouse") + 3, path
        assert head["description"] and head["ogTitle"] and head["ogDescription"], f"{path} lacks its meta tags"
        assert head["h1"], f"{path} has no <h1>"
        titles.setdefault(head["title"], []).append(path)
        if violations := serious_violations(page):
            failures[path] = violations
    assert failures == {}
    assert len(checked) >= 12, checked  # the walk really reached the public pages (13 today)
    shared = {title: paths for title, paths in titles.items() if len(paths) > 1}
    assert shared == {}, "each public page has a title of its own"


@pytest.mark.django_db(transaction=True)
def test_the_not_found_page_is_accessible_too(live_server, page: Page):
    response = page.goto(live_server.url + "/programs/no-such-program/")
    assert response.status == 404
    assert page.title().strip()
    assert serious_violations(page) == []


def test_the_checker_catches_a_real_violation(page: Page):
    page.set_content('<html lang="en"><title>t</title><main><img src="x.png"><button></button></main></html>')
    found = " ".join(serious_violations(page))
    assert "image-alt" in found and "button-name" in found
