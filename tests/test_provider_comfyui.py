"""The ComfyUI adapter against a local server speaking ComfyUI's HTTP API (server.py: POST /prompt, GET /queue,
GET /history/{id}, GET /view, POST /queue delete, POST /interrupt, POST /upload/image)."""

import json
import time

import pytest
from django.test import override_settings

from studio.providers import comfyui, common
from studio.providers.base import FailureKind, GenerationRequest, JobState, ProviderError
from tests.provider_servers import (
    assert_is_video,
    closed_url,
    hanging_server,
    no_unexpected_requests,  # noqa: F401 (autouse: the server saw only expected requests)
    tiny_mp4,
)

PROMPT_ID = "3f4c1a9e-8d2b-4b7e-9f0a-1c2d3e4f5a6b"
TOKEN = "comfy-proxy-token"


@pytest.fixture
def provider(httpserver):
    workflows = comfyui.load_workflows(comfyui.DEFAULT_WORKFLOWS)
    return comfyui.ComfyUI(base_url=httpserver.url_for("/"), workflows=workflows, token=TOKEN, timeout=2)


def request(**extra):
    fields = {"model_id": "wan2.1-t2v-1.3b", "prompt": "Moss on wet glass", "duration_seconds": 5, "width": 832}
    return GenerationRequest(**{"height": 480, **fields, **extra})


def queue(running=(), pending=()):
    def item(number, prompt_id):
        return [number, prompt_id, {}, {"client_id": "glasshouse"}, ["11"]]

    return {
        "queue_running": [item(0, prompt_id) for prompt_id in running],
        "queue_pending": [item(index + 1, prompt_id) for index, prompt_id in enumerate(pending)],
    }


def history(status_str="success", completed=True, messages=(), outputs=None):
    saved = {"filename": "5e1f_00001_.mp4", "subfolder": "glasshouse", "type": "output"}
    return {
        PROMPT_ID: {
            "prompt": [1, PROMPT_ID, {}, {}, ["11"]],
            "outputs": {"11": {"images": [saved], "animated": [True]}} if outputs is None else outputs,
            "status": {
                "status_str": status_str,
                "completed": completed,
                "messages": [["execution_start", {"prompt_id": PROMPT_ID, "timestamp": 1764800000000}], *messages],
            },
        }
    }


def test_submit_fills_the_workflow_template_and_queues_it(httpserver, provider):
    httpserver.expect_request("/prompt", method="POST").respond_with_json(
        {"prompt_id": PROMPT_ID, "number": 4, "node_errors": {}}
    )

    submitted = provider.submit(request(seed=42, negative_prompt="blurry"))

    assert submitted.provider_job_id == PROMPT_ID
    sent, _ = httpserver.log[0]
    assert sent.headers["Authorization"] == f"Bearer {TOKEN}"
    body = sent.get_json()
    graph = body["prompt"]
    assert body["client_id"] == "glasshouse"
    assert graph["4"]["inputs"] == {"text": "Moss on wet glass", "clip": ["2", 0]}
    assert graph["5"]["inputs"]["text"] == "blurry"
    assert graph["6"]["inputs"] == {"width": 832, "height": 480, "length": 81, "batch_size": 1}
    assert (graph["8"]["inputs"]["seed"], graph["8"]["inputs"]["steps"], graph["10"]["inputs"]["fps"]) == (42, 30, 16)
    assert graph["11"]["inputs"]["filename_prefix"].startswith("glasshouse/")
    assert "{{" not in json.dumps(graph)


def test_a_style_presets_parameters_override_the_workflows_defaults(httpserver, provider):
    httpserver.expect_request("/prompt", method="POST").respond_with_json({"prompt_id": PROMPT_ID})

    provider.submit(request(extra={"steps": 12, "cfg": "4.5", "lora": "not this model's"}))

    graph = httpserver.log[0][0].get_json()["prompt"]
    sampler = graph["8"]["inputs"]
    assert (sampler["steps"], sampler["cfg"], sampler["sampler_name"], graph["7"]["inputs"]["shift"]) == (
        12,
        4.5,
        "uni_pc",
        8.0,
    )
    assert "not this model's" not in json.dumps(graph)


