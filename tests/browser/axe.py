"""Run axe-core (from the npm registry, see package.json) in a Playwright page."""

from pathlib import Path

import pytest
from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def serious_violations(page: Page) -> list[str]:
    """axe's serious and critical violations on the current page, one readable line each."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` (make test does when npm is available)")
    # evaluate() runs through the DevTools protocol, so the page's CSP does not block the injected script.
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]
