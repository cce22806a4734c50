from celery import shared_task

from accounts.personal_data import exports


@shared_task(
    bind=True,
    acks_late=True,
    soft_time_limit=exports.BUILD_SECONDS,
    time_limit=exports.BUILD_SECONDS + 60,
)
def build_data_export(self, export_id: int) -> str:
    """Build one person's data export (idempotent: the service claims it under this task's id)."""
    export = exports.export_build(export_id=export_id, claim=self.request.id or f"local-{export_id}")
    return export.status if export is not None else "nothing to do"


@shared_task(time_limit=300, soft_time_limit=240)
def tidy_data_exports() -> dict[str, int]:
    """Every 15 minutes: delete exports past their 24 hours, fail builds whose worker died, resend lost ones."""
    return {
        "expired": exports.exports_expire(),
        "failed": exports.exports_fail_stalled(),
        "requeued": exports.exports_requeue_waiting(),
    }
