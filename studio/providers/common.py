"""What the provider adapters share: timeouts, HTTP status -> FailureKind, streamed downloads of result links.

The SDK clients are built with no automatic retries: the studio's own queue retries with its own backoff and
records every attempt, so an SDK retrying silently would hide throttling and outages from it.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Iterator, Mapping

import httpx
import httpx2  # the openai and google-genai SDKs send through httpx2, a fork of httpx with its own exceptions

from studio.providers.base import FailureKind, ProviderError

CHUNK_BYTES = 1024 * 1024  # a download is handed on a megabyte at a time, never held whole
CONNECT_SECONDS = 5.0
# The result links' hosts send a large file slowly at times: the read timeout applies between chunks, not overall.
DOWNLOAD_READ_SECONDS = 60.0
# The status codes a result link answers once it has expired or been deleted.
EXPIRED_STATUSES = frozenset({403, 404, 410})
# No answer: refused, reset, timed out (httpx's and httpx2's).
TRANSPORT_ERRORS = (httpx.TransportError, httpx2.TransportError)


def api_timeout(seconds: float) -> httpx.Timeout:
    """A call to a provider's API: connect quickly, wait `seconds` for the answer."""
    return httpx.Timeout(seconds, connect=CONNECT_SECONDS)


def failure_for_status(status: int) -> FailureKind:
    """The category of an HTTP error status from a provider's API (not from a result link)."""
    if status == 429:
        return FailureKind.THROTTLED
    if status >= 500:
        return FailureKind.PROVIDER_ERROR
    if status in (400, 409, 413, 415, 422):
        return FailureKind.INVALID_INPUT
    # 401/403: our credentials are wrong or revoked; 404: the provider lost the job. Nothing the artist can change.
    return FailureKind.PROVIDER_ERROR


def retry_after_seconds(headers: Mapping[str, str] | None) -> int | None:
    """Retry-After (seconds or an HTTP date) or OpenAI's retry-after-ms, as whole seconds; None when absent."""
    if not headers:
        return None
    lowered = {key.lower(): value for key, value in headers.items()}
    if milliseconds := lowered.get("retry-after-ms"):
        try:
            return max(0, round(float(milliseconds) / 1000))
        except ValueError:
            pass
    raw = lowered.get("retry-after", "").strip()
    if not raw:
        return None
    if raw.isdigit():
        return int(raw)
    try:
        parsed = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return max(0, round(parsed.timestamp() - time.time()))


def http_error(status: int, message: str, *, code: str = "", headers: Mapping[str, str] | None = None) -> ProviderError:
    """A ProviderError for an HTTP error answer, keeping the provider's code and its Retry-After."""
    return ProviderError(
        failure_for_status(status),
        message or f"HTTP {status}",
        code=code or str(status),
        retry_after=retry_after_seconds(headers),
    )


def unreachable(error: Exception) -> ProviderError:
    kind = (
        "timed out" if isinstance(error, httpx.TimeoutException | httpx2.TimeoutException) else "could not be reached"
    )
    return ProviderError(FailureKind.UNREACHABLE, f"The provider {kind}: {error}", code=type(error).__name__)


def stream_download(
    client: httpx.Client, url: str, *, headers: Mapping[str, str] | None = None, params: Mapping[str, str] | None = None
) -> Iterator[bytes]:
    """Yield a result link's bytes in chunks. An expired or deleted link raises ProviderError(EXPIRED); the
    connection is closed when the caller stops early."""
    try:
        with client.stream("GET", url, headers=headers, params=params) as response:
            if response.status_code in EXPIRED_STATUSES:
                raise ProviderError(
                    FailureKind.EXPIRED,
                    f"The result link answered {response.status_code}: it has expired or was deleted.",
                    code=str(response.status_code),
                )
            if response.status_code >= 400:
                raise http_error(response.status_code, _short_text(response), headers=response.headers)
            yield from response.iter_bytes(CHUNK_BYTES)
    except httpx.TransportError as error:
        raise unreachable(error) from error


def download_client() -> httpx.Client:
    """A client for result links: no redirects beyond a few, a timeout between chunks, never a whole-file read."""
    return httpx.Client(
        timeout=httpx.Timeout(DOWNLOAD_READ_SECONDS, connect=CONNECT_SECONDS),
        follow_redirects=True,
        max_redirects=5,
    )


def _short_text(response: httpx.Response, limit: int = 500) -> str:
    """The start of an error answer's body, for the provider's message (a streamed body is not read whole)."""
    try:
        for chunk in response.iter_bytes(limit):
            return chunk[:limit].decode("utf-8", "replace")
    except httpx.HTTPError:
        pass
    return ""
