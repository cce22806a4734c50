"""Rate cards: what a program pays, from a date on."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext

from programs.models import Program, RateCard

from ._shared import CompensationError, _today, currency_code, money


def ratecard_publish(
    *,
    program: Program,
    effective_from: dt.date,
    currency: str,
    amounts: dict,
    stipend_period: str = RateCard.StipendPeriod.NONE,
    note: str = "",
    actor=None,
    today: dt.date | None = None,
) -> RateCard:
    """Publish a new version of the program's rate card.

    Never retroactive: the new version takes effect tomorrow at the earliest (a program's first card may
    start today), and after every existing version, so nothing already done is repriced.
    """
    today = _today(today)
    missing = sorted(set(RateCard.AMOUNT_FIELDS) - set(amounts))
    unknown = sorted(set(amounts) - set(RateCard.AMOUNT_FIELDS))
    if missing or unknown:
        raise TypeError(f"rate card amounts: missing {missing}, unknown {unknown}")
    code = currency_code(currency)
    cleaned = {
        name: money(amounts[name], what=_label(name), currency=code, allow_zero=True) for name in RateCard.AMOUNT_FIELDS
    }
    if stipend_period not in RateCard.StipendPeriod.values:
        raise CompensationError(
            gettext("“%(stipend_period)s” is not a stipend period.") % {"stipend_period": stipend_period}
        )
    if (cleaned["stipend_amount"] > 0) != (stipend_period != RateCard.StipendPeriod.NONE):
        raise CompensationError(gettext("A stipend needs both an amount and a period (or neither)."))
    with transaction.atomic():
        # Lock the program row: two staff publishing at once must not both become "the next version".
        Program.objects.select_for_update().filter(pk=program.pk).first()
        latest = RateCard.objects.filter(program=program).order_by("-version").first()
        earliest = today if latest is None else today + dt.timedelta(days=1)
        if effective_from < earliest:
            raise CompensationError(
                f"A rate card cannot take effect on {effective_from:%d %b %Y}: changes never apply to the past, "
                f"so the earliest date is {earliest:%d %b %Y}."
            )
        if latest is not None and effective_from <= latest.effective_from:
            raise CompensationError(
                f"Version {latest.version} already takes effect on {latest.effective_from:%d %b %Y}: "
                "a new version must start after it."
            )
        return RateCard.objects.create(
            program=program,
            version=(latest.version + 1) if latest else 1,
            effective_from=effective_from,
            currency=code,
            stipend_period=stipend_period,
            note=note.strip(),
            created_by=actor,
            **cleaned,
        )


def _label(name: str) -> str:
    return RateCard._meta.get_field(name).verbose_name.capitalize()
