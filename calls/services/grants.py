"""Writes for grants: apply, withdraw, decide (award with milestones, or decline), confirm a milestone (pay it).

Each function is one transaction; a refusal raises GrantError and writes nothing. A milestone's ledger line has the
server-made key `grant_milestone:<id>`, and the milestone moves to paid under a row lock first, so a double click or
two members of staff at once record one line.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from calls.access.grants import may_apply_refusal
from calls.models import GrantApplication, GrantMilestone, GrantRound
from core import lifecycle
from core.errors import DomainError, TransitionRefused
from core.money import decimals_rule, fits_minor_units, format_money, in_minor_units
from core.recorded import Choice, Said, columns
from programs.access import is_program_staff
from programs.models import LedgerLine
from programs.services.compensation import refuse_deleted_account, refuse_self_payment

MAX_MILESTONES = 6
Status = GrantApplication.Status


class GrantError(DomainError):
    """A grant rule refused the request; nothing was written."""


class GrantMoveRefused(TransitionRefused, GrantError):
    """The application or milestone is no longer in a state that allows this."""


def parse_amount(value, *, what: str, limit: Decimal, currency: str) -> Decimal:
    """`value` as a positive amount of money with no more decimals than `currency` has, at most `limit`, or a
    GrantError."""
    text = str(value if value is not None else "").strip().replace(",", ".") if not isinstance(value, float) else ""
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise GrantError(_("%(what)s: “%(value)s” is not a number.") % {"what": what, "value": value}) from None
    if not amount.is_finite():
        raise GrantError(_("%(what)s: “%(value)s” is not a number.") % {"what": what, "value": value})
    if amount <= 0:
        raise GrantError(_("%(what)s must be more than zero.") % {"what": what})
    if not fits_minor_units(amount, currency):
        raise GrantError(
            _("%(what)s (got %(value)s): %(rule)s") % {"what": what, "value": value, "rule": decimals_rule(currency)}
        )
    if amount > limit:
        raise GrantError(
            _("%(what)s must be at most %(limit)s.") % {"what": what, "limit": format_money(limit, currency)}
        )
    return in_minor_units(amount, currency)


def _text(value: str, *, what: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise GrantError(_("%(what)s is required.") % {"what": what})
    if len(text) > limit:
        raise GrantError(_("%(what)s is too long (%(limit)s characters at most).") % {"what": what, "limit": limit})
    return text


def grant_apply(
    *,
    round: GrantRound,
    user,
    project_title: str,
    project_description: str,
    budget,
    budget_breakdown: str,
    schedule: str,
    now: dt.datetime | None = None,
) -> GrantApplication:
    """An artist applies to an open round. One application per artist and round: sending the form twice
    returns the application already sent."""
    now = now or timezone.now()
    refusal = may_apply_refusal(user, round, now=now)
    if refusal:
        raise GrantError(refusal)
    fields = {
        "project_title": _text(project_title, what=_("The project title"), limit=200),
        "project_description": _text(project_description, what=_("The project description"), limit=8000),
        "budget": parse_amount(budget, what=_("The budget"), limit=round.max_request, currency=round.currency),
        "budget_breakdown": _text(budget_breakdown, what=_("The budget breakdown"), limit=4000),
        "schedule": _text(schedule, what=_("The schedule"), limit=4000),
    }
    with transaction.atomic():
        GrantRound.objects.select_for_update().get(pk=round.pk)  # serialise a double submit
        existing = GrantApplication.objects.filter(round=round, applicant=user).first()
        if existing is not None:
            return existing
        application = GrantApplication.objects.create(
            round=round, applicant=user, decision_due_at=now + dt.timedelta(days=round.decision_days), **fields
        )
        return lifecycle.start(application, actor=user)


def grant_withdraw(*, application: GrantApplication, actor) -> GrantApplication:
    if application.applicant_id != actor.pk:
        raise GrantError(_("Only the applicant can withdraw an application."))
    with transaction.atomic():
        return lifecycle.move(
            application,
            Status.WITHDRAWN,
            actor=actor,
            reason=Said(gettext_noop("Withdrawn by the applicant.")),
            refusal=GrantMoveRefused,
        )


@dataclass(frozen=True)
class MilestonePlan:
    title: str
    amount: object
    due_on: dt.date | None


def _refuse_unless_staff(actor, round: GrantRound) -> None:
    if not is_program_staff(actor, round.program):
        raise GrantError(_("Only the program's staff decide on grants."))


def _reason(reason: str, *, awarding: bool) -> str:
    allowed = (
        GrantApplication.AWARD_REASONS
        if awarding
        else set(GrantApplication.Reason) - set(GrantApplication.AWARD_REASONS)
    )
    if reason not in {str(r) for r in allowed}:
        raise GrantError(_("Choose a reason from the published list that fits this decision."))
    return reason


def _milestones(plans: list[MilestonePlan], *, round: GrantRound, application: GrantApplication) -> list:
    plans = [p for p in plans if (p.title or "").strip() or str(p.amount or "").strip()]
    if not plans:
        raise GrantError(_("An award is paid in milestones: give at least one."))
    if len(plans) > MAX_MILESTONES:
        raise GrantError(_("At most %(n)s milestones.") % {"n": MAX_MILESTONES})
    cleaned = []
    for number, plan in enumerate(plans, start=1):
        what = _("Milestone %(n)s") % {"n": number}
        title = _text(plan.title, what=what, limit=200)
        amount = parse_amount(plan.amount, what=what, limit=round.max_request, currency=round.currency)
        if plan.due_on is None:
            raise GrantError(_("%(what)s needs a due date.") % {"what": what})
        if not round.opens_at.date() <= plan.due_on <= round.closes_at.date() + dt.timedelta(days=730):
            raise GrantError(_("%(what)s: the due date must fall within two years of the round.") % {"what": what})
        cleaned.append((title, amount, plan.due_on))
    return cleaned


def grant_award(
    *,
    application: GrantApplication,
    actor,
    reason: str,
    milestones: list[MilestonePlan],
    note: str = "",
    now: dt.datetime | None = None,
) -> GrantApplication:
    """Award a grant: the sum of its milestones, within the round's remaining budget."""
    round = application.round
    _refuse_unless_staff(actor, round)
    refuse_self_payment(actor, application.applicant, action=_("award a grant to"))
    reason = _reason(reason, awarding=True)
    plans = _milestones(milestones, round=round, application=application)
    total = sum((amount for _t, amount, _d in plans), Decimal("0.00"))
    with transaction.atomic():
        GrantRound.objects.select_for_update().get(pk=round.pk)  # one award at a time against the budget
        awarded = GrantApplication.objects.filter(round=round, status=Status.AWARDED).aggregate(
            total=Sum("amount_awarded")
        )["total"] or Decimal("0.00")
        if awarded + total > round.budget:
            raise GrantError(
                _("This award (%(total)s) is more than what is left of the round's budget (%(left)s).")
                % {
                    "total": format_money(total, round.currency),
                    "left": format_money(round.budget - awarded, round.currency),
                }
            )
        now = now or timezone.now()
        lifecycle.move(
            application,
            Status.AWARDED,
            actor=actor,
            reason=Choice(GrantApplication.Reason, reason),
            changes={
                "decided_at": now,
                "decided_by": actor,
                "reason": reason,
                "note": (note or "").strip()[:4000],
                "amount_awarded": total,
            },
            refusal=GrantMoveRefused,
        )
        for position, (title, amount, due_on) in enumerate(plans, start=1):
            milestone = GrantMilestone.objects.create(
                application=application, position=position, title=title, amount=amount, due_on=due_on
            )
            lifecycle.start(milestone, actor=actor, reason=title)
        return application


