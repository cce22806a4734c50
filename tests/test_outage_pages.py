"""The site's own 500 and 503 answers (handler500): the layout and what to do next, never the internals."""

import json

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import RequestFactory
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.cache import CacheUnavailable
from portal import outage

SECRET = "db.internal:5432 password authentication failed for user glasshouse"
OUTAGES = [OperationalError(SECRET), CacheUnavailable(SECRET), RedisTimeoutError(SECRET)]


def answer(exc: Exception, path: str = "/programs/", method: str = "get"):
    """What Django answers: it calls handler500 inside the `except` of the failed request."""
    request = getattr(RequestFactory(), method)(path)
    try:
        raise exc
    except Exception:
        return outage.server_error(request)


@pytest.mark.parametrize("exc", OUTAGES, ids=lambda e: type(e).__name__)
def test_an_outage_is_a_503_page_with_retry_after_and_no_details(exc):
    response = answer(exc)
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == str(outage.RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    assert SECRET not in page and "db.internal" not in page and type(exc).__name__ not in page
    assert 'class="site-header"' in page  # the site's own layout
    assert "Try again" in page and 'href="/programs/"' in page  # what to do next: reload this very page


def test_after_a_refused_form_the_503_page_says_to_send_it_again():
    page = answer(CacheUnavailable("add"), path="/accounts/login/", method="post").content.decode()
    assert "send the form again" in page
    assert "Try again" not in page  # a POST cannot be repeated by a link


@pytest.mark.parametrize("exc", OUTAGES, ids=lambda e: type(e).__name__)
def test_the_api_answers_json_503(exc):
    response = answer(exc, path="/api/v1/videos")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == str(outage.RETRY_AFTER_SECONDS)
    assert set(json.loads(response.content)) == {"detail"}
    assert SECRET not in response.content.decode()


def test_a_bug_is_a_plain_500_page_without_the_exception():
    response = answer(ZeroDivisionError(SECRET))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert SECRET not in page and "ZeroDivisionError" not in page
    assert "Something went wrong on our side" in page and 'class="site-header"' in page


def test_a_bug_in_the_api_is_json():
    response = answer(KeyError(SECRET), path="/api/v1/videos/3")
    assert response.status_code == 500
    assert set(json.loads(response.content)) == {"detail"}
    assert SECRET not in response.content.decode()


def test_static_files_are_served_before_any_middleware_that_could_ask_a_service():
    before = settings.MIDDLEWARE[: settings.MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware")]
    assert before == ["django.middleware.security.SecurityMiddleware"]  # reads only the request and settings
