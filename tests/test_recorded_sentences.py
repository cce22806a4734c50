"""Sentences the system records (core/recorded.py) are read in each reader's language: the history of a video, the
ledger lines on the artist's pages and statements, the reason a file was refused. The text column keeps English,
whoever's request wrote the row, and rows written before (text only) still show their text."""

import csv
import datetime as dt
import html
import io

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop
from pypdf import PdfReader

from core.recorded import Choice, Day, Said, Size, shown, stored
from programs.models import LedgerLine, TimeEntry
from programs.services.compensation import award_record, payout_record, timeentry_approve, timeentry_log
from programs.services.trust import trusted_publisher_grant
from submissions.models import Appeal, Video, VideoEvent
from submissions.services import approvals
from submissions.services import videos as video_services
from tests.approval_helpers import fresh_clip, setup_review, video_in_review
from tests.conftest import make_rate_card, make_user
from tests.video_helpers import make_video


def speaks(user, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


def page(client, user, url: str) -> str:
    client.force_login(user)
    return html.unescape(client.get(url).content.decode())


# --- The sentence itself -------------------------------------------------------------------------------------
def test_a_sentence_written_while_a_french_reader_is_active_is_stored_in_english_and_shown_in_each_language():
    said = Said(
        gettext_noop("Appeal decided: %(outcome)s."), outcome=Choice(Appeal.Outcome, Appeal.Outcome.UPHELD, lower=True)
    )
    with translation.override("fr"):
        text, data = stored(said)
        assert text == "Appeal decided: rejection upheld."
        assert shown(text, data) == "Recours tranché : refus maintenu."
    with translation.override("es"):
        assert shown(text, data) == "Apelación decidida: rechazo mantenido."
    assert shown(text, data) == "Appeal decided: rejection upheld."


def test_numbers_dates_and_sizes_are_written_in_the_readers_format():
    said = Said(
        gettext_noop("%(hours)s %(category)s on %(day)s at %(rate)s %(currency)s/h (entry #%(entry)s)"),
        hours="2 h",
        category=Choice(TimeEntry.Category, TimeEntry.Category.TESTING, lower=True),
        day=Day(dt.date(2026, 3, 4)),
        rate="25.00",
        currency="EUR",
        entry=7,
    )
    text, data = stored(said)
    assert text == "2 h testing on 4 Mar 2026 at 25.00 EUR/h (entry #7)"
    with translation.override("es"):
        assert shown(text, data) == "2 h de pruebas el 4 de marzo de 2026 a 25.00 EUR/h (entrada n.º 7)"
    received = Said(gettext_noop("Received: %(size)s."), size=Size(1_500_000))
    assert stored(received)[0] == "Received: 1.4 MB."
    with translation.override("fr"):
        assert received.text() == "Reçu : 1,4 Mio."


def test_a_persons_words_and_older_rows_are_shown_as_written():
    assert stored("The reviewer's own note.") == ("The reviewer's own note.", None)
    with translation.override("es"):
        assert shown("Written before sentences were recorded.", None) == "Written before sentences were recorded."
        gone = {"choice": "submissions.models.Appeal.NoSuchChoices", "value": "x"}
        assert shown("The English text.", gone) == "The English text."  # a choice renamed since: the text


# --- A video's history -----------------------------------------------------------------------------------------
@pytest.fixture
def people(program, artist, reviewer):
    second = make_user("second@example.com", display_name="Sid Second")
    lead = make_user("lead@example.com", display_name="Lea Lead")
    return {"artist": artist, "safety": reviewer, "second": second, "lead": lead}


@pytest.fixture
def rules(program, people):
    return setup_review(program, safety=[people["safety"], people["second"]], lead=[people["lead"]])


def rejected_appealed_and_upheld(program, people, rules) -> Video:
    video = video_in_review(people["artist"], program)
    approvals.review_decide(
        video_id=video.pk, reviewer=people["safety"], outcome="reject", reason_code=rules["code"], note="A face."
    )
    approvals.video_appeal(video_id=video.pk, artist=people["artist"], statement="It is me.")
    with translation.override("fr"):  # a French reviewer's request writes the decision
        approvals.appeal_decide(video_id=video.pk, reviewer=people["lead"], overturn=False, note="Still a face.")
    return video


def test_a_spanish_artist_reads_the_history_of_their_videos_in_spanish(client, program, people, rules, staff):
    artist = people["artist"]
    appealed = rejected_appealed_and_upheld(program, people, rules)
    upheld = appealed.events.get(to_status=Video.Status.REJECTED, from_status=Video.Status.APPEALED)
    assert upheld.reason == "Appeal decided: rejection upheld."  # English, though French was active
    assert upheld.reason_said["msgid"] == "Appeal decided: %(outcome)s."

    old = video_in_review(artist, program)
    approvals.review_decide(
        video_id=old.pk, reviewer=people["safety"], outcome="request_changes", reason_code=rules["code"], note="Blur"
    )
    new = video_in_review(artist, program)
    approvals.review_link_new_version(new_video=new, old_video=old, artist=artist)
    withdrawn = video_in_review(artist, program)
    video_services.video_withdraw(video=withdrawn, actor=artist)
    trusted_publisher_grant(enrolment=artist.enrolments.get(program=program), actor=staff, reason="Partner studio.")
    trusted = make_video(artist, program, data=fresh_clip())

    speaks(artist, "es")
    detail = {video: page(client, artist, reverse("submissions:video_detail", args=[video.pk]))
              for video in (appealed, old, withdrawn, trusted)}  # fmt: skip
    assert "El artista apeló el rechazo." in detail[appealed]
    assert "Apelación decidida: rechazo mantenido." in detail[appealed]
    assert f"Se subió una nueva versión: vídeo n.º {new.pk}." in detail[old]
    assert "Retirado por el artista." in detail[withdrawn]
    assert "Aprobado sin revisión: el artista publica con confianza." in detail[trusted]
    assert "Comprobado: 0.4 s" in detail[trusted] or "Comprobado: 0,4 s" in detail[trusted]
    assert "The artist appealed the rejection." not in detail[appealed]

    speaks(artist, "en-gb")
    english = page(client, artist, reverse("submissions:video_detail", args=[appealed.pk]))
    assert "The artist appealed the rejection." in english and "Appeal decided: rejection upheld." in english
    english = page(client, artist, reverse("submissions:video_detail", args=[trusted.pk]))
    assert "Approved without review: the artist is a trusted publisher." in english


def test_an_appeal_granted_by_its_deadline_is_explained_in_the_artists_language(
    client, program, people, rules, django_capture_on_commit_callbacks
):
    artist = people["artist"]
    speaks(artist, "es")
    video = video_in_review(artist, program)
    approvals.review_decide(
        video_id=video.pk, reviewer=people["safety"], outcome="reject", reason_code=rules["code"], note="A face."
    )
    approvals.video_appeal(video_id=video.pk, artist=artist, statement="It is me.")
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)), django_capture_on_commit_callbacks(execute=True):
        assert approvals.appeals_overturn_overdue() == 1
    spanish = "Ningún revisor decidió la apelación dentro del plazo de apelación del programa."
    assert Appeal.objects.get(video=video).note.startswith("No reviewer decided the appeal")
    assert spanish in mail.outbox[-1].body
    assert spanish in page(client, artist, reverse("submissions:video_detail", args=[video.pk]))


