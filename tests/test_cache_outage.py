"""Redis away or hung (through tests/fault_proxy.py, so no Redis is needed): what only caches degrades, what guards
sign-in refuses with a 503, and nothing waits on a hung Redis for more than its socket timeout."""

import logging
import time

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.cache import CacheUnavailable
from portal import outage
from submissions.services import api_keys
from tests.conftest import PASSWORD
from tests.fault_proxy import FaultProxy
from tests.video_helpers import clip

FAULTS = ["cut", "hang"]
BOUND_SECONDS = 3.0  # a hung Redis costs one 0.5 s timeout per call, then the cache is skipped for a while


@pytest.fixture(params=FAULTS)
def redis_away(request, settings):
    """The site's cache pointed at a proxy that resets (cut) or never answers (hang) every connection."""
    with FaultProxy() as proxy:
        getattr(proxy, request.param)()
        settings.CACHES = {
            "default": {
                "BACKEND": "core.cache.DegradingRedisCache",
                "LOCATION": proxy.url("redis", "/0"),
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
        yield request.param


@pytest.fixture
def browser():
    """A client that gets the page a person would get, rather than the exception."""
    return Client(raise_request_exception=False)


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


@pytest.mark.django_db
def test_reads_miss_and_writes_are_dropped_with_a_warning(redis_away, caplog):
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        cache.set("k", "v")
        assert cache.get("k", "fallback") == "fallback"
        assert cache.get_many(["k"]) == {}
        assert cache.delete("k") is False
    assert "Cache unavailable" in caplog.text


@pytest.mark.django_db
@pytest.mark.parametrize("claim", [lambda: cache.add("lock", 1), lambda: cache.incr("n"), lambda: cache.decr("n")])
def test_claims_refuse_rather_than_pretend(redis_away, claim):
    with pytest.raises(CacheUnavailable):
        claim()


@pytest.mark.django_db
def test_after_one_failure_the_cache_is_skipped_without_waiting(redis_away):
    cache.get("first")  # pays the timeout once
    _, took = timed(lambda: [cache.get(f"k{n}") for n in range(50)])
    assert took < 0.2


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["home", "transparency:report", "transparency:report_json", "account_login"])
def test_pages_that_only_cache_answer_200(redis_away, browser, program, name):
    url = reverse(name, kwargs={"slug": program.slug}) if name.startswith("transparency:") else reverse(name)
    response, took = timed(lambda: browser.get(url))
    assert response.status_code == 200
    assert took < BOUND_SECONDS


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, data",
    [
        ("account_login", {"login": "artist@example.com", "password": PASSWORD}),
        ("account_signup", {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD}),
        ("account_reset_password", {"email": "artist@example.com"}),
        ("account_request_login_code", {"email": "artist@example.com"}),
    ],
)
def test_sign_in_refuses_with_503_rather_than_run_without_its_rate_limits(redis_away, browser, artist, url, data):
    response, took = timed(lambda: browser.post(reverse(url), data))
    assert response.status_code == 503
    assert response["Retry-After"] == str(outage.RETRY_AFTER_SECONDS)
    page = response.content.decode()
    assert "back in a moment" in page
    assert "127.0.0.1" not in page and "Error" not in page
    assert "_auth_user_id" not in browser.session
    assert took < BOUND_SECONDS


@pytest.mark.django_db
def test_the_api_runs_without_its_per_key_limit_and_says_so_in_the_log(
    redis_away, client, program, staff, artist, caplog, tasks_in_process
):
    _, raw = api_keys.api_key_create(program=program, name="Render farm", actor=staff)
    upload = SimpleUploadedFile("render.mp4", clip(), content_type="video/mp4")
    data = {"artist": artist.email, "prompt": "Fog", "model_name": "Lumen", "external_id": "g-1", "file": upload}
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        created, took = timed(lambda: client.post("/api/v1/videos", data, headers={"Authorization": f"Bearer {raw}"}))
    assert created.status_code == 201, created.content
    assert took < BOUND_SECONDS + 2  # the clip is processed in-process here
    fetched = client.get(f"/api/v1/videos/{created.json()['id']}", headers={"Authorization": f"Bearer {raw}"})
    assert fetched.status_code == 200
    assert "carrying on without the cache" in caplog.text
