"""Every page of the role-by-URL matrix (tests/access_table.py), for each role that may open it, in real Chromium
at 375 and 1280 px: no sideways scrolling, no console error, no stored value or field name where a label belongs,
a title of its own and a main heading, and every chart's labels inside the chart.

Efficient by construction: one browser per worker (pytest-playwright's session browser), one signed-in context
per role (one test per role, so xdist spreads them), the access matrix's world built once per role, and each page
loaded once: it is checked at 375 px, then resized to 1280 px and checked again.
"""

import os
import re

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page

from tests.access_table import EXPECTATIONS, ROLES
from tests.conftest import ARTIFACTS
from tests.test_access_matrix import world  # noqa: F401 (the matrix's world, used as a fixture here)
from tests.transparency_world import seed_report_world

# CI runs the suite twice (SQLite, then PostgreSQL); the pages are the same on both, so this walk, a few minutes
# of Chromium, runs in the SQLite pass only.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="walked in the SQLite pass only (same pages)"),
]

WIDTHS = (375, 1280)

# snake_case words that may be read on a page. Any other stored value or field name (`payment_provider`,
# `from_status`) is a bug: show its label. Code samples (<code>), keyboard keys and form values are not text.
ALLOWED_TOKENS = {"percentile_cont"}  # the transparency report names PostgreSQL's function it computes as
RAW_TOKEN = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")

# A chart's labels stay as legible as the text around them: scaled with the chart, but not past these sizes.
LABEL_PX = (9, 16.5)

# What a page looks like to the checks, computed in the page in one round trip.
INSPECT = """([MIN_PX, MAX_PX]) => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => { const s = getComputedStyle(el).overflowX; return s === 'auto' || s === 'scroll'; };
  const insideScroller = (el) => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement)
    if (scrolls(p)) return true; return false; };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const sticking = [...document.body.querySelectorAll('*')]
    .filter((el) => el.getClientRects().length && el.getBoundingClientRect().right > width + 1 && !insideScroller(el))
    .slice(0, 5).map((el) => `${name(el)} (right edge ${Math.round(el.getBoundingClientRect().right)} px)`);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const words = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('code, pre, kbd, samp, script, style, template, [hidden]')) continue;
    if (!parent.checkVisibility()) continue;
    words.push(node.textContent);
  }
  const charts = [...document.querySelectorAll('svg')].filter((svg) => svg.getClientRects().length);
  const spilling = [];
  for (const svg of charts) {
    const box = svg.getBoundingClientRect();
    const scale = svg.getScreenCTM().a;
    for (const text of svg.querySelectorAll('text')) {
      const r = text.getBoundingClientRect();
      if (!r.width) continue;
      const label = `"${text.textContent.trim()}"`;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        spilling.push(`${label} outside its chart`);
      const px = parseFloat(getComputedStyle(text).fontSize) * scale;
      const words = /[\\p{L}\\p{N}]/u.test(text.textContent);  // marks such as the gap dot are not labels
      if (words && (px < MIN_PX || px > MAX_PX)) spilling.push(`${label} drawn at ${px.toFixed(1)} px`);
    }
  }
  return {
    overflow: document.documentElement.scrollWidth - width,
    sticking,
    text: words.join(' '),
    title: document.title,
    h1: (document.querySelector('main h1')?.textContent || '').trim(),
    spilling: spilling.slice(0, 5),
  };
}"""


def urls_for(role: str, world) -> list[str]:  # noqa: F811
    index = ROLES.index(role)
    names = [name for name, expect in sorted(EXPECTATIONS.items()) if expect.codes[index] == 200]
    return [reverse(name, kwargs=EXPECTATIONS[name].kwargs(world)) for name in names]


def sign_in(page: Page, live_server, user) -> None:
    if user is None:
        return
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def problems_of(seen: dict, width: int) -> list[str]:
    found = []
    if seen["overflow"] > 0:
        found.append(f"scrolls sideways by {seen['overflow']} px at {width} px: {', '.join(seen['sticking'])}")
    if not (seen["title"].endswith("· Glasshouse") and len(seen["title"]) > len(" · Glasshouse")):
        found.append(f"no title of its own ({seen['title']!r})")
    if not seen["h1"]:
        found.append("no main heading")
    raw = sorted(set(RAW_TOKEN.findall(seen["text"])) - ALLOWED_TOKENS)
    if raw:
        found.append(f"raw values where labels belong: {raw}")
    if seen["spilling"]:
        found.append(f"chart labels that do not fit at {width} px: {seen['spilling']}")
    return found


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_may_open_fits_a_phone_and_reads_as_words(live_server, page: Page, world, role):  # noqa: F811
    sign_in(page, live_server, world.users[role])
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: console.append(str(error)))
    failures, checked = {}, []
    for path in urls_for(role, world):
        probe = page.request.get(live_server.url + path, max_redirects=0)
        if not probe.headers.get("content-type", "").startswith("text/html") or b"<html" not in probe.body()[:200]:
            continue  # files, open data, feeds and htmx fragments: not pages
        console.clear()
        page.set_viewport_size({"width": WIDTHS[0], "height": 800})
        page.goto(live_server.url + path, wait_until="load")
        found = []
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            found += problems_of(page.evaluate(INSPECT, LABEL_PX), width)
        found += [f"console: {line}" for line in console]
        checked.append(path)
        if found:
            failures[path] = sorted(set(found))
    assert not failures, "\n".join(f"{path}: {problems}" for path, problems in failures.items())
    assert checked, f"no page was checked for {role}"


def test_every_chart_of_the_transparency_report_fits_at_both_widths(live_server, page: Page, program, staff):
    """The matrix's world is too small for the report to draw its charts (fewer than 5 artists): this one is
    a program a few months in, so every chart, the box plot included, is drawn and checked."""
    seed_report_world(program, staff)
    page.set_viewport_size({"width": WIDTHS[0], "height": 800})
    page.goto(f"{live_server.url}{reverse('transparency:report', args=[program.slug])}")
    assert page.locator("svg.box-plot").count() >= 1 and page.locator("figure.chart svg").count() >= 4
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        found += problems_of(page.evaluate(INSPECT, LABEL_PX), width)
        page.screenshot(path=str(ARTIFACTS / f"first-contact-transparency-{width}px.png"), full_page=True)
    assert not found
