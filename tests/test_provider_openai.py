"""The OpenAI Videos adapter, through the real `openai` SDK, against a local server speaking the Videos API's
shapes (openai/types/video.py, video_create_error.py; webhooks per Standard Webhooks)."""

import base64
import hashlib
import hmac
import json
import time

import pytest
from django.test import override_settings

from studio.providers import openai_videos
from studio.providers.base import FailureKind, GenerationRequest, JobState, ProviderError, WebhookRejected
from tests.provider_servers import (
    assert_is_video,
    closed_url,
    hanging_server,
    no_unexpected_requests,  # noqa: F401 (autouse: the server saw only expected requests)
    tiny_mp4,
)

API_KEY = "sk-test-glasshouse"
SECRET_BYTES = b"glasshouse-webhook-secret-bytes!"
WEBHOOK_SECRET = "whsec_" + base64.b64encode(SECRET_BYTES).decode()


def video(status="queued", **extra):
    return {
        "id": "video_68d7512d",
        "object": "video",
        "created_at": 1764800000,
        "model": "sora-2-2025-10-06",
        "progress": 0,
        "seconds": "8",
        "size": "1280x720",
        "status": status,
        **extra,
    }


@pytest.fixture
def provider(httpserver):
    return openai_videos.OpenAIVideos(
        api_key=API_KEY, base_url=httpserver.url_for("/v1"), webhook_secret=WEBHOOK_SECRET, timeout=2
    )


def request(**extra):
    fields = {"model_id": "sora-2", "prompt": "A glasshouse at dawn", "duration_seconds": 8, "width": 1280}
    return GenerationRequest(**{"height": 720, **fields, **extra})


def test_submit_sends_the_prompt_settings_and_reference_as_multipart(httpserver, provider):
    httpserver.expect_request("/v1/videos", method="POST").respond_with_json(video())

    submitted = provider.submit(request(reference_image=b"\x89PNG fake", reference_image_type="image/png"))

    assert submitted.provider_job_id == "video_68d7512d"
    sent, _ = httpserver.log[0]
    assert sent.headers["Authorization"] == f"Bearer {API_KEY}"
    assert sent.form.to_dict() == {
        "prompt": "A glasshouse at dawn",
        "model": "sora-2",
        "seconds": "8",
        "size": "1280x720",
    }
    reference = sent.files["input_reference"]
    assert (reference.read(), reference.mimetype, reference.filename) == (b"\x89PNG fake", "image/png", "reference.png")


def test_poll_normalises_each_status_with_progress(httpserver, provider):
    path = "/v1/videos/video_68d7512d"
    for status, progress, state, expected_progress in [
        ("queued", 0, JobState.QUEUED, 0),
        ("in_progress", 42, JobState.RUNNING, 42),
        ("completed", 100, JobState.SUCCEEDED, 100),
    ]:
        httpserver.clear()
        httpserver.expect_request(path, method="GET").respond_with_json(video(status, progress=progress))
        result = provider.poll("video_68d7512d")
        assert (result.state, result.progress, result.model_version) == (state, expected_progress, "sora-2-2025-10-06")
        assert httpserver.log[0][0].headers["Authorization"] == f"Bearer {API_KEY}"


def test_a_refused_prompt_fails_as_safety_with_openais_code_and_words(httpserver, provider):
    error = {"code": "moderation_blocked", "message": "Your request was blocked by our moderation system."}
    httpserver.expect_request("/v1/videos/video_68d7512d").respond_with_json(video("failed", error=error))

    result = provider.poll("video_68d7512d")

    assert (result.state, result.failure) == (JobState.FAILED, FailureKind.SAFETY)
    assert (result.provider_code, result.provider_message) == ("moderation_blocked", error["message"])


def test_a_prompt_refused_at_submission_raises_safety(httpserver, provider):
    body = {
        "error": {"message": "Blocked by moderation.", "type": "invalid_request_error", "code": "moderation_blocked"}
    }
    httpserver.expect_request("/v1/videos", method="POST").respond_with_json(body, status=400)

    with pytest.raises(ProviderError) as raised:
        provider.submit(request())

    assert (raised.value.failure, raised.value.code) == (FailureKind.SAFETY, "moderation_blocked")


def test_throttling_raises_throttled_with_the_retry_after_and_is_not_retried_by_the_sdk(httpserver, provider):
    body = {"error": {"message": "Rate limit reached.", "type": "requests", "code": "rate_limit_exceeded"}}
    httpserver.expect_request("/v1/videos", method="POST").respond_with_json(
        body, status=429, headers={"Retry-After": "17"}
    )

    with pytest.raises(ProviderError) as raised:
        provider.submit(request())

    assert (raised.value.failure, raised.value.retry_after) == (FailureKind.THROTTLED, 17)
    assert len(httpserver.log) == 1


def test_a_server_error_is_a_provider_error(httpserver, provider):
    httpserver.expect_request("/v1/videos/video_68d7512d").respond_with_json(
        {"error": {"message": "The server had an error.", "type": "server_error", "code": None}}, status=500
    )

    with pytest.raises(ProviderError) as raised:
        provider.poll("video_68d7512d")

    assert (raised.value.failure, raised.value.code) == (FailureKind.PROVIDER_ERROR, "500")
    assert len(httpserver.log) == 1


