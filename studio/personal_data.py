"""The studio's part of a person's data export and account erasure (see core.personal_records)."""

from core.personal_records import PROGRAM, bound, by_actor, kind
from studio.models import GenerationJob, GenerationJobEvent
from studio.services.jobs import job_cancel

KINDS = (
    kind("generation_jobs", GenerationJob, "The clips you asked for in the studio: every setting, what the provider "
         "said, the timings, and the video each became. Reference images are not included.",
         "id public_id program title status prompt negative_prompt model_id duration_seconds width height "
         "aspect_ratio seed settings provider_job_id model_version progress failure_kind provider_code "
         "result_sha256 video_id created_at started_at finished_at status_changed_at",
         lambda user: GenerationJob.objects.filter(artist=user).select_related("program").order_by("pk"),
         program=PROGRAM),
    kind("generation_job_events", GenerationJobEvent, "Every status event of your studio clips.",
         "job_id from_status to_status reason actor created_at",
         lambda user: GenerationJobEvent.objects.filter(job__artist=user).order_by("job_id", "created_at", "pk"),
         actor=by_actor),
)  # fmt: skip

LEFT_OUT: dict[str, str] = {}
FILES = ()


def records(user):
    return bound(KINDS, user)


def erase(user, *, reason: str) -> list[str]:
    """Clips still waiting or generating are cancelled (nothing they make becomes a video) and reference images
    are removed; the jobs stay, like the videos' provenance. Returns the stored files."""
    for job in GenerationJob.objects.filter(artist=user, status__in=GenerationJob.ACTIVE).select_related("model"):
        job_cancel(job=job, actor=user)
    jobs = GenerationJob.objects.filter(artist=user).exclude(reference_image="")
    names = list(jobs.values_list("reference_image", flat=True))
    jobs.update(reference_image="", reference_image_type="")
    return names
