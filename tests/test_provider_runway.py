"""The Runway adapter, through the real `runwayml` SDK, against a local server speaking Runway's shapes
(runwayml/types/task_retrieve_response.py, text_to_video_create_*.py, image_to_video_create_params.py)."""

import base64
import time

import pytest
from django.test import override_settings

from studio.providers import common, runway
from studio.providers.base import FailureKind, GenerationRequest, JobState, ProviderError
from tests.provider_servers import (
    assert_is_video,
    closed_url,
    hanging_server,
    no_unexpected_requests,  # noqa: F401 (autouse: the server saw only expected requests)
    tiny_mp4,
)

SECRET = "key_test_glasshouse"
TASK_ID = "17f20503-6c24-4c16-946b-35dbbce2af2f"
TASK_PATH = f"/v1/tasks/{TASK_ID}"


def task(status, **extra):
    body = {"id": TASK_ID, "createdAt": "2026-12-04T21:00:00.000Z", "status": status}
    if status in ("PENDING", "THROTTLED", "RUNNING"):
        body["estimatedCost"] = {"credits": 40}
    else:
        body["cost"] = {"credits": 40}
    return {**body, **extra}


@pytest.fixture
def provider(httpserver):
    return runway.Runway(api_key=SECRET, base_url=httpserver.url_for("").rstrip("/"), timeout=2)


def request(**extra):
    fields = {"model_id": "gen4.5", "prompt": "Rain on a glass roof", "duration_seconds": 5, "width": 1280}
    return GenerationRequest(**{"height": 720, **fields, **extra})


def created():
    return {"id": TASK_ID, "estimatedCost": {"credits": 50}}


def test_text_to_video_sends_the_documented_body_and_version_header(httpserver, provider):
    httpserver.expect_request("/v1/text_to_video", method="POST").respond_with_json(created())

    submitted = provider.submit(request(seed=42))

    assert submitted.provider_job_id == TASK_ID
    sent, _ = httpserver.log[0]
    assert sent.headers["Authorization"] == f"Bearer {SECRET}"
    assert sent.headers["X-Runway-Version"] == "2024-11-06"
    assert sent.get_json() == {
        "model": "gen4.5",
        "promptText": "Rain on a glass roof",
        "ratio": "1280:720",
        "duration": 5,
        "seed": 42,
    }


def test_a_reference_image_goes_to_image_to_video_as_a_data_uri(httpserver, provider):
    httpserver.expect_request("/v1/image_to_video", method="POST").respond_with_json(created())

    provider.submit(
        request(
            model_id="veo3.1",
            duration_seconds=6,
            width=1080,
            height=1920,
            negative_prompt="no people",
            reference_image=b"\x89PNG still",
            reference_image_type="image/png",
        )
    )

    body = httpserver.log[0][0].get_json()
    assert body["promptImage"] == "data:image/png;base64," + base64.b64encode(b"\x89PNG still").decode()
    assert (body["model"], body["ratio"], body["duration"], body["negativePrompt"]) == (
        "veo3.1",
        "1080:1920",
        6,
        "no people",
    )


def test_poll_normalises_every_status(httpserver, provider):
    cases = [
        (task("PENDING"), JobState.QUEUED, None, ""),
        (task("THROTTLED"), JobState.QUEUED, None, "THROTTLED"),
        (task("RUNNING", progress=0.37), JobState.RUNNING, 37, ""),
        (task("SUCCEEDED", output=["https://cdn.example/x.mp4"]), JobState.SUCCEEDED, 100, ""),
        (task("CANCELLED"), JobState.CANCELLED, None, ""),
    ]
    for body, state, progress, code in cases:
        httpserver.clear()
        httpserver.expect_request(TASK_PATH, method="GET").respond_with_json(body)
        result = provider.poll(TASK_ID)
        assert (result.state, result.progress, result.provider_code) == (state, progress, code)
        assert httpserver.log[0][0].headers["X-Runway-Version"] == "2024-11-06"


@pytest.mark.parametrize(
    ("code", "failure"),
    [
        ("SAFETY.INPUT.TEXT", FailureKind.SAFETY),
        ("SAFETY.OUTPUT.VIDEO", FailureKind.SAFETY),
        ("INPUT_PREPROCESSING.SAFETY.TEXT", FailureKind.SAFETY),
        ("ASSET.INVALID", FailureKind.INVALID_INPUT),
        ("INTERNAL.BAD_OUTPUT.CODE01", FailureKind.PROVIDER_ERROR),
    ],
)
def test_a_failed_task_keeps_runways_code_and_reason(httpserver, provider, code, failure):
    reason = "The prompt was flagged by our content moderation."
    httpserver.expect_request(TASK_PATH).respond_with_json(task("FAILED", failure=reason, failureCode=code))

    result = provider.poll(TASK_ID)

    assert (result.state, result.failure, result.provider_code, result.provider_message) == (
        JobState.FAILED,
        failure,
        code,
        reason,
    )


