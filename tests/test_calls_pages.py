"""Open-call pages: what each person sees before and after the results, refusals in words, the report and the
gallery's mark, and the prize on the winner's statement."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from calls.models import Call, Entry
from calls.services import calls as services
from tests.calls_helpers import approved_video, open_call, to_judging
from tests.conftest import enrol, make_user
from transparency.calls import calls_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(program, staff, reviewer):
    return open_call(program, staff, jurors=[reviewer])


def _entry(call, artist, title="Entry film"):
    video = approved_video(artist, call.program, title)
    return services.entry_submit(call=call, artist=artist, video_id=video.pk, statement="Secret statement.")


def _score(call, juror_user, entry, value):
    juror = call.jurors.get(user=juror_user)
    services.scores_record(juror=juror, entry=entry, scores={c.pk: (value, "") for c in call.criteria.all()})


def test_entries_are_private_until_the_results(client, call, artist, other_artist):
    entry = _entry(call, artist, "Hidden film")
    client.force_login(artist)
    assert "Hidden film" in client.get(reverse("calls:detail", args=[call.pk])).text
    for who in (other_artist, None):
        client.logout()
        if who:
            client.force_login(who)
        page = client.get(reverse("calls:detail", args=[call.pk])).text
        assert "Hidden film" not in page and "Secret statement" not in page
        assert client.get(reverse("calls:results", args=[call.pk])).status_code == 404
        assert client.get(reverse("calls:judge_entry", args=[entry.pk])).status_code in (302, 404)


def test_a_juror_does_not_see_their_own_entry(client, program, staff, artist, other_artist):
    call = open_call(program, staff, jurors=[artist, other_artist])
    own = _entry(call, artist, "My own film")
    theirs = _entry(call, other_artist, "Their film")
    client.force_login(artist)
    jury = client.get(reverse("calls:judge", args=[call.pk])).text
    assert "Their film" in jury and "My own film" not in jury and "You entered this call yourself" in jury
    assert client.get(reverse("calls:judge_entry", args=[own.pk])).status_code == 404
    assert client.get(reverse("calls:judge_entry_file", args=[own.pk])).status_code == 404
    to_judging(call, staff)
    response = client.post(reverse("calls:score", args=[own.pk]), {})
    assert response.status_code == 404
    assert client.get(reverse("calls:judge_entry", args=[theirs.pk])).status_code == 200


def test_a_score_outside_the_scale_is_refused_with_a_clear_message(client, call, staff, artist, reviewer):
    entry = _entry(call, artist)
    to_judging(call, staff)
    client.force_login(reviewer)
    data = {}
    for criterion in call.criteria.all():
        data[f"score_{criterion.pk}"] = "11"
        data[f"note_{criterion.pk}"] = "Strong."
    response = client.post(reverse("calls:score", args=[entry.pk]), data)
    assert response.status_code == 400
    assert "A score goes from 1 to 10." in response.text and "Nothing was recorded" in response.text
    assert not entry.scores.exists()


def test_an_entry_after_the_deadline_is_refused_with_a_clear_message(client, call, artist):
    video = approved_video(artist, call.program)
    Call.objects.filter(pk=call.pk).update(
        opens_at=timezone.now() - dt.timedelta(days=3), closes_at=timezone.now() - dt.timedelta(minutes=1)
    )
    client.force_login(artist)
    response = client.post(
        reverse("calls:enter_submit", args=[call.pk]), {"video": video.pk, "statement": "Late."}, follow=True
    )
    assert "Entries closed on" in response.text
    assert not Entry.objects.exists()


def test_staff_draft_a_call_from_the_form_and_bad_lines_are_named(client, program, staff, reviewer):
    client.force_login(staff)
    now = timezone.localtime()
    form = {
        "title": "Short films about light",
        "kind": "competition",
        "brief": "Light.",
        "opens_at": (now + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
        "judging_ends_at": (now + dt.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
        "results_on": (now + dt.timedelta(days=21)).date().isoformat(),
        "criteria": "Story | 60 | What it tells\nCraft | forty",
        "scale_max": "10",
        "tie_break": "earliest_entry",
        "prizes": "First prize | 1000 | 1",
        "currency": "EUR",
        "ip_terms": "You keep every right.",
        "jurors": "reviewer@example.com",
        "jurors_shown": "number",
    }
    url = reverse("calls:staff_call_create", args=[program.slug])
    response = client.post(url, form)
    assert response.status_code == 400 and "Line 2: “forty” is not a whole number." in response.text
    form |= {"criteria": "Story | 60 | What it tells\nCraft | 40", "currency": "jpy", "prizes": "First | 1000.50 | 1"}
    response = client.post(url, form)
    assert response.status_code == 400 and "Line 1: JPY has no decimals." in response.text
    form |= {"prizes": "First prize | 100000 | 1"}
    response = client.post(url, form)
    call = Call.objects.get()
    assert call.currency == "JPY" and call.prize_tiers.get().amount == Decimal("100000")
    assert response.status_code == 302 and call.status == Call.Status.DRAFT
    assert [(c.name, c.weight) for c in call.criteria.all()] == [("Story", 60), ("Craft", 40)]
    assert client.get(reverse("calls:detail", args=[call.pk])).status_code == 404  # a draft is not public
    client.post(reverse("calls:staff_call_move", args=[call.pk]), {"to": "open"})
    call.refresh_from_db()
    assert call.status == Call.Status.OPEN


def _finished(program, staff, reviewer, artists, *, prizes=None):
    changes = {"prizes": prizes} if prizes else {}
    call = open_call(program, staff, jurors=[reviewer], **changes)
    entries = [_entry(call, person, f"Film {i}") for i, person in enumerate(artists)]
    to_judging(call, staff)
    for value, entry in enumerate(entries, start=1):
        _score(call, reviewer, entry, min(value, 10))
    services.call_publish_results(call=call, actor=staff)
    return call, entries


def test_results_page_shows_winners_scores_and_counts(client, program, staff, reviewer, artist, other_artist):
    call, _entries = _finished(program, staff, reviewer, [artist, other_artist])
    page = client.get(reverse("calls:results", args=[call.pk])).text
    assert "Rita Reviewer" in page  # jurors by name, as the call says
    assert "First prize" in page and "Film 1" in page
    Call.objects.filter(pk=call.pk).update(jurors_shown=Call.JurorsShown.BY_NUMBER)
    page = client.get(reverse("calls:results", args=[call.pk])).text
    assert "Rita Reviewer" not in page and "Juror 1" in page


def test_the_prize_is_on_the_winners_statement(client, program, staff, reviewer, artist, other_artist):
    from tests.conftest import make_rate_card

    make_rate_card(program)
    _finished(program, staff, reviewer, [artist, other_artist])
    today = timezone.localdate()
    client.force_login(other_artist)  # the higher score: the first prize
    url = reverse("compensation:statement", args=[program.slug, today.year, today.month])
    page = client.get(url).text
    assert "Prize: First prize, Night trains (Film 1)" in page


def test_the_report_counts_calls_with_small_cells_suppressed(client, program, staff, reviewer, artist, other_artist):
    _finished(program, staff, reviewer, [artist, other_artist])
    figures = calls_figures(program)
    assert figures.entrants.status == "fewer_than_5" and figures.calls[0].winners.status == "fewer_than_5"
    people = [make_user(f"a{i}@example.com", display_name=f"A{i}") for i in range(6)]
    for person in people:
        enrol(person, program, cohort=program.cohorts.first())
    prizes = (("Selected", Decimal("100.00"), 5),)
    _finished(program, staff, reviewer, people, prizes=prizes)
    figures = calls_figures(program)
    newest = figures.calls[0]
    assert (newest.entrants.text, newest.entries.text, newest.winners.text) == ("6", "6", "5")
    # The older call's money (two winners) is hidden; total = older + newer, so one of those two is withheld too.
    assert figures.calls[1].prize_money.status == "fewer_than_5"
    assert "withheld" in (newest.prize_money.status, figures.money[0].total.status)
    page = client.get(reverse("transparency:report", args=[program.slug])).text
    assert "Opportunities: open calls" in page


def test_the_gallery_marks_a_winning_video(client, program, staff, reviewer, artist, other_artist):
    call, _entries = _finished(program, staff, reviewer, [artist, other_artist])
    winner = Entry.objects.get(call=call, rank=1)
    from submissions.models import Video

    Video.objects.filter(pk=winner.video_id).update(status=Video.Status.PUBLISHED)
    page = client.get(reverse("submissions:gallery")).text
    assert "First prize, Night trains" in page


def test_the_gallery_names_the_screening_that_shows_a_winning_film(
    client, program, staff, reviewer, artist, other_artist
):
    from calls.models import Event
    from submissions.models import Video
    from tests.grants_helpers import make_event

    call, _entries = _finished(program, staff, reviewer, [artist, other_artist])
    winner = Entry.objects.get(call=call, rank=1)
    Video.objects.filter(pk=winner.video_id).update(status=Video.Status.PUBLISHED)
    screening = make_event(program, kind=Event.Kind.SCREENING, title="Harbour cinema night", open_call=call)
    make_event(program, kind=Event.Kind.SCREENING, title="Unpublished night", open_call=call, published=False)

    page = client.get(reverse("submissions:gallery")).text
    assert "Screened at Harbour cinema night" in page
    assert "Unpublished night" not in page
    client.force_login(artist)
    event_page = client.get(reverse("calls:event_detail", args=[screening.pk])).text
    assert f'href="{reverse("calls:results", args=[call.pk])}"' in event_page  # the films it shows, and their scores
