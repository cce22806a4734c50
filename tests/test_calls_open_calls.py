"""Open calls: publish, enter, judge, rank, publish results, book prizes exactly once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from calls.models import Call, ConflictDeclaration, Entry
from calls.selectors.calls import ranking, score_table
from calls.services import calls as services
from core.errors import DomainError, TransitionRefused
from programs.models import LedgerLine
from tests.calls_helpers import approved_video, open_call, terms, to_judging
from tests.conftest import enrol, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def guest(program):
    """A named guest on the jury: an account with no role in the program."""
    return make_user("guest@example.com", display_name="Gil Guest")


@pytest.fixture
def call(program, staff, reviewer, guest):
    return open_call(program, staff, jurors=[reviewer, guest])


def _enter(call, artist, title="Entry film"):
    video = approved_video(artist, call.program, title)
    return services.entry_submit(call=call, artist=artist, video_id=video.pk, statement="Why this film.")


def _score_all(call, juror_user, entry, values):
    juror = call.jurors.get(user=juror_user)
    criteria = list(call.criteria.all())
    return services.scores_record(
        juror=juror, entry=entry, scores={c.pk: (v, f"note {v}") for c, v in zip(criteria, values, strict=True)}
    )


def test_a_draft_is_not_public_and_opening_records_history(program, staff, reviewer):
    call = services.call_create(program=program, actor=staff, terms=terms(jurors=[reviewer]))
    assert call.status == Call.Status.DRAFT and not call.is_public
    services.call_open(call=call, actor=staff)
    assert list(call.events.values_list("from_status", "to_status")) == [("", "draft"), ("draft", "open")]
    with pytest.raises(TransitionRefused):
        services.call_open(call=call, actor=staff)


def test_published_terms_cannot_change(call, staff, reviewer):
    with pytest.raises(services.CallError, match="can no longer change"):
        services.call_update(call=call, actor=staff, terms=terms(jurors=[reviewer], title="Other"))


def test_bad_terms_are_refused(program, staff, reviewer):
    now = timezone.now()
    with pytest.raises(services.CallError, match="open before they close"):
        services.call_create(
            program=program, actor=staff, terms=terms(jurors=[reviewer], closes_at=now - dt.timedelta(days=2))
        )
    with pytest.raises(services.CallError, match="same name"):
        services.call_create(
            program=program, actor=staff, terms=terms(jurors=[reviewer], criteria=(("A", 1, ""), ("a", 2, "")))
        )
    with pytest.raises(DomainError, match=r"First prize \(got 1500.5\): JPY has no decimals"):
        services.call_create(
            program=program,
            actor=staff,
            terms=terms(jurors=[reviewer], currency="JPY", prizes=(("First prize", Decimal("1500.5"), 1),)),
        )
    assert not Call.objects.exists()


def test_prizes_keep_the_decimals_of_the_calls_currency(program, staff, reviewer):
    prizes = (("First prize", Decimal("150.125"), 1),)
    call = services.call_create(
        program=program, actor=staff, terms=terms(jurors=[reviewer], currency="kwd", prizes=prizes)
    )
    assert (call.currency, call.prize_tiers.get().amount) == ("KWD", Decimal("150.125"))


def test_one_entry_per_video_and_withdraw_then_enter_again(call, artist):
    entry = _enter(call, artist)
    with pytest.raises(services.CallError, match="already entered"):
        services.entry_submit(call=call, artist=artist, video_id=entry.video_id, statement="Again")
    services.entry_withdraw(entry=entry, artist=artist)
    again = services.entry_submit(call=call, artist=artist, video_id=entry.video_id, statement="Back in")
    assert again.pk == entry.pk and again.status == Entry.Status.ENTERED and again.statement == "Back in"
    assert list(entry.events.values_list("to_status", flat=True)) == ["entered", "withdrawn", "entered"]


def test_an_entry_after_the_deadline_is_refused_with_the_date(call, artist):
    video = approved_video(artist, call.program)
    late = call.closes_at + dt.timedelta(minutes=1)
    with pytest.raises(services.CallError, match="Entries closed on"):
        services.entry_submit(call=call, artist=artist, video_id=video.pk, statement="Late", now=late)
    assert not Entry.objects.exists()


def test_only_own_approved_videos_of_eligible_artists_enter(call, artist, other_artist, reviewer, program):
    others = approved_video(other_artist, program)
    with pytest.raises(services.CallError, match="approved or published"):
        services.entry_submit(call=call, artist=artist, video_id=others.pk, statement="Not mine")
    with pytest.raises(services.CallError, match="eligible cohorts"):
        services.entry_submit(call=call, artist=reviewer, video_id=others.pk, statement="Not an artist")


def test_cohort_eligibility(program, staff, reviewer, artist):
    from programs.models import Cohort

    second = Cohort.objects.create(program=program, name="Second", capacity=5)
    call = open_call(program, staff, jurors=[reviewer], cohorts=(second,))
    video = approved_video(artist, program)
    with pytest.raises(services.CallError, match="eligible cohorts"):
        services.entry_submit(call=call, artist=artist, video_id=video.pk, statement="Wrong cohort")


def test_scores_only_while_judging_within_the_scale(call, staff, artist, reviewer):
    entry = _enter(call, artist)
    with pytest.raises(services.CallError, match="being judged"):
        _score_all(call, reviewer, entry, [5, 5])
    to_judging(call, staff)
    entry.refresh_from_db()
    with pytest.raises(services.CallError, match="from 1 to 10; 11 is outside the scale"):
        _score_all(call, reviewer, entry, [11, 5])
    with pytest.raises(services.CallError, match="outside the scale"):
        _score_all(call, reviewer, entry, [0, 5])
    assert not entry.scores.exists()
    _score_all(call, reviewer, entry, [7, 5])
    _score_all(call, reviewer, entry, [8, 5])  # changed before the deadline: replaced, not added
    assert sorted(entry.scores.values_list("value", flat=True)) == [5, 8]


def test_scores_are_locked_at_the_judging_deadline(call, staff, artist, reviewer):
    entry = _enter(call, artist)
    to_judging(call, staff)
    juror = call.jurors.get(user=reviewer)
    criteria = {c.pk: (5, "") for c in call.criteria.all()}
    with pytest.raises(services.CallError, match="scores are locked"):
        services.scores_record(juror=juror, entry=entry, scores=criteria, now=call.judging_ends_at)


def test_a_juror_never_scores_their_own_entry_nor_a_declared_conflict(program, staff, artist, other_artist):
    call = open_call(program, staff, jurors=[artist, other_artist])
    own = _enter(call, artist, "Mine")
    theirs = _enter(call, other_artist, "Theirs")
    to_judging(call, staff)
    with pytest.raises(services.CallError, match="your own entry"):
        _score_all(call, artist, own, [5, 5])
    juror = call.jurors.get(user=artist)
    services.conflict_declare(juror=juror, entry=theirs, reason="We made it together.")
    assert ConflictDeclaration.objects.get().reason == "We made it together."
    with pytest.raises(services.CallError, match="conflict of interest"):
        _score_all(call, artist, theirs, [5, 5])


def test_ranking_comes_from_weighted_scores_and_ties_follow_the_rule(
    call, staff, artist, other_artist, reviewer, guest
):
    a = _enter(call, artist, "A")
    b = _enter(call, other_artist, "B")
    c = _enter(call, other_artist, "C")
    to_judging(call, staff)
    # Story weighs 60, craft 40. A: 8/5 -> 6.8; B: 5/9.5 -> 6.8 (tie, lower story); C: 4/4 -> 4.
    for juror in (reviewer, guest):
        _score_all(call, juror, a, [8, 5])
        _score_all(call, juror, c, [4, 4])
    _score_all(call, reviewer, b, [5, 9])
    _score_all(call, guest, b, [5, 10])
    rows = ranking(call)
    assert [(r.entry.pk, r.rank, r.total_rounded) for r in rows] == [
        (a.pk, 1, Decimal("6.80")),
        (b.pk, 2, Decimal("6.80")),
        (c.pk, 3, Decimal("4.00")),
    ]
    assert [r.prize.label for r in rows] == ["First prize", "Runner-up", "Runner-up"]


def test_results_rank_publish_and_book_each_prize_once(call, staff, artist, other_artist, reviewer, guest):
    a = _enter(call, artist, "A")
    b = _enter(call, other_artist, "B")
    to_judging(call, staff)
    for juror in (reviewer, guest):
        _score_all(call, juror, a, [9, 9])
        _score_all(call, juror, b, [6, 6])
    services.call_publish_results(call=call, actor=staff)
    with pytest.raises(TransitionRefused):
        services.call_publish_results(call=call, actor=staff)  # a double click
    services.prizes_book(call=call, actor=staff)  # a retry
    lines = LedgerLine.objects.filter(source=LedgerLine.Source.PRIZE).order_by("amount")
    assert [(line.user, line.amount, line.currency) for line in lines] == [
        (other_artist, Decimal("500.00"), "EUR"),
        (artist, Decimal("1500.00"), "EUR"),
    ]
    table = score_table(call)
    assert (table.entrants, table.entries, table.winners) == (2, 2, 2)
    assert Entry.objects.get(pk=a.pk).rank == 1


def test_results_wait_for_missing_scores_until_judging_ends(call, staff, artist, reviewer):
    _enter(call, artist)
    to_judging(call, staff)
    with pytest.raises(services.CallError, match="still missing"):
        services.call_publish_results(call=call, actor=staff)
    services.call_publish_results(call=call, actor=staff, now=call.judging_ends_at)
    assert LedgerLine.objects.filter(source=LedgerLine.Source.PRIZE).count() == 0  # an unscored entry wins nothing


def test_staff_never_award_a_prize_to_themselves(program, staff, reviewer):
    enrol(staff, program, cohort=program.cohorts.first())
    call = open_call(program, staff, jurors=[reviewer])
    entry = _enter(call, staff)
    to_judging(call, staff)
    _score_all(call, reviewer, entry, [5, 5])
    with pytest.raises(DomainError, match="yourself"):
        services.call_publish_results(call=call, actor=staff)
    call.refresh_from_db()
    assert call.status == Call.Status.JUDGING and not LedgerLine.objects.filter(source="prize").exists()


def test_personal_data_lists_entries_and_scores_and_erasure_withdraws_open_entries(call, staff, artist, reviewer):
    from calls import personal_data

    entry = _enter(call, artist, "Mine")
    rows = {records.kind.name: records.rows() for records in personal_data.records(artist)}
    assert [(row["call_title"], row["statement"]) for row in rows["call_entries"]] == [
        ("Night trains", "Why this film.")
    ]
    personal_data.erase(artist, reason="Deleted their account.")
    entry.refresh_from_db()
    assert entry.status == Entry.Status.WITHDRAWN and entry.statement == ""
