"""Hours: the artist logs time, staff query or approve it; an approval credits it."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop

from core import lifecycle
from core.money import in_minor_units
from core.recorded import Choice, Day, Said, columns
from programs.access import contributing_enrolment
from programs.models import LedgerLine, Program, TimeEntry
from programs.selectors.compensation import LOGGED

from ._shared import (
    CompensationError,
    CompensationMoveRefused,
    _card_for,
    _require_enrolment,
    _today,
    refuse_deleted_account,
)
from .payouts import line_reverse

Status = TimeEntry.Status


def _move(entry: TimeEntry, to: str, *, actor, reason: Said | str = "") -> TimeEntry:
    """Move a time entry (TimeEntry.MOVES) with its history row."""
    return lifecycle.move(entry, to, actor=actor, reason=reason, refusal=CompensationMoveRefused)


def _clean_entry(
    *, user, program: Program, worked_on: dt.date, minutes, category: str, today: dt.date, exclude_pk: int | None = None
) -> int:
    if category not in TimeEntry.Category.values:
        raise CompensationError(gettext("“%(category)s” is not a category of work.") % {"category": category})
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        raise CompensationError(gettext("The duration must be a whole number of minutes.")) from None
    if not 0 < minutes <= 24 * 60:
        raise CompensationError(gettext("The duration must be between 1 minute and 24 hours."))
    if worked_on > today:
        raise CompensationError(
            gettext("Hours cannot be logged for a day in the future (%(worked_on)s).")
            % {"worked_on": date_format(worked_on)}
        )
    same_day = TimeEntry.objects.filter(user=user, program=program, worked_on=worked_on).filter(LOGGED)
    if exclude_pk:
        same_day = same_day.exclude(pk=exclude_pk)
    logged = same_day.aggregate(total=Sum("minutes"))["total"] or 0
    if logged + minutes > 24 * 60:
        raise CompensationError(
            f"That would make {(logged + minutes) / 60:.1f} hours on {worked_on:%d %b %Y}: a day has 24."
        )
    return minutes


def timeentry_log(
    *,
    user,
    program: Program,
    worked_on: dt.date,
    minutes,
    category: str,
    note: str = "",
    corrects: TimeEntry | None = None,
    form_token: str = "",
    today: dt.date | None = None,
) -> TimeEntry:
    """An artist logs hours (or, with `corrects`, a correction of an approved entry). Needs a contributing
    enrolment. With a `form_token` (the nonce of the form the server showed), sending the same form again
    returns the entry it already logged."""
    if contributing_enrolment(user, program) is None:
        raise CompensationError(
            gettext("You can log hours only while you are contributing to %(program)s.") % {"program": program}
        )
    today = _today(today)
    with transaction.atomic():
        _require_enrolment(user, program, lock=True)  # serialise the 24-hours-a-day check (and the token)
        if form_token and (logged := TimeEntry.objects.filter(user=user, form_token=form_token).first()):
            return logged
        if corrects is not None:
            corrects = TimeEntry.objects.select_for_update().get(pk=corrects.pk)
            if corrects.user_id != user.pk or corrects.program_id != program.pk:
                raise CompensationError(gettext("You can only correct your own entries in this program."))
            if corrects.status != Status.APPROVED:
                raise CompensationError(
                    gettext("Only an approved entry needs a correction: edit or withdraw this one.")
                )
            if corrects.corrections.filter(status__in=[Status.PENDING, Status.QUERIED]).exists():
                raise CompensationError(gettext("A correction of this entry is already waiting for approval."))
        minutes = _clean_entry(
            user=user,
            program=program,
            worked_on=worked_on,
            minutes=minutes,
            category=category,
            today=today,
            exclude_pk=corrects.pk if corrects else None,
        )
        entry = TimeEntry.objects.create(
            program=program,
            user=user,
            worked_on=worked_on,
            minutes=minutes,
            category=category,
            note=(note or "").strip(),
            corrects=corrects,
            form_token=form_token,
        )
        reason = f"Corrects entry #{corrects.pk}." if corrects else ""
        return lifecycle.start(entry, actor=user, reason=reason)


def timeentry_resubmit(
    *,
    entry: TimeEntry,
    actor,
    worked_on: dt.date,
    minutes,
    category: str,
    note: str = "",
    today: dt.date | None = None,
) -> TimeEntry:
    """The artist edits a pending or queried entry; a queried entry goes back to staff."""
    if entry.user_id != actor.pk:
        raise CompensationError(gettext("Only the artist who logged these hours can change them."))
    with transaction.atomic():
        locked = TimeEntry.objects.select_for_update().get(pk=entry.pk)
        lifecycle.check(TimeEntry, locked.status, Status.PENDING, refusal=CompensationMoveRefused)
        locked.minutes = _clean_entry(
            user=actor,
            program=locked.program,
            worked_on=worked_on,
            minutes=minutes,
            category=category,
            today=_today(today),
            exclude_pk=locked.pk,
        )
        locked.worked_on, locked.category, locked.note = worked_on, category, (note or "").strip()
        locked.save(update_fields=["minutes", "worked_on", "category", "note"])
        return _move(locked, Status.PENDING, actor=actor, reason=Said(gettext_noop("Edited by the artist.")))


def timeentry_withdraw(*, entry: TimeEntry, actor, reason: str = "Withdrawn by the artist.") -> TimeEntry:
    if entry.user_id != actor.pk:
        raise CompensationError(gettext("Only the artist who logged these hours can withdraw them."))
    with transaction.atomic():
        return _move(entry, Status.WITHDRAWN, actor=actor, reason=reason)


def timeentry_query(*, entry: TimeEntry, actor, reason: str) -> TimeEntry:
    """Staff ask the artist about an entry instead of approving it; the reason is shown to the artist."""
    reason = (reason or "").strip()
    if not reason:
        raise CompensationError(gettext("Say what is unclear about these hours: the artist sees your reason."))
    with transaction.atomic():
        return _move(entry, Status.QUERIED, actor=actor, reason=reason)


def _hours_label(entry: TimeEntry, card) -> Said:
    return Said(
        gettext_noop("%(hours)s %(category)s on %(day)s at %(rate)s %(currency)s/h (entry #%(entry)s)"),
        hours=entry.hours_label,
        category=Choice(TimeEntry.Category, entry.category, lower=True),
        day=Day(entry.worked_on),
        rate=in_minor_units(card.hourly_rate, card.currency),
        currency=card.currency,
        entry=entry.pk,
    )


def timeentry_approve(*, entry: TimeEntry, actor, today: dt.date | None = None) -> TimeEntry:
    """Approve hours: priced at the hourly rate in force on the day worked, written as an earned line.
    Approving a correction supersedes the entry it corrects and reverses that entry's line."""
    if actor is not None and actor.pk == entry.user_id:
        raise CompensationError(gettext("You cannot approve your own hours."))
    refuse_deleted_account(entry.user)
    today = _today(today)
    with transaction.atomic():
        _require_enrolment(entry.user, entry.program, lock=True)
        card = _card_for(entry.program, entry.worked_on)
        entry = _move(entry, Status.APPROVED, actor=actor)
        amount = in_minor_units(Decimal(entry.minutes) * card.hourly_rate / 60, card.currency)
        if amount > 0:
            LedgerLine.objects.create(
                program=entry.program,
                user=entry.user,
                kind=LedgerLine.Kind.EARNED,
                source=LedgerLine.Source.HOURS,
                amount=amount,
                currency=card.currency,
                booked_on=today,
                idempotency_key=f"hours:{entry.pk}",
                **columns("label", _hours_label(entry, card), limit=300),
                time_entry=entry,
                rate_card=card,
                actor=actor,
            )
        if entry.corrects_id:
            corrected = Said(gettext_noop("Corrected by entry #%(entry)s."), entry=entry.pk)
            original = _move(entry.corrects, Status.SUPERSEDED, actor=actor, reason=corrected)
            line = LedgerLine.objects.filter(time_entry=original).first()
            if line is not None and not LedgerLine.objects.filter(reverses=line).exists():
                line_reverse(line=line, reason=corrected, actor=actor, today=today)
        return entry


def timeentry_approve_many(*, entries, actor, today: dt.date | None = None) -> tuple[list, list]:
    """Bulk approval: each entry on its own, so one that changed meanwhile does not block the others.
    Returns (approved entries, [(entry, reason refused)])."""
    approved, refused = [], []
    for entry in entries:
        try:
            approved.append(timeentry_approve(entry=entry, actor=actor, today=today))
        except CompensationError as error:
            refused.append((entry, error.message))
    return approved, refused
