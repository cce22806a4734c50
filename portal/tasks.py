from celery import shared_task


@shared_task(time_limit=10, soft_time_limit=5)
def ping() -> str:
    """A task with no side effects, used by /healthz and the worker test to prove the round trip."""
    return "pong"


@shared_task(time_limit=300, soft_time_limit=240)
def clear_expired_sessions() -> None:
    """Daily: drop expired sessions (Django keeps them until asked)."""
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    Session.objects.filter(expire_date__lt=timezone.now()).delete()