def test_fetch_streams_the_finished_mp4_in_chunks(httpserver, provider, monkeypatch):
    monkeypatch.setattr(openai_videos, "CHUNK_BYTES", 512)
    httpserver.expect_request("/v1/videos/video_68d7512d/content", method="GET").respond_with_data(
        tiny_mp4(), content_type="video/mp4"
    )

    chunks = list(provider.fetch("video_68d7512d"))

    assert len(chunks) > 1 and max(len(chunk) for chunk in chunks) == 512
    data = b"".join(chunks)
    assert data == tiny_mp4()
    assert_is_video(data)
    assert httpserver.log[0][0].headers["Authorization"] == f"Bearer {API_KEY}"


def test_fetching_an_expired_result_raises_expired(httpserver, provider):
    httpserver.expect_request("/v1/videos/video_68d7512d/content").respond_with_json(
        {"error": {"message": "Video content has expired.", "type": "invalid_request_error", "code": "expired"}},
        status=404,
    )

    with pytest.raises(ProviderError) as raised:
        b"".join(provider.fetch("video_68d7512d"))

    assert raised.value.failure == FailureKind.EXPIRED


def test_a_provider_that_hangs_times_out_as_unreachable():
    with hanging_server() as url:
        provider = openai_videos.OpenAIVideos(api_key=API_KEY, base_url=f"{url}/v1", timeout=0.5)
        started = time.monotonic()
        with pytest.raises(ProviderError) as raised:
            provider.poll("video_68d7512d")
    assert raised.value.failure == FailureKind.UNREACHABLE
    assert time.monotonic() - started < 5


def test_a_provider_that_is_down_is_unreachable():
    provider = openai_videos.OpenAIVideos(api_key=API_KEY, base_url=f"{closed_url()}/v1", timeout=2)
    with pytest.raises(ProviderError) as raised:
        provider.submit(request())
    assert raised.value.failure == FailureKind.UNREACHABLE


def test_cancel_deletes_the_video_and_a_video_already_gone_is_no_error(httpserver, provider):
    httpserver.expect_ordered_request("/v1/videos/video_68d7512d", method="DELETE").respond_with_json(
        {"id": "video_68d7512d", "object": "video.deleted", "deleted": True}
    )
    httpserver.expect_ordered_request("/v1/videos/video_68d7512d", method="DELETE").respond_with_json(
        {"error": {"message": "No video found.", "type": "invalid_request_error", "code": None}}, status=404
    )

    provider.cancel("video_68d7512d")
    provider.cancel("video_68d7512d")

    assert [entry[0].method for entry in httpserver.log] == ["DELETE", "DELETE"]


def test_cancel_that_openai_refuses_while_running_says_so(httpserver, provider):
    httpserver.expect_request("/v1/videos/video_68d7512d", method="DELETE").respond_with_json(
        {"error": {"message": "Video is still in progress.", "type": "invalid_request_error", "code": None}},
        status=400,
    )
    with pytest.raises(ProviderError) as raised:
        provider.cancel("video_68d7512d")
    assert raised.value.failure == FailureKind.INVALID_INPUT


def signed(body: bytes, *, secret: bytes = SECRET_BYTES, timestamp: int | None = None) -> dict[str, str]:
    """Headers as OpenAI sends them (Standard Webhooks: HMAC-SHA256 over "id.timestamp.body")."""
    webhook_id, timestamp = "wh_685342e6c53c8190a1be43f081506c52", timestamp or int(time.time())
    digest = hmac.new(secret, f"{webhook_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": f"v1,{base64.b64encode(digest).decode()}",
    }


def event(kind="video.completed"):
    return json.dumps(
        {"id": "evt_1", "object": "event", "created_at": 1764800000, "type": kind, "data": {"id": "video_68d7512d"}}
    ).encode()


def test_a_signed_webhook_names_the_video_to_poll(provider):
    for kind in ("video.completed", "video.failed"):
        body = event(kind)
        assert provider.parse_webhook(signed(body), body).provider_job_id == "video_68d7512d"


def test_a_signed_webhook_about_something_else_is_ignored(provider):
    body = event("batch.completed")
    assert provider.parse_webhook(signed(body), body) is None


@pytest.mark.parametrize(
    "headers_for",
    [
        pytest.param(lambda body: signed(body, secret=b"someone-else's-secret-bytes-here"), id="wrong-secret"),
        pytest.param(lambda body: signed(event("video.failed")), id="signature-of-another-body"),
        pytest.param(lambda body: signed(body, timestamp=int(time.time()) - 3600), id="replayed-an-hour-late"),
        pytest.param(lambda body: {}, id="unsigned"),
    ],
)
def test_a_webhook_that_does_not_verify_is_rejected(provider, headers_for):
    body = event()
    with pytest.raises(WebhookRejected):
        provider.parse_webhook(headers_for(body), body)


def test_without_a_webhook_secret_every_webhook_is_rejected():
    provider = openai_videos.OpenAIVideos(api_key=API_KEY, base_url=closed_url())
    body = event()
    with pytest.raises(WebhookRejected):
        provider.parse_webhook(signed(body), body)


def test_offered_only_when_its_key_is_set():
    with override_settings(OPENAI_API_KEY=""):
        assert openai_videos.from_environment() is None
    with override_settings(OPENAI_API_KEY=API_KEY, OPENAI_BASE_URL="http://127.0.0.1:9/v1"):
        provider = openai_videos.from_environment()
    assert provider.key == "openai"
    assert provider.capabilities("sora-2-pro-2025-10-06").sizes[-1] == (1792, 1024)
    assert provider.capabilities("sora-2").durations == (4, 8, 12)
    with pytest.raises(ProviderError):
        provider.capabilities("dall-e-3")
