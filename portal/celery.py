"""The Celery app. With CELERY_BROKER_URL unset, tasks run eagerly in-process (see settings)."""

import os
from functools import partial

from celery import Celery
from celery.contrib.django.task import DjangoTask
from django.db import transaction

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
