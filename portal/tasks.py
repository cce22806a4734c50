from celery import shared_task


@shared_task(time_limit=10, soft_time_limit=5)
def ping() -> str:
    """A task with no side effects, used by /healthz and the worker test to prove the round trip."""
    return "pong"
