"""Celery tasks of the studio (the `generation` queue): thin wrappers over one service each."""

from celery import shared_task

from studio.services.runner import poll_job, studio_tick


@shared_task(time_limit=110, soft_time_limit=100)
def poll_generation() -> dict[str, int]:
    """Every few seconds (beat): expire, poll and take in, then send queued jobs in the fair order."""
    return studio_tick()


@shared_task(time_limit=110, soft_time_limit=100)
def poll_generation_job(job_id: int) -> bool:
    """Sent when a provider's webhook names a job: poll it now rather than at the next beat."""
    return poll_job(job_id)
