"""Content Credentials tasks: sign a published copy (video queue), and the sweep that finds copies to sign again."""

from celery import shared_task

from portal.models import User
from submissions.services import credentials as credential_services
from submissions.storage import TransientStorageError


@shared_task(
    acks_late=True,
    soft_time_limit=credential_services.SIGNING_SECONDS,
    time_limit=credential_services.SIGNING_SECONDS + 20,
    autoretry_for=(TransientStorageError,),
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=5,
)
def sign_video_credentials(video_id: int, requested_by_id: int | None = None) -> str:
    requested_by = User.objects.filter(pk=requested_by_id).first() if requested_by_id else None
    signing = credential_services.credentials_sign(video_id=video_id, requested_by=requested_by)
    return f"signing {signing.number}" if signing is not None else "nothing to do"


@shared_task(time_limit=120, soft_time_limit=100)
def resign_due_credentials() -> int:
    """Every 5 minutes (beat)."""
    return credential_services.credentials_resign_due()
