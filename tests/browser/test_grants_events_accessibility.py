"""The grant and session pages pass axe-core with no serious or critical violations (issue 17)."""

import pytest
from playwright.sync_api import Page

from tests.browser.axe import serious_violations
from tests.conftest import make_rate_card
from tests.grants_helpers import apply, award, make_event, make_round, past_event_with_rsvp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_grant_and_session_pages_have_no_serious_accessibility_violations(live_server, page: Page, client, program,
                                                                          artist, other_artist, staff):  # fmt: skip
    make_rate_card(program)
    round = make_round(program)
    application = award(apply(round, artist), staff, "400.00", "600.00")
    waiting = apply(round, other_artist)
    coming = make_event(program)
    past, _rsvp = past_event_with_rsvp(program, artist)
    pages = {
        None: ["/grants/", f"/grants/{round.pk}/", f"/programs/{program.slug}/transparency/"],
        artist: [f"/grants/applications/{application.pk}/", "/events/", f"/events/{coming.pk}/",
                 f"/events/{past.pk}/"],
        other_artist: [f"/grants/{round.pk}/"],
        staff: [f"/grants/{round.pk}/staff/", f"/grants/applications/{waiting.pk}/",
                f"/grants/applications/{application.pk}/", f"/events/{past.pk}/attendance/"],
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
