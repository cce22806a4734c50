"""Open calls, written: publish a call, enter and withdraw, declare conflicts, score, publish the results and
book the prizes. One function per action, keyword-only, in a transaction; a refusal writes nothing."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from calls.access.calls import ELIGIBLE_VIDEO_STATUSES, may_enter, may_score
from calls.models import Call, ConflictDeclaration, Criterion, Entry, Juror, PrizeTier, Score
from calls.selectors.calls import expected_scores_missing, ranking, to_cents
from core import lifecycle
from core.errors import DomainError, TransitionRefused
from core.recorded import Said, columns
from programs.models import LedgerLine, Program
from programs.services.compensation._shared import (
    currency_code,
    money,
    refuse_deleted_account,
    refuse_self_payment,
)

MAX_CRITERIA = 10
MAX_PRIZE_TIERS = 10
MAX_JURORS = 15


class CallError(DomainError):
    """An open-call rule refused the request; nothing was written."""


class CallMoveRefused(TransitionRefused, CallError):
    """The call or entry is not in a state that allows the move."""


@dataclass(frozen=True)
class CallTerms:
    """Everything staff publish about a call (checked by call_create and call_update)."""

    title: str
    kind: str
    brief: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    judging_ends_at: dt.datetime
    results_on: dt.date
    ip_terms: str
    currency: str
    scale_max: int
    tie_break: str
    jurors_shown: str
    criteria: tuple[tuple[str, int, str], ...]  # name, weight, description
    prizes: tuple[tuple[str, Decimal, int], ...]  # label, amount, how many
    jurors: tuple  # users
    cohorts: tuple = ()


def _when(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _check_terms(terms: CallTerms, program: Program) -> None:
    if not terms.title.strip() or not terms.brief.strip():
        raise CallError(_("A call needs a title and a brief."))
    if not terms.opens_at < terms.closes_at <= terms.judging_ends_at:
        raise CallError(_("Entries must open before they close, and judging must end after entries close."))
    if terms.results_on < timezone.localdate(terms.judging_ends_at):
        raise CallError(_("The results cannot be announced before judging ends."))
    if not 2 <= terms.scale_max <= 100:
        raise CallError(_("The highest score must be from 2 to 100."))
    if not 1 <= len(terms.criteria) <= MAX_CRITERIA:
        raise CallError(_("A call needs from 1 to %(n)s criteria.") % {"n": MAX_CRITERIA})
    if len({name.casefold() for name, _w, _d in terms.criteria}) != len(terms.criteria):
        raise CallError(_("Two criteria have the same name."))
    if any(not 1 <= weight <= 100 for _n, weight, _d in terms.criteria):
        raise CallError(_("Each criterion's weight must be from 1 to 100."))
    if not 1 <= len(terms.prizes) <= MAX_PRIZE_TIERS:
        raise CallError(_("A call needs from 1 to %(n)s lines in its prize table.") % {"n": MAX_PRIZE_TIERS})
    if any(not 1 <= count <= 50 for _l, _a, count in terms.prizes):
        raise CallError(_("Each prize is given from 1 to 50 times."))
    if not 1 <= len(terms.jurors) <= MAX_JURORS:
        raise CallError(_("A call needs from 1 to %(n)s jurors.") % {"n": MAX_JURORS})
    if any(cohort.program_id != program.pk for cohort in terms.cohorts):
        raise CallError(_("Only cohorts of the call's own program can be eligible."))


def _write_parts(call: Call, terms: CallTerms) -> None:
    call.criteria.all().delete()
    call.prize_tiers.all().delete()
    call.jurors.all().delete()
    Criterion.objects.bulk_create(
        Criterion(call=call, position=i, name=name.strip()[:120], weight=weight, description=desc.strip()[:500])
        for i, (name, weight, desc) in enumerate(terms.criteria, start=1)
    )
    currency = currency_code(terms.currency)  # the call row may still hold the previous terms (call_update)
    PrizeTier.objects.bulk_create(
        PrizeTier(
            call=call,
            position=i,
            label=label.strip()[:120],
            amount=money(amount, what=label, currency=currency),
            count=count,
        )
        for i, (label, amount, count) in enumerate(terms.prizes, start=1)
    )
    Juror.objects.bulk_create(Juror(call=call, user=user, number=i) for i, user in enumerate(terms.jurors, start=1))
    call.eligible_cohorts.set(terms.cohorts)


def _fields(terms: CallTerms) -> dict:
    return {
        "title": terms.title.strip()[:200],
        "kind": terms.kind,
        "brief": terms.brief.strip(),
        "opens_at": terms.opens_at,
        "closes_at": terms.closes_at,
        "judging_ends_at": terms.judging_ends_at,
        "results_on": terms.results_on,
        "ip_terms": terms.ip_terms.strip(),
        "currency": currency_code(terms.currency),
        "scale_max": terms.scale_max,
        "tie_break": terms.tie_break,
        "jurors_shown": terms.jurors_shown,
    }


def call_create(*, program: Program, actor, terms: CallTerms) -> Call:
    """A draft call of `program`: not public until call_open."""
    _check_terms(terms, program)
    with transaction.atomic():
        call = Call.objects.create(program=program, created_by=actor, **_fields(terms))
        _write_parts(call, terms)
        lifecycle.start(call, actor=actor)
    return call


def call_update(*, call: Call, actor, terms: CallTerms) -> Call:
    """Change a draft. Once open, the published terms are fixed: entrants rely on them."""
    _check_terms(terms, call.program)
    with transaction.atomic():
        locked = Call.objects.select_for_update().get(pk=call.pk)
        if locked.status != Call.Status.DRAFT:
            raise CallError(_("This call is published: its terms can no longer change."))
        Call.objects.filter(pk=call.pk).update(**_fields(terms))
        _write_parts(locked, terms)
        lifecycle.note(locked, actor=actor, reason=Said(gettext_noop("Terms changed.")))
    call.refresh_from_db()
    return call


def call_open(*, call: Call, actor) -> Call:
    """Publish the call: its page becomes public and artists may enter within the window."""
    return lifecycle.move(call, Call.Status.OPEN, actor=actor, refusal=CallMoveRefused)


def call_start_judging(*, call: Call, actor, now: dt.datetime | None = None) -> Call:
    """Close the entries and hand them to the jury, once the entry window has ended."""
    now = now or timezone.now()
    if now < call.closes_at:
        raise CallError(
            _("Entries are open until %(when)s: judging starts after that.") % {"when": _when(call.closes_at)}
        )
    return lifecycle.move(call, Call.Status.JUDGING, actor=actor, refusal=CallMoveRefused)


def _refuse_outside_window(call: Call, now: dt.datetime) -> None:
    if call.status != Call.Status.OPEN or now < call.opens_at:
        raise CallError(_("This call is not taking entries."))
    if now >= call.closes_at:
        raise CallError(_("Entries closed on %(when)s: nothing was entered.") % {"when": _when(call.closes_at)})


def entry_submit(*, call: Call, artist, video_id: int, statement: str, now: dt.datetime | None = None) -> Entry:
    """Enter one of the artist's approved or published videos, with a statement (one entry per video; a withdrawn
    entry is entered again)."""
    now = now or timezone.now()
    statement = (statement or "").strip()
    if not statement:
        raise CallError(_("Write a statement about your entry."))
    if len(statement) > 3000:
        raise CallError(_("The statement is too long (3,000 characters at most)."))
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        _refuse_outside_window(call, now)
        if not may_enter(artist, call):
            raise CallError(
                _("Only artists of the eligible cohorts of %(program)s may enter.") % {"program": call.program}
            )
        video = call.program.videos.filter(pk=video_id, artist=artist, status__in=ELIGIBLE_VIDEO_STATUSES).first()
        if video is None:
            raise CallError(_("Choose one of your approved or published videos of this program."))
        existing = Entry.objects.filter(call=call, video=video).first()
        if existing is not None:
            if existing.status == Entry.Status.ENTERED:
                raise CallError(_("This video is already entered in this call."))
            return lifecycle.move(
                existing, Entry.Status.ENTERED, actor=artist, changes={"statement": statement}, refusal=CallMoveRefused
            )
        entry = Entry.objects.create(call=call, video=video, artist=artist, statement=statement)
        return lifecycle.start(entry, actor=artist)


def entry_withdraw(*, entry: Entry, artist, now: dt.datetime | None = None) -> Entry:
    now = now or timezone.now()
    if entry.artist_id != artist.pk:
        raise CallError(_("Only the artist who entered may withdraw an entry."))
    _refuse_outside_window(Call.objects.get(pk=entry.call_id), now)
    return lifecycle.move(entry, Entry.Status.WITHDRAWN, actor=artist, refusal=CallMoveRefused)


def _refuse_unless_judging(call: Call, now: dt.datetime) -> None:
    if call.status != Call.Status.JUDGING:
        raise CallError(_("Scores are given while the call is being judged, not now."))
    if now >= call.judging_ends_at:
        raise CallError(_("Judging ended on %(when)s: the scores are locked.") % {"when": _when(call.judging_ends_at)})


def conflict_declare(*, juror: Juror, entry: Entry, reason: str) -> ConflictDeclaration:
    """Record that the juror will not score this entry (any scores they gave it are set aside)."""
    reason = (reason or "").strip()
    if not reason:
        raise CallError(_("Say in a few words what the conflict of interest is."))
    if entry.call_id != juror.call_id:
        raise CallError(_("This entry is not in your call."))
    if Call.objects.filter(pk=entry.call_id, status=Call.Status.RESULTS).exists():
        raise CallError(_("The results of this call are published: nothing in it changes any more."))
    with transaction.atomic():
        declaration, _created = ConflictDeclaration.objects.get_or_create(
            juror=juror, entry=entry, defaults={"reason": reason[:500]}
        )
        entry.scores.filter(juror=juror).delete()
    return declaration


def scores_record(
    *, juror: Juror, entry: Entry, scores: dict[int, tuple[int, str]], now: dt.datetime | None = None
) -> list[Score]:
    """The juror's score and note on each criterion of the entry (all at once; a second send replaces them)."""
    now = now or timezone.now()
    call = Call.objects.get(pk=entry.call_id)  # the status as it is now, not as a page loaded it
    _refuse_unless_judging(call, now)
    why_not = may_score(juror, entry)
    if why_not:
        raise CallError(why_not)
    criteria = {c.pk: c for c in call.criteria.all()}
    if set(scores) != set(criteria):
        raise CallError(_("Give a score on every criterion."))
    for criterion_id, (value, note) in scores.items():
        if not isinstance(value, int) or not 1 <= value <= call.scale_max:
            raise CallError(
                _("Scores on “%(criterion)s” go from 1 to %(max)s; %(value)s is outside the scale.")
                % {"criterion": criteria[criterion_id].name, "max": call.scale_max, "value": value}
            )
        if len(note or "") > 2000:
            raise CallError(_("A note is 2,000 characters at most."))
    with transaction.atomic():
        return [
            Score.objects.update_or_create(
                entry=entry, juror=juror, criterion_id=pk, defaults={"value": value, "note": (note or "").strip()}
            )[0]
            for pk, (value, note) in scores.items()
        ]


