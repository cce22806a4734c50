"""Log lines for people (the default) or for a log pipeline (LOG_FORMAT=json: one JSON object a line), each with
the request id (portal.request_id) and, in a worker, the task it comes from."""

import json
import logging
from datetime import UTC, datetime

from celery import current_task

from portal.request_id import current_request_id

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class RequestIdFilter(logging.Filter):
    """Gives every record the request id it was written under (empty outside a request or a task it enqueued).
    Django logs a response's error status after the middleware has returned, with the request attached."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            request = getattr(record, "request", None)
            record.request_id = getattr(request, "request_id", "") or current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", ""),
        }
        if current_task and current_task.request.id:
            entry["task"], entry["task_id"] = current_task.name, current_task.request.id
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def logging_config(*, level: str, json_lines: bool) -> dict:
    """Django's LOGGING: everything to standard error, through the request id filter."""
    formatter = {"()": JsonFormatter} if json_lines else {"format": TEXT_FORMAT}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {"default": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": "default"}},
        "root": {"handlers": ["console"], "level": level},
        # fontTools reports every font subset it makes for a statement PDF, and httpx every request the studio's
        # poller makes to a provider (a thousand every few seconds), at INFO: noise, not news.
        "loggers": {"fontTools": {"level": "WARNING"}, "httpx": {"level": "WARNING"}},
    }
