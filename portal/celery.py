"""The Celery app. With CELERY_BROKER_URL unset, tasks run eagerly in-process (see settings)."""

import logging.config
import os
from functools import partial

from celery import Celery
from celery.contrib.django.task import DjangoTask
from celery.signals import setup_logging
from django.conf import settings
from django.db import transaction

from portal import request_id  # noqa: F401  (carries the request id into the tasks a request enqueues)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


class Task(DjangoTask):
    def delay_on_commit(self, *args, **kwargs) -> None:
        """Send the task once the caller's transaction commits. The action is saved by then, so a broker that is
        away (or a task that fails in-process) is logged and never turns it into an error; the sweepers send
        again what was not sent (videos waiting to be processed, exports waiting to be built, mail in the outbox)."""
        transaction.on_commit(partial(self.delay, *args, **kwargs), robust=True)


app = Celery("portal", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect(weak=False)
def use_django_logging(**kwargs) -> None:
    """Workers and beat log like the web (settings.LOGGING: the request id, JSON lines with LOG_FORMAT=json)
    instead of Celery's own format."""
    logging.config.dictConfig(settings.LOGGING)