@pytest.mark.parametrize("bad", [{"steps": "many"}, {"steps": True}, {"cfg": [1]}])
def test_a_parameter_of_the_wrong_type_is_refused_before_anything_is_sent(httpserver, provider, bad):
    with pytest.raises(ProviderError) as raised:
        provider.submit(request(extra=bad))
    assert raised.value.failure == FailureKind.INVALID_INPUT
    assert httpserver.log == []


def test_a_parameter_may_not_take_the_name_of_one_the_studio_fills(tmp_path):
    path = tmp_path / "workflows.json"
    entry = {
        "fps": 8,
        "capabilities": {"durations": [2], "sizes": [[64, 64]]},
        "parameters": {"seed": 1},
        "workflow": {},
    }
    path.write_text(json.dumps({"m": entry}))
    with pytest.raises(ValueError, match="seed"):
        comfyui.load_workflows(path)


def test_a_reference_image_is_uploaded_and_named_in_the_workflow(httpserver, tmp_path):
    workflows = {
        "i2v": {
            "fps": 24,
            "capabilities": {"durations": [4], "sizes": [[1280, 720]], "accepts_reference_image": True},
            "workflow": {
                "1": {"class_type": "LoadImage", "inputs": {"image": "{{reference_image}}"}},
                "2": {"class_type": "SaveVideo", "inputs": {"filename_prefix": "{{filename_prefix}}"}},
            },
        }
    }
    path = tmp_path / "workflows.json"
    path.write_text(json.dumps(workflows))
    provider = comfyui.ComfyUI(base_url=httpserver.url_for("/"), workflows=comfyui.load_workflows(path))
    httpserver.expect_ordered_request("/upload/image", method="POST").respond_with_json(
        {"name": "glasshouse-ref.png", "subfolder": "", "type": "input"}
    )
    httpserver.expect_ordered_request("/prompt", method="POST").respond_with_json({"prompt_id": PROMPT_ID})

    provider.submit(request(model_id="i2v", duration_seconds=4, width=1280, height=720, reference_image=b"\x89PNG"))

    upload = httpserver.log[0][0]
    assert (upload.files["image"].read(), upload.form["type"]) == (b"\x89PNG", "input")
    assert "Authorization" not in upload.headers
    assert httpserver.log[1][0].get_json()["prompt"]["1"]["inputs"]["image"] == "glasshouse-ref.png"


def test_a_workflow_with_an_unknown_placeholder_is_refused_when_loaded(tmp_path):
    path = tmp_path / "workflows.json"
    entry = {
        "fps": 8,
        "capabilities": {"durations": [2], "sizes": [[64, 64]]},
        "workflow": {"1": {"inputs": {"x": "{{sed}}"}}},
    }
    path.write_text(json.dumps({"m": entry}))
    with pytest.raises(ValueError, match="sed"):
        comfyui.load_workflows(path)


def test_a_workflow_comfyui_refuses_is_invalid_input_with_its_node_errors(httpserver, provider):
    httpserver.expect_request("/prompt", method="POST").respond_with_json(
        {
            "error": {"type": "prompt_outputs_failed_validation", "message": "Prompt outputs failed validation"},
            "node_errors": {
                "1": {
                    "errors": [{"type": "value_not_in_list", "message": "Value not in list", "details": "unet_name"}],
                    "dependent_outputs": ["11"],
                    "class_type": "UNETLoader",
                }
            },
        },
        status=400,
    )
    with pytest.raises(ProviderError) as raised:
        provider.submit(request())
    assert (raised.value.failure, raised.value.code) == (FailureKind.INVALID_INPUT, "prompt_outputs_failed_validation")
    assert "1: Value not in list unet_name" in str(raised.value)