def call_publish_results(*, call: Call, actor, now: dt.datetime | None = None) -> Call:
    """Rank the entries from the scores, publish the results and book each prize in the ledger (exactly once:
    the move is made under the call's lock, so a second click or a concurrent request is refused)."""
    now = now or timezone.now()
    if now < call.judging_ends_at and expected_scores_missing(call):
        raise CallError(
            _(
                "Some scores are still missing: the results can be published once every juror has scored, or after "
                "judging ends on %(when)s."
            )
            % {"when": _when(call.judging_ends_at)}
        )
    with transaction.atomic():
        lifecycle.check(
            Call, Call.objects.select_for_update().get(pk=call.pk).status, Call.Status.RESULTS, refusal=CallMoveRefused
        )
        rows = ranking(call)
        for row in rows:
            if row.prize is not None:
                refuse_self_payment(actor, row.entry.artist, action=_("award a prize to"))
        for row in rows:
            Entry.objects.filter(pk=row.entry.pk).update(rank=row.rank, total=to_cents(row.total), prize=row.prize)
        lifecycle.move(call, Call.Status.RESULTS, actor=actor, refusal=CallMoveRefused)
        prizes_book(call=call, actor=actor, today=timezone.localdate(now))
    return call


def prizes_book(*, call: Call, actor, today: dt.date | None = None) -> list[LedgerLine]:
    """One earned ledger line per prize won, keyed by the call and the entry: booking again (a retry, a race)
    returns the lines already there."""
    if not Call.objects.filter(pk=call.pk, status=Call.Status.RESULTS).exists():
        raise CallError(_("Prizes are booked when the results are published."))
    today = today or timezone.localdate()
    winners = Entry.objects.filter(call=call, prize__isnull=False).select_related("prize", "artist", "video")
    return [_book_one(call, entry, actor=actor, today=today) for entry in winners]


def _book_one(call: Call, entry: Entry, *, actor, today: dt.date) -> LedgerLine:
    key = f"prize:{call.pk}:{entry.pk}"
    existing = LedgerLine.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    refuse_deleted_account(entry.artist)
    try:
        with transaction.atomic():
            return LedgerLine.objects.create(
                program=call.program,
                user=entry.artist,
                kind=LedgerLine.Kind.EARNED,
                source=LedgerLine.Source.PRIZE,
                amount=entry.prize.amount,
                currency=call.currency,
                booked_on=today,
                idempotency_key=key,
                **columns(
                    "label",
                    Said(
                        gettext_noop("Prize: %(prize)s, %(call)s (%(video)s)"),
                        prize=entry.prize.label,
                        call=call.title,
                        video=entry.video.display_title,
                    ),
                    limit=300,
                ),
                source_url=reverse("calls:results", args=[call.pk]),
                actor=actor,
            )
    except IntegrityError:
        existing = LedgerLine.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return existing
