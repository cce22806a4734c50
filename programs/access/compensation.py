"""Who may see which money. An artist sees only their own; program staff see their program's; nobody else
(reviewers included) sees any. Lookups 404 where existence must not leak."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from programs.access import get_public_program, is_program_staff
from programs.models import Enrolment, PayoutRun, PayoutRunItem, Program, TimeEntry
from programs.refusals import staff_refusal


def get_own_time_entry(user, program: Program, pk: int) -> TimeEntry:
    return get_object_or_404(TimeEntry, pk=pk, user=user, program=program)


def get_program_for_compensation_staff(user, slug: str) -> Program:
    """A program whose money the user may manage (drafts included, so terms are set before opening).
    Unknown and draft programs are 404 for everyone but their staff; public ones are 403."""
    program = get_object_or_404(Program, slug=slug)
    if is_program_staff(user, program):
        return program
    get_public_program(slug)  # 404 for a draft
    raise staff_refusal(program, what=_("Only program staff manage compensation."))


def get_member_enrolment(program: Program, user_pk: int) -> Enrolment:
    """An artist's enrolment in a program whose money the requester manages (checked before), or 404."""
    return get_object_or_404(Enrolment.objects.select_related("user", "program"), program=program, user_id=user_pk)


def get_payout_run(program: Program, pk: int) -> PayoutRun:
    return get_object_or_404(PayoutRun.objects.select_related("program"), program=program, pk=pk)


def get_payout_item(run: PayoutRun, pk: int) -> PayoutRunItem:
    return get_object_or_404(PayoutRunItem.objects.select_related("run", "user"), run=run, pk=pk)
