"""Fault injection against the portal as production runs it: gunicorn (DEBUG off) on PostgreSQL and Redis, each
reached through a tests/fault_proxy.py proxy that the test cuts or hangs mid-run. The machine's services are never
touched. Runs on the PostgreSQL + Redis pass of .ci/run (skipped otherwise).

A hung database is hung after a cut here (the server's open connections die, the new ones hang): a userspace proxy
cannot withhold TCP acknowledgements, so a connection that stays open across a real partition is ended by the
keepalive and unacknowledged-data timeouts of settings.py, which this test cannot show.
"""

import time
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.db import connection

from portal import outage
from submissions.services import api_keys
from tests.conftest import make_program, make_user
from tests.fault_proxy import FaultProxy
from tests.gunicorn_server import database_url, get, gunicorn

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not django_settings.REDIS_URL,
        reason="needs PostgreSQL and Redis: the services pass of .ci/run sets DATABASE_URL and REDIS_URL",
    ),
    pytest.mark.django_db(transaction=True),
]

BOUND_SECONDS = 6.0  # connect timeout 2 s (the least libpq allows) plus the app's own work
LEAKS = ("127.0.0.1", "5432", "6379", "postgres", "psycopg", "redis", "OperationalError", "Traceback", "connection")


@pytest.fixture(scope="module")
def proxies():
    pg = connection.settings_dict
    redis = urlsplit(django_settings.CACHES["default"]["LOCATION"])
    with (
        FaultProxy(pg["HOST"] or "127.0.0.1", int(pg["PORT"] or 5432)) as db,
        FaultProxy(redis.hostname, redis.port) as cache,
    ):
        yield db, cache, redis.path


@pytest.fixture(scope="module")
def server(proxies, tmp_path_factory):
    db, cache, redis_db = proxies
    env = {
        "DATABASE_URL": database_url(port=db.port),
        "REDIS_URL": cache.url("redis", redis_db),
        "CELERY_BROKER_URL": "",
        "DB_CONNECT_TIMEOUT": "2",
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
    }
    with gunicorn(env, "--workers", "1", "--worker-class", "gthread", "--threads", "4") as (_, port):
        yield port


@pytest.fixture(autouse=True)
def healthy(proxies):
    """Every test starts and ends with both services reachable."""
    for proxy in proxies[:2]:
        proxy.restore()
    yield
    for proxy in proxies[:2]:
        proxy.restore()


@pytest.fixture
def world(db):
    program = make_program(slug="faults")
    staff = make_user("staff@example.com", is_staff=True, is_superuser=True)
    _, raw = api_keys.api_key_create(program=program, name="Render farm", actor=staff)
    return {"program": program, "key": raw}


def timed(port, path, **kwargs):
    started = time.monotonic()
    status, headers, body = get(port, path, **kwargs)
    return status, headers, body, time.monotonic() - started


def assert_unavailable(status, headers, body, took):
    assert status == 503
    assert headers["Retry-After"] == str(outage.RETRY_AFTER_SECONDS)
    assert not [leak for leak in LEAKS if leak in body], body
    assert took < BOUND_SECONDS


def fault(proxy: FaultProxy, kind: str) -> None:
    proxy.cut()
    if kind == "hang":
        proxy.hang()


PAGES = ["/", "/programs/faults/", "/programs/faults/transparency/", "/gallery/"]


@pytest.mark.parametrize("kind", ["cut", "hang"])
@pytest.mark.parametrize("path", PAGES)
def test_pages_answer_503_with_retry_after_when_the_database_is_away(server, proxies, world, kind, path):
    assert get(server, path)[0] == 200
    fault(proxies[0], kind)
    status, headers, body, took = timed(server, path)
    assert_unavailable(status, headers, body, took)
    assert headers["Content-Type"].startswith("text/html")
    assert "back in a moment" in body
    proxies[0].restore()
    assert get(server, path)[0] == 200  # and back as soon as the database is


@pytest.mark.parametrize("kind", ["cut", "hang"])
def test_the_api_answers_json_503_when_the_database_is_away(server, proxies, world, kind):
    auth = {"Authorization": f"Bearer {world['key']}"}
    assert get(server, "/api/v1/videos/999999", headers=auth)[0] == 404
    fault(proxies[0], kind)
    status, headers, body, took = timed(server, "/api/v1/videos/999999", headers=auth)
    assert_unavailable(status, headers, body, took)
    assert headers["Content-Type"] == "application/json"
    assert "retry" in body


@pytest.mark.parametrize("kind", ["cut", "hang"])
def test_static_files_and_liveness_never_wait_for_the_database(server, proxies, world, kind):
    fault(proxies[0], kind)
    for path in ("/static/css/glasshouse.css", "/healthz"):
        status, _, _, took = timed(server, path)
        assert status == 200
        assert took < 1


def test_readiness_answers_within_3_seconds_with_postgresql_and_redis_hung(server, proxies, world):
    fault(proxies[0], "hang")
    fault(proxies[1], "hang")
    time.sleep(2.1)  # past the memo of the last probe
    status, _, body, took = timed(server, "/readyz")
    assert status == 503
    assert took < 3
    assert '"database": "down"' in body and '"cache": "down"' in body
    assert not [leak for leak in LEAKS if leak in body]


@pytest.mark.parametrize("kind", ["cut", "hang"])
@pytest.mark.parametrize("path", ["/", "/programs/faults/transparency/", "/programs/faults/transparency.json"])
def test_pages_that_only_cache_answer_200_when_redis_is_away(server, proxies, world, kind, path):
    fault(proxies[1], kind)
    status, _, _, took = timed(server, path)
    assert status == 200
    assert took < 3
