"""Stipends: the periodic amount of a rate card, accrued once per period."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext, gettext_noop

from core.batch import each_in_own_transaction
from core.recorded import Said, columns
from programs.access import contributing_enrolment
from programs.models import Enrolment, LedgerLine, Program, RateCard
from programs.selectors.compensation import rate_card_in_force

from ._shared import CompensationError, _today


def stipend_period_of(period: str, on: dt.date) -> tuple[dt.date, str]:
    """The first day and the label of the stipend period containing `on`."""
    if period == RateCard.StipendPeriod.QUARTERLY:
        quarter = (on.month - 1) // 3
        return dt.date(on.year, quarter * 3 + 1, 1), f"{on.year}-Q{quarter + 1}"
    return on.replace(day=1), f"{on:%Y-%m}"


STIPEND_LABELS = {
    RateCard.StipendPeriod.MONTHLY: gettext_noop("Monthly stipend for %(period)s (rate card v%(version)s)"),
    RateCard.StipendPeriod.QUARTERLY: gettext_noop("Quarterly stipend for %(period)s (rate card v%(version)s)"),
}


def _stipend_label(card: RateCard, period: str) -> Said:
    return Said(STIPEND_LABELS[card.stipend_period], period=period, version=card.version)


def stipend_accrue(*, program: Program, on: dt.date | None = None, today: dt.date | None = None) -> list[LedgerLine]:
    """Credit the stipend of the period containing `on` (default today) to every contributing artist whose
    cohort has started by `on`, at most once per artist and period (the key is the period). Safe to run
    every day: an artist whose cohort starts mid-period is credited on the first run after the start."""
    today = _today(today)
    on = on or today
    if on > today:
        raise CompensationError(gettext("Stipends cannot be accrued for a future period."))
    card = rate_card_in_force(program, on)
    if card is None or card.stipend_period == RateCard.StipendPeriod.NONE or card.stipend_amount <= 0:
        return []
    _start, label = stipend_period_of(card.stipend_period, on)
    created = []

    def accrue(enrolment: Enrolment) -> bool:
        artist = enrolment.user
        if enrolment.cohort and enrolment.cohort.starts_on and enrolment.cohort.starts_on > on:
            return False
        key = f"stipend:{program.pk}:{artist.pk}:{label}"
        if contributing_enrolment(artist, program) is None or LedgerLine.objects.filter(idempotency_key=key).exists():
            return False
        try:
            with transaction.atomic():
                created.append(
                    LedgerLine.objects.create(
                        program=program,
                        user=artist,
                        kind=LedgerLine.Kind.EARNED,
                        source=LedgerLine.Source.STIPEND,
                        amount=card.stipend_amount,
                        currency=card.currency,
                        booked_on=on,
                        idempotency_key=key,
                        **columns("label", _stipend_label(card, label), limit=300),
                        rate_card=card,
                    )
                )
        except IntegrityError:  # another worker accrued it a moment ago
            return False
        return True

    enrolments = Enrolment.objects.filter(program=program).select_related("user", "cohort").order_by("pk")
    each_in_own_transaction(f"stipends of {program.slug}", enrolments, accrue)
    return created