def test_poll_reads_the_queue_then_the_history(httpserver, provider):
    cases = [
        (queue(pending=["other", PROMPT_ID]), {}, JobState.QUEUED),
        (queue(running=[PROMPT_ID]), {}, JobState.RUNNING),
        (queue(), history(), JobState.SUCCEEDED),
    ]
    for queue_body, history_body, state in cases:
        httpserver.clear()
        httpserver.expect_request("/queue", method="GET").respond_with_json(queue_body)
        httpserver.expect_request(f"/history/{PROMPT_ID}", method="GET").respond_with_json(history_body)
        assert provider.poll(PROMPT_ID).state == state


def test_a_job_comfyui_forgot_fails_rather_than_waiting_forever(httpserver, provider):
    httpserver.expect_request("/queue").respond_with_json(queue())
    httpserver.expect_request(f"/history/{PROMPT_ID}").respond_with_json({})
    result = provider.poll(PROMPT_ID)
    assert (result.state, result.failure, result.provider_code) == (JobState.FAILED, FailureKind.PROVIDER_ERROR, "LOST")


def test_a_safety_check_node_that_refuses_fails_as_safety(httpserver, provider):
    error = {
        "prompt_id": PROMPT_ID,
        "node_id": "12",
        "node_type": "SafetyChecker",
        "exception_message": "SAFETY: the frames were flagged as explicit.",
        "exception_type": "SafetyCheckError",
        "traceback": [],
    }
    httpserver.expect_request("/queue").respond_with_json(queue())
    httpserver.expect_request(f"/history/{PROMPT_ID}").respond_with_json(
        history("error", completed=False, messages=[["execution_error", error]], outputs={})
    )

    result = provider.poll(PROMPT_ID)

    assert (result.state, result.failure, result.provider_code) == (
        JobState.FAILED,
        FailureKind.SAFETY,
        "SafetyCheckError",
    )
    assert result.provider_message == "SafetyChecker: SAFETY: the frames were flagged as explicit."


def test_an_out_of_memory_error_is_a_provider_error(httpserver, provider):
    error = {
        "node_type": "KSampler",
        "exception_message": "CUDA out of memory.",
        "exception_type": "torch.OutOfMemoryError",
    }
    httpserver.expect_request("/queue").respond_with_json(queue())
    httpserver.expect_request(f"/history/{PROMPT_ID}").respond_with_json(
        history("error", completed=False, messages=[["execution_error", error]], outputs={})
    )
    result = provider.poll(PROMPT_ID)
    assert (result.failure, result.provider_code) == (FailureKind.PROVIDER_ERROR, "torch.OutOfMemoryError")


def test_throttling_by_the_proxy_in_front_raises_throttled_with_retry_after(httpserver, provider):
    httpserver.expect_request("/prompt", method="POST").respond_with_data(
        "Too Many Requests", status=429, headers={"Retry-After": "9"}
    )
    with pytest.raises(ProviderError) as raised:
        provider.submit(request())
    assert (raised.value.failure, raised.value.retry_after) == (FailureKind.THROTTLED, 9)


def test_a_server_error_is_a_provider_error(httpserver, provider):
    httpserver.expect_request("/queue").respond_with_data("Internal Server Error", status=500)
    with pytest.raises(ProviderError) as raised:
        provider.poll(PROMPT_ID)
    assert (raised.value.failure, raised.value.code) == (FailureKind.PROVIDER_ERROR, "500")


