"""One id per request, from nginx's X-Request-ID (or made here), carried into every log line the request writes and
into the Celery tasks it enqueues, whose log lines carry it too: one id finds a request's whole story in the logs,
the web's and the workers' alike."""

import contextvars
import re
import uuid

from celery.signals import before_task_publish, task_postrun, task_prerun

HEADER = "X-Request-ID"
TASK_HEADER = "request_id"  # the Celery message header that carries it
WELL_FORMED = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")  # nginx's $request_id is 32 hex digits

_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
_task_tokens: dict[str, contextvars.Token] = {}


def current_request_id() -> str:
    return _current.get()


class RequestIdMiddleware:
    """First in MIDDLEWARE: the proxy's id when it sent a well-formed one, else a new one; echoed in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        request.request_id = incoming if WELL_FORMED.match(incoming) else uuid.uuid4().hex
        token = _current.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request.request_id
        return response


@before_task_publish.connect(weak=False)
def _carry_into_task(headers=None, **kwargs) -> None:
    if headers is not None and (request_id := _current.get()):
        headers.setdefault(TASK_HEADER, request_id)


@task_prerun.connect(weak=False)
def _adopt_in_task(task_id=None, task=None, **kwargs) -> None:
    """In the worker, the task runs under the id of the request that enqueued it (a task run in-process keeps the
    request's own)."""
    carried = getattr(task.request, TASK_HEADER, None) or _current.get()
    _task_tokens[task_id] = _current.set(carried)


@task_postrun.connect(weak=False)
def _forget_after_task(task_id=None, **kwargs) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        try:
            _current.reset(token)
        except ValueError:  # set in another context (a thread pool switched): leave no id behind instead
            _current.set("")
