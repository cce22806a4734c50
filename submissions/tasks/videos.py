"""Celery tasks for videos: thin wrappers that take an id and call one service.

Each is idempotent (the service claims the work with a conditional update) and has explicit time limits.
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from submissions.services import comments as comment_services
from submissions.services import direct_uploads as direct_upload_services
from submissions.services import videos as video_services
from submissions.storage import TransientStorageError
from submissions.uploads import upload_temp_files_sweep

# Taking a file in (uploaded or sent straight to the bucket): bound by the processing deadline, retried while
# storage is briefly away, acknowledged only once done so a lost worker's file is taken in again.
TAKING_IN = {
    "bind": True,
    "acks_late": True,
    "soft_time_limit": video_services.PROCESSING_SECONDS + 30,
    "time_limit": video_services.PROCESSING_SECONDS + 60,
    "autoretry_for": (TransientStorageError,),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "max_retries": 5,
}


@shared_task(**TAKING_IN)
def process_video(self, video_id: int) -> str:
    video = video_services.video_process(video_id=video_id, claim=self.request.id or f"local-{video_id}")
    return video.status if video is not None else "nothing to do"


@shared_task(time_limit=120, soft_time_limit=100)
def requeue_stalled_videos() -> int:
    """Every 5 minutes (beat): send again the videos whose processing was never sent or was lost."""
    return video_services.video_requeue_stalled()


@shared_task(time_limit=90, soft_time_limit=60)
def sweep_upload_temp_files() -> int:
    """Hourly (beat): remove the partial upload files of killed web workers, older than UPLOAD_TEMP_MAX_AGE_HOURS."""
    return upload_temp_files_sweep(older_than=timedelta(hours=settings.UPLOAD_TEMP_MAX_AGE_HOURS))


@shared_task(**TAKING_IN)
def process_direct_upload(self, upload_id: int) -> str:
    """A master the browser sent to the bucket: hashed from the bucket and taken in (on the video queue)."""
    upload = direct_upload_services.direct_upload_process(upload_id=upload_id)
    return upload.status if upload is not None else "nothing to do"


@shared_task(time_limit=240, soft_time_limit=200)
def sweep_direct_uploads() -> dict:
    """Every 15 minutes (beat): abort unfinished direct uploads past their age, send lost processing again."""
    return direct_upload_services.direct_uploads_sweep()


@shared_task(
    time_limit=comment_services.STILL_SECONDS + 30,
    soft_time_limit=comment_services.STILL_SECONDS + 10,
    autoretry_for=(TransientStorageError,),
    retry_backoff=5,
    max_retries=5,
)
def take_comment_still(comment_id: int) -> bool:
    return comment_services.comment_take_still(comment_id=comment_id)
