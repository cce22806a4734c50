"""The request id: taken from nginx's X-Request-ID (or made), on every log line of the request, carried through the
broker into the tasks it enqueues and their log lines; JSON log lines parse."""

import json
import logging
import threading

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from portal.celery import app
from portal.logs import JsonFormatter, RequestIdFilter, logging_config
from portal.request_id import RequestIdMiddleware, current_request_id
from tests.celery_broker import task_log

pytestmark = pytest.mark.django_db  # the suite's autouse fixtures restore a group row

NGINX_ID = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
task_logger = logging.getLogger("tests.request_id")


@app.task(name="tests.request_id.log_in_task")
def log_in_task() -> str:
    task_logger.warning("running in the worker")
    return current_request_id()


class Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.addFilter(RequestIdFilter())
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def records():
    handler = Records()
    task_logger.addHandler(handler)
    yield handler.records
    task_logger.removeHandler(handler)


def answer(view, **headers):
    return RequestIdMiddleware(view)(RequestFactory().get("/", **headers))


def test_the_proxys_request_id_is_kept_and_echoed():
    response = answer(lambda request: HttpResponse(request.request_id), HTTP_X_REQUEST_ID=NGINX_ID)
    assert response.content.decode() == NGINX_ID and response["X-Request-ID"] == NGINX_ID


@pytest.mark.parametrize("sent", ["", "short", "a" * 65, "bad id with spaces", "<script>alert(1)</script>"])
def test_a_missing_or_malformed_id_is_replaced_by_a_new_one(sent):
    response = answer(lambda request: HttpResponse(request.request_id), HTTP_X_REQUEST_ID=sent)
    made = response.content.decode()
    assert made != sent and len(made) == 32 and int(made, 16) >= 0
    assert response["X-Request-ID"] == made


def test_log_lines_of_a_request_carry_its_id_and_none_after_it(records):
    def view(request):
        task_logger.warning("inside the request")
        return HttpResponse()

    answer(view, HTTP_X_REQUEST_ID=NGINX_ID)
    task_logger.warning("after the request")
    assert [(record.getMessage(), record.request_id) for record in records] == [
        ("inside the request", NGINX_ID),
        ("after the request", ""),
    ]


def test_json_log_lines_parse_with_the_request_id_and_the_exception(records):
    def view(request):
        try:
            raise ValueError("broken clip")
        except ValueError:
            task_logger.exception("could not probe %s", "clip.mp4")
        return HttpResponse()

    answer(view, HTTP_X_REQUEST_ID=NGINX_ID)
    line = JsonFormatter().format(records[0])
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "could not probe clip.mp4" and entry["request_id"] == NGINX_ID
    assert entry["level"] == "ERROR" and entry["logger"] == "tests.request_id"
    assert "ValueError: broken clip" in entry["exception"]


def test_the_json_logging_setting_writes_one_parsable_object_a_line(capsys):
    logging.config.dictConfig(logging_config(level="INFO", json_lines=True))
    try:
        logging.getLogger("tests.request_id.json").info("first")
        logging.getLogger("tests.request_id.json").info("second\nline")
    finally:
        from django.conf import settings

        logging.config.dictConfig(settings.LOGGING)
    lines = capsys.readouterr().err.strip().splitlines()
    assert [json.loads(line)["message"] for line in lines[-2:]] == ["first", "second\nline"]


def test_a_task_run_in_process_keeps_the_requests_id(records):
    response = answer(lambda request: HttpResponse(log_in_task.apply().get()), HTTP_X_REQUEST_ID=NGINX_ID)
    assert response.content.decode() == NGINX_ID
    assert records[-1].request_id == NGINX_ID


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_request_id_reaches_the_log_lines_of_the_task_it_enqueued_through_a_real_worker(celery_worker, records):
    with task_log() as log:
        sent = []
        answer(lambda request: sent.append(log_in_task.delay()) or HttpResponse(), HTTP_X_REQUEST_ID=NGINX_ID)
        assert log.wait_until(lambda: log.settled(sent[0].id), seconds=30)
    assert log.finished[sent[0].id] == ("tests.request_id.log_in_task", "SUCCESS")
    (record,) = [record for record in records if record.getMessage() == "running in the worker"]
    assert record.request_id == NGINX_ID
    assert record.thread != threading.get_ident()  # written by the worker's thread, under the carried id
    assert current_request_id() == ""


def test_djangos_own_line_for_an_error_status_carries_the_id(client, records):
    django_request = logging.getLogger("django.request")
    handler = Records()
    django_request.addHandler(handler)
    try:
        response = client.get("/no-such-page/", HTTP_X_REQUEST_ID=NGINX_ID)
    finally:
        django_request.removeHandler(handler)
    assert response.status_code == 404
    assert [record.request_id for record in handler.records] == [NGINX_ID]
