"""What every provider adapter shares: HTTP statuses as failure kinds, and the provider's word on when to retry."""

import email.utils
import time

import pytest

from studio.providers.base import FailureKind
from studio.providers.common import failure_for_status, retry_after_seconds


@pytest.mark.parametrize(
    ("status", "failure"),
    [
        (429, FailureKind.THROTTLED),
        (500, FailureKind.PROVIDER_ERROR),
        (503, FailureKind.PROVIDER_ERROR),
        (400, FailureKind.INVALID_INPUT),
        (422, FailureKind.INVALID_INPUT),
        (401, FailureKind.PROVIDER_ERROR),
        (404, FailureKind.PROVIDER_ERROR),
    ],
)
def test_an_http_status_is_a_failure_kind(status, failure):
    assert failure_for_status(status) == failure


def test_retry_after_in_seconds_milliseconds_or_as_a_date():
    in_a_minute = email.utils.formatdate(time.time() + 60, usegmt=True)
    assert retry_after_seconds({"Retry-After": "17"}) == 17
    assert retry_after_seconds({"retry-after-ms": "2500", "retry-after": "9"}) == 3  # OpenAI's finer one first
    assert 58 <= retry_after_seconds({"Retry-After": in_a_minute}) <= 60
    assert retry_after_seconds({"Retry-After": email.utils.formatdate(time.time() - 60, usegmt=True)}) == 0


@pytest.mark.parametrize("headers", [None, {}, {"Retry-After": ""}, {"Retry-After": "soon"}, {"retry-after-ms": "x"}])
def test_no_usable_retry_after_is_none(headers):
    assert retry_after_seconds(headers) is None
