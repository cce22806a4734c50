"""Scheduled compensation work. Thin: load, call one service; the services make reruns harmless."""

from celery import shared_task

from core.batch import each_in_own_transaction
from programs.models import Program


@shared_task(time_limit=300, soft_time_limit=240)
def accrue_stipends() -> int:
    """Daily (beat): fan out one task per program that runs, so one slow program does not hold up the rest."""
    program_ids = list(Program.objects.exclude(status=Program.Status.DRAFT).values_list("pk", flat=True))
    return each_in_own_transaction("accrue stipends", program_ids, accrue_program_stipends.delay).done


@shared_task(time_limit=300, soft_time_limit=240, autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def accrue_program_stipends(program_id: int) -> int:
    """Accrue this period's stipend for one program; a stipend already accrued for the period is skipped."""
    from programs.services.compensation import stipend_accrue

    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        return 0
    return len(stipend_accrue(program=program))


@shared_task(time_limit=300, soft_time_limit=240)
def retry_pending_credits() -> int:
    """Every 15 minutes (beat): book the credits that decisions earned but the ledger could not book then."""
    from programs.services.credit_bookings import pending_credits_retry

    return pending_credits_retry().done