def grant_decline(
    *, application: GrantApplication, actor, reason: str, note: str = "", now: dt.datetime | None = None
) -> GrantApplication:
    _refuse_unless_staff(actor, application.round)
    reason = _reason(reason, awarding=False)
    with transaction.atomic():
        return lifecycle.move(
            application,
            Status.DECLINED,
            actor=actor,
            reason=Choice(GrantApplication.Reason, reason),
            changes={
                "decided_at": now or timezone.now(),
                "decided_by": actor,
                "reason": reason,
                "note": (note or "").strip()[:4000],
            },
            refusal=GrantMoveRefused,
        )


def milestone_confirm(*, milestone: GrantMilestone, actor, today: dt.date | None = None) -> GrantMilestone:
    """Staff confirm the artist reached a milestone: it is paid, as one earned ledger line (source: grant)."""
    application = milestone.application
    round = application.round
    _refuse_unless_staff(actor, round)
    refuse_self_payment(actor, application.applicant, action=_("pay a grant milestone to"))
    refuse_deleted_account(application.applicant)
    with transaction.atomic():
        lifecycle.move(
            milestone, GrantMilestone.Status.PAID, actor=actor, reason=milestone.title, refusal=GrantMoveRefused
        )
        line = LedgerLine.objects.create(
            program=round.program,
            user=application.applicant,
            kind=LedgerLine.Kind.EARNED,
            source=LedgerLine.Source.GRANT,
            amount=milestone.amount,
            currency=round.currency,
            booked_on=today or timezone.localdate(),
            idempotency_key=f"grant_milestone:{milestone.pk}",
            **columns(
                "label",
                Said(
                    gettext_noop("Grant “%(project)s”, milestone %(n)s: %(title)s"),
                    project=application.project_title,
                    n=milestone.position,
                    title=milestone.title,
                ),
                limit=300,
            ),
            actor=actor,
        )
        milestone.ledger_line = line
        milestone.save(update_fields=["ledger_line"])
        return milestone
