"""Queues per workload: every task is routed by its name, fits its queue's time limit, and a worker that names its
queues runs only theirs while the other queues' tasks wait in Redis for their own workers."""

import pytest
import redis
from django.conf import settings

from portal import queues
from portal.celery import app
from tests.celery_broker import task_log

pytestmark = pytest.mark.django_db  # the suite's autouse fixtures restore a group row


@pytest.fixture(scope="module")
def registered_tasks(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():  # Celery's Django fixup runs the model checks, which may ask the database
        app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


@pytest.mark.parametrize(
    ("task_name", "queue"),
    [
        ("submissions.tasks.videos.process_video", queues.VIDEO),
        ("submissions.tasks.credentials.sign_video_credentials", queues.VIDEO),  # a copy of up to 1 GB hashed
        ("submissions.tasks.credentials.resign_due_credentials", queues.SCHEDULED),  # sent by beat
        ("studio.tasks.poll_generation", queues.GENERATION),
        ("core.tasks.deliver_mail", queues.MAIL),
        ("core.tasks.sweep_mail", queues.SCHEDULED),  # sent by beat: beat's jobs win over the name
        ("submissions.tasks.videos.requeue_stalled_videos", queues.SCHEDULED),  # sent by beat
        ("transparency.tasks.refresh_transparency_report", queues.SCHEDULED),  # fanned out by beat's job
        ("accounts.tasks.build_data_export", queues.DEFAULT),
    ],
)
def test_a_task_is_routed_to_its_workloads_queue_by_name(task_name, queue):
    assert queues.queue_for(task_name) == queue
    assert app.amqp.router.route({}, task_name)["queue"].name == queue.name


def test_a_new_beat_job_runs_on_the_scheduled_queue_without_an_edit(settings):
    settings.CELERY_BEAT_SCHEDULE = {
        **settings.CELERY_BEAT_SCHEDULE,
        "sweep-outbox": {"task": "core.tasks.sweep_mail_outbox", "schedule": 60},
    }
    assert queues.queue_for("core.tasks.sweep_mail_outbox") == queues.SCHEDULED


def test_every_task_fits_its_queues_time_limit(registered_tasks):
    for name, task in registered_tasks.items():
        queue = queues.queue_for(name)
        assert task.time_limit is not None, name
        assert task.soft_time_limit < task.time_limit <= queue.time_limit, f"{name} on {queue.name}"


def test_a_task_without_limits_gets_its_queues():
    def without_limits() -> None:
        pass

    task = app.task(name="core.mail.tasks.without_limits_for_this_test", shared=False)(without_limits)
    assert (task.time_limit, task.soft_time_limit) == (queues.MAIL.time_limit, queues.MAIL.soft_time_limit)


def test_redis_gives_a_task_back_only_after_the_longest_any_queue_allows():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    longest_retry_countdown = 600  # the mail tasks' retry_backoff_max
    assert visibility > max(queue.time_limit for queue in queues.QUEUES)
    assert visibility > longest_retry_countdown
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1


def test_a_worker_started_without_queues_consumes_every_queue():
    assert set(app.amqp.queues) == {queue.name for queue in queues.QUEUES}
    assert set(app.amqp.queues.consume_from) == {queue.name for queue in queues.QUEUES}


@pytest.fixture
def mail_only_worker(settings):
    from celery.contrib.testing.worker import start_worker

    if not settings.CELERY_BROKER_URL:
        pytest.skip("needs a broker: set CELERY_BROKER_URL (the services run of .ci/run does)")
    app.conf.task_always_eager = False
    app.control.purge()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=["mail"]) as worker:
            yield worker
    finally:
        app.amqp.queues.select([queue.name for queue in queues.QUEUES])  # -Q narrows the app's selection for good
        app.control.purge()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_that_names_its_queue_leaves_the_others_tasks_waiting(mail_only_worker, settings):
    from core.mail import mail_send
    from core.tasks import deliver_mail
    from portal.tasks import ping

    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    mail = mail_send(to="a@b.c", template="allauth", context={"subject": "Hi", "body": "Hello"})
    with task_log() as log:
        waiting = ping.delay()
        sent = deliver_mail.delay(mail.pk)
        assert log.wait_until(lambda: log.settled(sent.id), seconds=30)
    assert log.finished[sent.id] == ("core.tasks.deliver_mail", "SUCCESS")
    assert waiting.id not in log.started
    assert broker.llen(queues.DEFAULT.name) == 1
