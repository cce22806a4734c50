"""Keeping the public transparency reports warm. Thin: load, call one function; a rerun only recomputes."""

from celery import shared_task

from core.batch import each_in_own_transaction
from programs.models import Program


@shared_task(time_limit=60, soft_time_limit=50)
def refresh_transparency_reports() -> int:
    """Every REFRESH_SECONDS (beat): one task per public program, so one large program does not hold up the rest."""
    program_ids = list(Program.objects.public().values_list("pk", flat=True))
    return each_in_own_transaction("refresh transparency reports", program_ids, refresh_transparency_report.delay).done


# Expires: a refresh that waited longer than the cache lives is superseded by the next one.
@shared_task(time_limit=120, soft_time_limit=110, expires=60)
def refresh_transparency_report(program_id: int) -> bool:
    from transparency.current import refresh

    program = Program.objects.public().filter(pk=program_id).first()
    if program is None:
        return False
    refresh(program)
    return True