def test_an_older_history_row_without_a_sentence_shows_its_text(client, program, artist):
    video = video_in_review(artist, program)
    VideoEvent.objects.create(
        video=video, from_status=video.status, to_status=video.status, reason="Written by an older release."
    )
    speaks(artist, "es")
    assert "Written by an older release." in page(client, artist, reverse("submissions:video_detail", args=[video.pk]))


def test_the_reason_a_file_was_refused_is_shown_in_the_readers_language(client, program, artist):
    video = make_video(artist, program, data=fresh_clip(), process=False)
    refused = video_services.video_reject_invalid(
        video_id=video.pk, reason=Said(gettext_noop("The file was not found in storage."))
    )
    assert refused.invalid_reason == "The file was not found in storage."
    speaks(artist, "fr")
    detail = page(client, artist, reverse("submissions:video_detail", args=[video.pk]))
    with translation.override("fr"):
        expected = translation.gettext("The file was not found in storage.")
    assert expected != refused.invalid_reason and expected in detail


# --- Ledger lines --------------------------------------------------------------------------------------------
@pytest.fixture
def ledger(program, artist, staff):
    """An award, approved hours (approved while a French staff member's request was active), and a payout."""
    make_rate_card(program)
    award_record(user=artist, program=program, title="Launch film", amount="50.00", reason="Good.",
                 idempotency_key="t:award", actor=staff)  # fmt: skip
    entry = timeentry_log(user=artist, program=program, worked_on=timezone.localdate(), minutes=120,
                          category=TimeEntry.Category.TESTING)  # fmt: skip
    with translation.override("fr"):
        timeentry_approve(entry=entry, actor=staff)
    payout_record(user=artist, program=program, amount="20.00", currency="EUR", method="bank_transfer",
                  idempotency_key="t:payout", actor=staff, external_reference="TR-9")  # fmt: skip
    return entry


def statement_urls(program) -> dict[str, str]:
    today = timezone.localdate()
    args = {"slug": program.slug, "year": today.year, "month": today.month}
    return {
        "page": reverse("compensation:statement", kwargs=args),
        "csv": reverse("compensation:statement_csv", kwargs=args),
        "pdf": reverse("compensation:statement_pdf", kwargs=args),
    }


def statement_texts(client, artist, program) -> dict[str, str]:
    client.force_login(artist)
    urls = statement_urls(program)
    texts = {"page": page(client, artist, urls["page"])}
    rows = csv.reader(io.StringIO(client.get(urls["csv"]).content.decode("utf-8-sig")))
    texts["csv"] = "\n".join(" | ".join(row) for row in rows)
    pdf = PdfReader(io.BytesIO(client.get(urls["pdf"]).content))
    texts["pdf"] = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    return texts


