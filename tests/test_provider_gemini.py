"""The Google Veo adapter, through the real `google-genai` SDK (Vertex AI express mode), against a local server
speaking the shapes the SDK converts (models.py _GenerateVideosParameters_to_vertex, operations.py
_fetch_predict_videos_operation, _GenerateVideosOperation_from_vertex; errors as google.rpc Status)."""

import base64
import time

import pytest
from django.test import override_settings

from studio.providers import gemini
from studio.providers.base import FailureKind, GenerationRequest, JobState, ProviderError
from tests.provider_servers import (
    assert_is_video,
    closed_url,
    hanging_server,
    no_unexpected_requests,  # noqa: F401 (autouse: the server saw only expected requests)
    tiny_mp4,
)

API_KEY = "AQ.test-glasshouse"
MODEL = "veo-3.1-generate-001"
OPERATION = f"projects/glasshouse/locations/us-central1/publishers/google/models/{MODEL}/operations/7c1e2d"
START_PATH = f"/v1beta1/publishers/google/models/{MODEL}:predictLongRunning"
FETCH_PATH = (
    f"/v1beta1/projects/glasshouse/locations/us-central1/publishers/google/models/{MODEL}:fetchPredictOperation"
)


@pytest.fixture
def provider(httpserver):
    return gemini.GeminiVeo(api_key=API_KEY, base_url=httpserver.url_for("/"), timeout=2)


def request(**extra):
    fields = {"model_id": MODEL, "prompt": "Fog rolling through a glasshouse", "duration_seconds": 8, "width": 1920}
    return GenerationRequest(**{"height": 1080, **fields, **extra})


def finished(response):
    return {"name": OPERATION, "done": True, "response": response}


def with_video(**video):
    return finished(
        {"@type": "type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse", "videos": [video]}
    )


def test_submit_starts_a_long_running_operation_with_every_setting(httpserver, provider):
    httpserver.expect_request(START_PATH, method="POST").respond_with_json({"name": OPERATION})

    submitted = provider.submit(
        request(
            seed=7, negative_prompt="text overlays", reference_image=b"\x89PNG still", reference_image_type="image/png"
        )
    )

    assert submitted.provider_job_id == OPERATION
    sent, _ = httpserver.log[0]
    assert sent.headers["x-goog-api-key"] == API_KEY
    assert sent.get_json() == {
        "instances": [
            {
                "prompt": "Fog rolling through a glasshouse",
                "image": {"bytesBase64Encoded": base64.b64encode(b"\x89PNG still").decode(), "mimeType": "image/png"},
            }
        ],
        "parameters": {
            "sampleCount": 1,
            "durationSeconds": 8,
            "seed": 7,
            "aspectRatio": "16:9",
            "resolution": "1080p",
            "negativePrompt": "text overlays",
        },
    }


def test_veo_2_is_asked_for_no_resolution(httpserver, provider):
    httpserver.expect_request(
        "/v1beta1/publishers/google/models/veo-2.0-generate-001:predictLongRunning"
    ).respond_with_json({"name": OPERATION})
    provider.submit(request(model_id="veo-2.0-generate-001", duration_seconds=5, width=720, height=1280))
    parameters = httpserver.log[0][0].get_json()["parameters"]
    assert parameters == {"sampleCount": 1, "durationSeconds": 5, "aspectRatio": "9:16"}


def test_a_size_veo_does_not_make_is_refused_before_any_request(httpserver, provider):
    with pytest.raises(ProviderError) as raised:
        provider.submit(request(width=1000, height=1000))
    assert raised.value.failure == FailureKind.INVALID_INPUT
    assert httpserver.log == []


def test_poll_asks_for_the_operation_and_normalises_it(httpserver, provider):
    for body, state in [
        ({"name": OPERATION}, JobState.RUNNING),
        (
            with_video(bytesBase64Encoded=base64.b64encode(tiny_mp4()).decode(), mimeType="video/mp4"),
            JobState.SUCCEEDED,
        ),
    ]:
        httpserver.clear()
        httpserver.expect_request(FETCH_PATH, method="POST").respond_with_json(body)
        assert provider.poll(OPERATION).state == state
        sent = httpserver.log[0][0]
        assert (sent.get_json(), sent.headers["x-goog-api-key"]) == ({"operationName": OPERATION}, API_KEY)


def test_a_video_filtered_by_responsible_ai_fails_as_safety_with_googles_reasons(httpserver, provider):
    reason = (
        "Unable to generate videos because the prompt violates Vertex AI's usage guidelines. Support codes: 58061214"
    )
    httpserver.expect_request(FETCH_PATH).respond_with_json(
        finished({"raiMediaFilteredCount": 1, "raiMediaFilteredReasons": [reason]})
    )

    result = provider.poll(OPERATION)

    assert (result.state, result.failure) == (JobState.FAILED, FailureKind.SAFETY)
    assert (result.provider_code, result.provider_message) == ("RAI_MEDIA_FILTERED", reason)


