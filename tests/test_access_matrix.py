"""Walk every URL pattern of the project as every role and compare with tests/access_table.py."""

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from submissions.services import approvals
from submissions.services import comments as services_comments
from tests.access_table import ADMIN_REFUSED, EXPECTATIONS, ROLES
from tests.approval_helpers import setup_review, video_in_review
from tests.calls_helpers import add_open_call_world
from tests.comment_helpers import comment_on
from tests.conftest import (
    add_personal_data_world,
    add_report_world,
    add_transparency_world,
    compensation_world,
    enrolment_world,
)
from tests.grants_helpers import add_grants_world
from tests.studio_helpers import add_studio_world
from tests.video_helpers import direct_upload_row, make_video

ALLAUTH_PREFIX = "accounts/"


@dataclass
class Route:
    name: str | None
    route: str
    has_args: bool


def walk(patterns, prefix: str = "", namespace: str = "") -> list[Route]:
    routes = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            routes += walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            route = prefix + str(pattern.pattern)
            routes.append(Route(name, route, has_args="<" in route or "(?P" in route))
    return routes


ALL_ROUTES = walk(get_resolver().url_patterns)
ADMIN_ROUTES = [r for r in ALL_ROUTES if r.route.startswith("admin/")]
ALLAUTH_ROUTES = [r for r in ALL_ROUTES if r.route.startswith(ALLAUTH_PREFIX)]
OWN_ROUTES = [r for r in ALL_ROUTES if r not in ADMIN_ROUTES and r not in ALLAUTH_ROUTES]
# allauth pages that manage an account: anonymous visitors are sent to log in.
ACCOUNT_MANAGEMENT = ("account_email", "account_change_password", "mfa_index", "usersessions_list")


def test_every_own_url_has_a_declared_expectation():
    undeclared = sorted({r.name or r.route for r in OWN_ROUTES} - set(EXPECTATIONS))
    assert not undeclared, f"URLs with no access expectation in tests/access_table.py: {undeclared}"


def test_the_table_names_no_url_that_does_not_exist():
    known = {r.name for r in ALL_ROUTES}
    assert not set(EXPECTATIONS) - known


@pytest.fixture
def world(program, artist, other_artist, reviewer, staff):
    """Everything the URL kwargs refer to. Later issues add their objects here."""

    class World:
        pass

    w = World()
    w.program = program
    enrolment_world(w, program, artist=artist, other_artist=other_artist, reviewer=reviewer, staff=staff)
    setup_review(program, safety=[reviewer], lead=[reviewer], distinct_people=False)
    w.video = make_video(artist, program)
    w.published = video_in_review(artist, program)
    w.direct_upload = direct_upload_row(artist, program)
    for _ in range(2):  # the reviewer sits in both steps' groups
        approvals.review_decide(video_id=w.published.pk, reviewer=reviewer, outcome="approve")
    approvals.video_publish(video_id=w.published.pk, artist=artist)
    w.comment = comment_on(w.published, reviewer)  # processed, so its still is taken (tasks run in process)
    services_comments.comment_take_still(comment_id=w.comment.pk)
    w.users = {"anonymous": None, "artist": artist, "other_artist": other_artist, "reviewer": reviewer, "staff": staff}
    w.compensation = compensation_world(program, artist, staff)
    add_report_world(w)
    add_transparency_world(w)
    add_personal_data_world(w)
    add_studio_world(w)
    add_open_call_world(w)
    add_grants_world(w)
    return w


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_each_role_gets_the_declared_status(client, world, name):
    expect = EXPECTATIONS[name]
    url = reverse(name, kwargs=expect.kwargs(world))
    got = {}
    for role in ROLES:
        client.logout()
        if world.users[role]:
            client.force_login(world.users[role])
        got[role] = client.get(url).status_code
    assert got == dict(zip(ROLES, expect.codes, strict=True)), url


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ADMIN_ROUTES if r.name and not r.has_args], ids=lambda r: r.name)
def test_the_admin_refuses_everyone_but_staff(client, world, route):
    """Anonymous users end at allauth's login (rate limits, MFA); signed-in non-staff end at 403."""
    url = reverse(route.name)
    response = client.get(url, follow=True)
    assert response.request["PATH_INFO"] == reverse("account_login"), f"anonymous reached {url}"
    for role in ("artist", "other_artist", "reviewer"):
        client.force_login(world.users[role])
        response = client.get(url, follow=True)
        assert response.status_code in ADMIN_REFUSED, f"{role} got {response.status_code} at {url}"
    client.force_login(world.users["staff"])
    assert client.get(url).status_code < 500


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ALLAUTH_ROUTES if r.name and not r.has_args], ids=lambda r: r.name)
def test_account_pages_never_fail_and_management_needs_login(client, world, route):
    url = reverse(route.name)
    response = client.get(url)
    assert response.status_code < 500
    if route.name in ACCOUNT_MANAGEMENT:
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    client.force_login(world.users["artist"])
    assert client.get(url).status_code < 500