def test_a_spanish_artist_reads_their_ledger_in_spanish_and_an_english_one_in_english(client, program, artist, ledger):
    hours = LedgerLine.objects.get(source=LedgerLine.Source.HOURS)
    assert hours.label.startswith("2 h testing on ")  # English, though a French request approved it
    speaks(artist, "es")
    spanish = statement_texts(client, artist, program)
    for name, text in spanish.items():
        assert "Pago por transferencia bancaria, referencia TR-9" in text, name
        assert "2 h de pruebas el " in text, name
        assert "Premio: Launch film" in text, name
        assert "Payout by bank transfer" not in text, name

    speaks(artist, "en-gb")
    english = statement_texts(client, artist, program)
    for name, text in english.items():
        assert "Payout by bank transfer, reference TR-9" in text, name
        assert "2 h testing on " in text, name
        assert "Award: Launch film" in text, name


def test_a_reversal_quotes_the_line_it_reverses_in_the_readers_language(program, artist, staff, ledger):
    from programs.services.compensation import line_reverse

    paid = LedgerLine.objects.get(kind=LedgerLine.Kind.PAID)
    reversal = line_reverse(line=paid, reason="The bank returned it.", actor=staff)
    assert reversal.label == f"Reverses line #{paid.pk} (Payout by bank transfer, reference TR-9)"
    with translation.override("es"):
        assert reversal.label_text == f"Anula la línea n.º {paid.pk} (Pago por transferencia bancaria, referencia TR-9)"
        assert reversal.reason_text == "The bank returned it."  # a person's words, as typed


def test_an_older_ledger_line_without_a_sentence_shows_its_label(program, artist):
    line = LedgerLine.objects.create(
        program=program, user=artist, kind=LedgerLine.Kind.EARNED, source=LedgerLine.Source.CREDIT,
        amount="5.00", currency="EUR", booked_on=timezone.localdate(), idempotency_key="old:1",
        label="Accepted feedback: an older line",
    )  # fmt: skip
    with translation.override("es"):
        assert line.label_text == "Accepted feedback: an older line"


def test_a_credit_booked_after_waiting_keeps_its_sentence(program, artist):
    from programs.models import Credit, PendingCredit
    from programs.services.credit_bookings import credit_book, pending_credits_retry

    label = Said(gettext_noop("Video “%(video)s”"), video="Dawn")
    assert (
        credit_book(user=artist, program=program, kind=Credit.Kind.VIDEO_APPROVED, reference=1, source_label=label)
        is None
    )
    pending = PendingCredit.objects.get()  # no rate card yet: it waits
    assert pending.source_label == "Video “Dawn”"
    make_rate_card(program)
    pending_credits_retry()
    line = LedgerLine.objects.get(source=LedgerLine.Source.CREDIT)
    assert line.label == "Approved video: Video “Dawn”"  # the kind, then what earned it
    with translation.override("es"):
        assert pending.source_label_text == "Vídeo «Dawn»"
        assert line.credit.source_label_text == "Vídeo «Dawn»"
        assert line.label_text == "Vídeo aprobado: Vídeo «Dawn»"


# --- Decisions on applications, invitations and exemptions --------------------------------------------------------
def test_a_withdrawn_application_reads_in_the_applicants_language(client, program):
    from programs.services.applications import application_withdraw
    from tests.conftest import make_application

    applicant = make_user("applicant@example.com", display_name="Ana Applicant")
    application = application_withdraw(application=make_application(applicant, program), actor=applicant)
    assert application.decision_reason == "Withdrawn by the applicant."  # the record keeps English
    speaks(applicant, "es")
    assert "Retirada por quien la envió." in page(
        client, applicant, reverse("programs:application", args=[program.slug])
    )
    staff_typed = make_application(make_user("other@example.com"), program, decision_reason="Portfolio link broken.")
    with translation.override("fr"):
        assert (application.decision_reason_text, staff_typed.decision_reason_text) == (
            "Retirée par le demandeur.",
            "Portfolio link broken.",
        )


def test_leaving_ends_the_exemption_with_a_sentence_in_each_readers_language(program, artist, staff):
    from programs.models import TrustedPublisher
    from programs.services.enrolment import enrolment_leave

    enrolment = artist.enrolments.get(program=program)
    trusted_publisher_grant(enrolment=enrolment, actor=staff, reason="Partner studio.")
    enrolment_leave(enrolment=enrolment, actor=artist)
    grant = TrustedPublisher.objects.get(enrolment=enrolment)
    assert grant.revoke_reason == "The artist left the program."
    with translation.override("es"):
        assert grant.revoke_reason_text == "La persona artista dejó el programa."


def test_an_invitation_closed_by_the_system_reads_in_each_language(program, staff):
    from programs.services.invitation_states import invitation_close
    from programs.services.invitations import invitation_send

    invitation = invitation_send(program=program, cohort=program.cohorts.first(), email="new@example.com", actor=staff)
    invitation = invitation_close(invitation, "revoked", actor=None, reason=Said(gettext_noop("Left the program.")))
    assert invitation.close_reason == "Left the program."
    with translation.override("fr"):
        assert invitation.close_reason_text == "A quitté le programme."