def test_throttling_at_submission_raises_throttled_with_retry_after_once(httpserver, provider):
    httpserver.expect_request("/v1/text_to_video", method="POST").respond_with_json(
        {"error": "You have exceeded your rate limit."}, status=429, headers={"Retry-After": "30"}
    )

    with pytest.raises(ProviderError) as raised:
        provider.submit(request())

    assert (raised.value.failure, raised.value.retry_after) == (FailureKind.THROTTLED, 30)
    assert str(raised.value) == "You have exceeded your rate limit."
    assert len(httpserver.log) == 1


def test_a_bad_setting_is_invalid_input(httpserver, provider):
    httpserver.expect_request("/v1/text_to_video", method="POST").respond_with_json(
        {"error": "Validation of body failed", "issues": [{"path": ["ratio"], "message": "Invalid enum value"}]},
        status=400,
    )
    with pytest.raises(ProviderError) as raised:
        provider.submit(request())
    assert raised.value.failure == FailureKind.INVALID_INPUT


def test_a_server_error_is_a_provider_error_not_retried(httpserver, provider):
    httpserver.expect_request(TASK_PATH).respond_with_json({"error": "Internal error"}, status=502)
    with pytest.raises(ProviderError) as raised:
        provider.poll(TASK_ID)
    assert (raised.value.failure, raised.value.code) == (FailureKind.PROVIDER_ERROR, "502")
    assert len(httpserver.log) == 1


def test_fetch_asks_for_a_fresh_link_then_streams_it_in_chunks_without_our_secret(httpserver, provider, monkeypatch):
    monkeypatch.setattr(common, "CHUNK_BYTES", 512)
    output = httpserver.url_for("/cdn/task-output.mp4") + "?_jwt=signed-for-48h"
    httpserver.expect_request(TASK_PATH).respond_with_json(task("SUCCEEDED", output=[output]))
    httpserver.expect_request("/cdn/task-output.mp4").respond_with_data(tiny_mp4(), content_type="video/mp4")

    chunks = list(provider.fetch(TASK_ID))

    assert len(chunks) > 1 and max(len(chunk) for chunk in chunks) == 512
    data = b"".join(chunks)

    assert data == tiny_mp4()
    assert_is_video(data)
    download = httpserver.log[1][0]
    assert download.args["_jwt"] == "signed-for-48h"
    assert "Authorization" not in download.headers


@pytest.mark.parametrize("status", [403, 404, 410])
def test_an_expired_output_link_raises_expired(httpserver, provider, status):
    output = httpserver.url_for("/cdn/task-output.mp4")
    httpserver.expect_request(TASK_PATH).respond_with_json(task("SUCCEEDED", output=[output]))
    httpserver.expect_request("/cdn/task-output.mp4").respond_with_data(b"<Error>AccessDenied</Error>", status=status)

    with pytest.raises(ProviderError) as raised:
        b"".join(provider.fetch(TASK_ID))

    assert (raised.value.failure, raised.value.code) == (FailureKind.EXPIRED, str(status))


def test_a_task_runway_has_deleted_has_expired(httpserver, provider):
    httpserver.expect_request(TASK_PATH).respond_with_json({"error": "Task not found"}, status=404)
    with pytest.raises(ProviderError) as raised:
        b"".join(provider.fetch(TASK_ID))
    assert raised.value.failure == FailureKind.EXPIRED


def test_a_provider_that_hangs_times_out_as_unreachable():
    with hanging_server() as url:
        provider = runway.Runway(api_key=SECRET, base_url=url, timeout=0.5)
        started = time.monotonic()
        with pytest.raises(ProviderError) as raised:
            provider.submit(request())
    assert raised.value.failure == FailureKind.UNREACHABLE
    assert time.monotonic() - started < 5


def test_a_provider_that_is_down_is_unreachable():
    with pytest.raises(ProviderError) as raised:
        runway.Runway(api_key=SECRET, base_url=closed_url()).poll(TASK_ID)
    assert raised.value.failure == FailureKind.UNREACHABLE


def test_cancel_deletes_the_task_and_a_task_already_gone_is_no_error(httpserver, provider):
    httpserver.expect_ordered_request(TASK_PATH, method="DELETE").respond_with_data("", status=204)
    httpserver.expect_ordered_request(TASK_PATH, method="DELETE").respond_with_json({"error": "Not found"}, status=404)

    provider.cancel(TASK_ID)
    provider.cancel(TASK_ID)

    assert [entry[0].method for entry in httpserver.log] == ["DELETE", "DELETE"]
    assert httpserver.log[0][0].headers["X-Runway-Version"] == "2024-11-06"


def test_runway_has_no_webhooks(provider):
    assert provider.parse_webhook({"webhook-signature": "v1,xyz"}, b"{}") is None


def test_offered_only_when_its_secret_is_set():
    with override_settings(RUNWAYML_API_SECRET=""):
        assert runway.from_environment() is None
    with override_settings(RUNWAYML_API_SECRET=SECRET):
        provider = runway.from_environment()
    assert provider.key == "runway"
    assert provider.capabilities("gen4.5").durations == tuple(range(2, 11))
    assert provider.capabilities("veo3.1_fast").accepts_negative_prompt
    with pytest.raises(ProviderError):
        provider.capabilities("gen2")
