"""The compensation pages pass axe-core with no serious or critical violations."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from programs.services.compensation import award_record, timeentry_log
from tests.browser.axe import serious_violations
from tests.conftest import make_rate_card

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_compensation_pages_have_no_serious_accessibility_violations(live_server, page: Page, client, program,
                                                                      artist, staff):  # fmt: skip
    make_rate_card(program, stipend_amount="100.00", stipend_period="monthly")
    award_record(user=artist, program=program, title="Prize", amount="50.00", reason="Jury.", idempotency_key="a:1",
                 actor=staff)  # fmt: skip
    timeentry_log(user=artist, program=program, worked_on=timezone.localdate(), minutes=90, category="testing")
    today = timezone.localdate()
    pages = {
        None: [f"/programs/{program.slug}/"],
        artist: ["/me/compensation/", f"/me/compensation/{program.slug}/",
                 f"/me/compensation/{program.slug}/statements/{today.year}/{today.month}/"],
        staff: [f"/programs/{program.slug}/compensation/", f"/programs/{program.slug}/compensation/hours/",
                f"/programs/{program.slug}/compensation/rate-cards/new/",
                f"/programs/{program.slug}/compensation/awards/new/",
                f"/programs/{program.slug}/compensation/artists/{artist.pk}/"],
    }  # fmt: skip
    failures = {}
    for user, paths in pages.items():
        page.context.clear_cookies()
        if user is not None:
            client.force_login(user)
            cookie = client.cookies["sessionid"]
            page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, path
            if violations := serious_violations(page):
                failures[path] = violations
    assert failures == {}