@pytest.mark.parametrize(
    ("code", "message", "failure"),
    [
        (3, "The prompt could not be submitted: it might violate our usage guidelines.", FailureKind.SAFETY),
        (3, "durationSeconds must be one of 4, 6, 8.", FailureKind.INVALID_INPUT),
        (8, "Quota exceeded for online_prediction_requests_per_base_model.", FailureKind.THROTTLED),
        (13, "Internal error encountered.", FailureKind.PROVIDER_ERROR),
    ],
)
def test_an_operation_that_failed_keeps_googles_code_and_message(httpserver, provider, code, message, failure):
    httpserver.expect_request(FETCH_PATH).respond_with_json(
        {"name": OPERATION, "done": True, "error": {"code": code, "message": message}}
    )
    result = provider.poll(OPERATION)
    assert (result.state, result.failure, result.provider_code, result.provider_message) == (
        JobState.FAILED,
        failure,
        str(code),
        message,
    )


def test_throttling_raises_throttled_with_retry_after_and_is_not_retried(httpserver, provider):
    httpserver.expect_request(START_PATH).respond_with_json(
        {"error": {"code": 429, "message": "Resource exhausted.", "status": "RESOURCE_EXHAUSTED"}},
        status=429,
        headers={"Retry-After": "12"},
    )
    with pytest.raises(ProviderError) as raised:
        provider.submit(request())
    assert (raised.value.failure, raised.value.retry_after, raised.value.code) == (FailureKind.THROTTLED, 12, "429")
    assert len(httpserver.log) == 1


def test_a_server_error_is_a_provider_error_not_retried(httpserver, provider):
    httpserver.expect_request(FETCH_PATH).respond_with_json(
        {"error": {"code": 503, "message": "The service is currently unavailable.", "status": "UNAVAILABLE"}},
        status=503,
    )
    with pytest.raises(ProviderError) as raised:
        provider.poll(OPERATION)
    assert (raised.value.failure, str(raised.value)) == (
        FailureKind.PROVIDER_ERROR,
        "The service is currently unavailable.",
    )
    assert len(httpserver.log) == 1


def test_fetch_hands_on_an_inline_video_in_chunks(httpserver, provider, monkeypatch):
    monkeypatch.setattr(gemini, "CHUNK_BYTES", 512)
    encoded = base64.b64encode(tiny_mp4()).decode()
    httpserver.expect_request(FETCH_PATH).respond_with_json(
        with_video(bytesBase64Encoded=encoded, mimeType="video/mp4")
    )

    chunks = list(provider.fetch(OPERATION))

    assert len(chunks) > 1 and max(len(chunk) for chunk in chunks) == 512
    assert_is_video(b"".join(chunks))


def test_an_operation_google_no_longer_keeps_has_expired(httpserver, provider):
    httpserver.expect_request(FETCH_PATH).respond_with_json(
        {"error": {"code": 404, "message": "Operation not found.", "status": "NOT_FOUND"}}, status=404
    )
    with pytest.raises(ProviderError) as raised:
        b"".join(provider.fetch(OPERATION))
    assert (raised.value.failure, raised.value.code) == (FailureKind.EXPIRED, "404")


def test_a_video_written_to_a_bucket_is_refused_with_a_clear_reason(httpserver, provider):
    httpserver.expect_request(FETCH_PATH).respond_with_json(with_video(gcsUri="gs://bucket/sample_0.mp4"))
    with pytest.raises(ProviderError, match=r"gs://bucket/sample_0\.mp4"):
        b"".join(provider.fetch(OPERATION))


def test_a_provider_that_hangs_times_out_as_unreachable():
    with hanging_server() as url:
        provider = gemini.GeminiVeo(api_key=API_KEY, base_url=f"{url}/", timeout=0.5)
        started = time.monotonic()
        with pytest.raises(ProviderError) as raised:
            provider.poll(OPERATION)
    assert raised.value.failure == FailureKind.UNREACHABLE
    assert time.monotonic() - started < 5


def test_a_provider_that_is_down_is_unreachable():
    with pytest.raises(ProviderError) as raised:
        gemini.GeminiVeo(api_key=API_KEY, base_url=f"{closed_url()}/").submit(request())
    assert raised.value.failure == FailureKind.UNREACHABLE


def test_cancel_sends_nothing_because_google_cannot_cancel_and_there_are_no_webhooks(httpserver, provider):
    provider.cancel(OPERATION)
    assert httpserver.log == []
    assert provider.parse_webhook({}, b"{}") is None


def test_offered_only_when_its_key_is_set():
    with override_settings(GEMINI_API_KEY=""):
        assert gemini.from_environment() is None
    with override_settings(GEMINI_API_KEY=API_KEY, GEMINI_BASE_URL="http://127.0.0.1:9/"):
        provider = gemini.from_environment()
    assert provider.key == "gemini"
    assert provider.capabilities("veo-3.1-fast-generate-001").sizes[-1] == (1080, 1920)
    with pytest.raises(ProviderError):
        provider.capabilities("imagen-4.0-generate-001")