def test_fetch_streams_the_saved_video_from_view_in_chunks(httpserver, provider, monkeypatch):
    monkeypatch.setattr(common, "CHUNK_BYTES", 512)
    httpserver.expect_request(f"/history/{PROMPT_ID}").respond_with_json(history())
    httpserver.expect_request(
        "/view", query_string={"filename": "5e1f_00001_.mp4", "subfolder": "glasshouse", "type": "output"}
    ).respond_with_data(tiny_mp4(), content_type="video/mp4")

    chunks = list(provider.fetch(PROMPT_ID))

    assert len(chunks) > 1 and max(len(chunk) for chunk in chunks) == 512
    data = b"".join(chunks)
    assert data == tiny_mp4()
    assert_is_video(data)
    assert httpserver.log[1][0].headers["Authorization"] == f"Bearer {TOKEN}"


def test_a_saved_file_since_removed_or_a_forgotten_history_has_expired(httpserver, provider):
    httpserver.expect_ordered_request(f"/history/{PROMPT_ID}").respond_with_json(history())
    httpserver.expect_ordered_request("/view").respond_with_data("", status=404)
    httpserver.expect_ordered_request(f"/history/{PROMPT_ID}").respond_with_json({})

    for _ in range(2):
        with pytest.raises(ProviderError) as raised:
            b"".join(provider.fetch(PROMPT_ID))
        assert raised.value.failure == FailureKind.EXPIRED


def test_cancel_deletes_a_waiting_job_and_interrupts_only_a_running_one(httpserver, provider):
    httpserver.expect_ordered_request("/queue", method="GET").respond_with_json(queue(pending=[PROMPT_ID]))
    httpserver.expect_ordered_request("/queue", method="POST").respond_with_data("")
    httpserver.expect_ordered_request("/queue", method="GET").respond_with_json(queue(running=[PROMPT_ID]))
    httpserver.expect_ordered_request("/interrupt", method="POST").respond_with_data("")
    httpserver.expect_ordered_request("/queue", method="GET").respond_with_json(queue(running=["someone-else"]))

    for _ in range(3):
        provider.cancel(PROMPT_ID)

    posts = [(entry[0].path, entry[0].get_json()) for entry in httpserver.log if entry[0].method == "POST"]
    assert posts == [("/queue", {"delete": [PROMPT_ID]}), ("/interrupt", {"prompt_id": PROMPT_ID})]
    httpserver.check_assertions()


def test_an_interrupted_job_is_cancelled(httpserver, provider):
    interrupted = {"prompt_id": PROMPT_ID, "node_id": "8", "node_type": "KSampler", "executed": ["1", "2"]}
    httpserver.expect_request("/queue").respond_with_json(queue())
    httpserver.expect_request(f"/history/{PROMPT_ID}").respond_with_json(
        history("error", completed=False, messages=[["execution_interrupted", interrupted]], outputs={})
    )
    assert provider.poll(PROMPT_ID).state == JobState.CANCELLED


def test_a_server_that_hangs_or_is_down_is_unreachable():
    workflows = comfyui.load_workflows(comfyui.DEFAULT_WORKFLOWS)
    with hanging_server() as url:
        started = time.monotonic()
        with pytest.raises(ProviderError) as raised:
            comfyui.ComfyUI(base_url=url, workflows=workflows, timeout=0.5).poll(PROMPT_ID)
    assert raised.value.failure == FailureKind.UNREACHABLE
    assert time.monotonic() - started < 5
    with pytest.raises(ProviderError) as raised:
        comfyui.ComfyUI(base_url=closed_url(), workflows=workflows).submit(request())
    assert raised.value.failure == FailureKind.UNREACHABLE


def test_comfyui_has_no_webhooks(provider):
    assert provider.parse_webhook({}, b"{}") is None


def test_offered_only_when_its_url_is_set():
    with override_settings(COMFYUI_URL=""):
        assert comfyui.from_environment() is None
    with override_settings(COMFYUI_URL="http://127.0.0.1:8188", COMFYUI_WORKFLOWS_PATH=""):
        provider = comfyui.from_environment()
    assert provider.key == "comfyui"
    assert provider.capabilities("wan2.1-t2v-1.3b").sizes == ((832, 480), (480, 832))
    with pytest.raises(ProviderError):
        provider.capabilities("hunyuan")
