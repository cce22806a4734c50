"""Agreements are content: each version may be published in several languages; the artist reads the one in their
language (or the program's default), accepts it, and the acceptance records which language they were shown."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from programs.access import contributing_enrolment, current_agreement
from programs.errors import AgreementOutdated, TransitionRefused
from programs.models import AgreementAcceptance
from programs.services import agreements
from tests.conftest import AGREEMENT_V1, publish_agreement

pytestmark = pytest.mark.django_db
ES_V1 = "1. Se te paga cada hora.\n\n2. Sé amable con los demás artistas (ñ, é)."
FR_V1 = "1. Vous êtes payé chaque heure.\n\n2. Soyez aimable : œuvre, reçu, à bientôt."


def translate(program, language: str, body: str, *, actor=None):
    draft = agreements.agreement_draft_save(
        program=program, title="Acuerdo", body=body, summary_of_changes="", actor=actor, language=language
    )
    return agreements.agreement_publish(version=draft, actor=actor)


def test_a_translation_is_the_same_version_and_the_reader_gets_their_language(program, staff):
    original = publish_agreement(program, actor=staff)
    spanish = translate(program, "es", ES_V1, actor=staff)
    assert (spanish.version, spanish.language, original.language) == (1, "es", "en-gb")
    assert current_agreement(program, "es") == spanish
    assert current_agreement(program, "fr") == original  # no French yet: the program's default
    with translation.override("es"):
        assert current_agreement(program) == spanish
    with translation.override("en-gb"):
        assert current_agreement(program) == original


def test_the_fallback_is_the_programs_default_language(program, staff):
    program.language = "fr"
    program.save(update_fields=["language"])
    draft = agreements.agreement_draft_save(
        program=program, title="Accord", body=FR_V1, summary_of_changes="", actor=staff
    )
    assert draft.language == "fr"  # a new version is written in the default language
    french = agreements.agreement_publish(version=draft, actor=staff)
    assert current_agreement(program, "es") == french


def test_publishing_a_translation_asks_nobody_to_accept_again(
    program, staff, artist, django_capture_on_commit_callbacks
):
    publish_agreement(program, actor=staff)
    enrolment = artist.enrolments.get()
    agreements.record_acceptance(enrolment, current_agreement(program, "en-gb"), ip_address=None, user_agent="")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        translate(program, "es", ES_V1, actor=staff)
    assert mail.outbox == []
    assert contributing_enrolment(artist, program) == enrolment  # the same version, read in another language


def test_only_the_current_version_is_translated_once_per_language(program, staff):
    with pytest.raises(TransitionRefused, match="default language before translating"):
        agreements.agreement_draft_save(
            program=program, title="t", body=ES_V1, summary_of_changes="", actor=staff, language="es"
        )
    publish_agreement(program, actor=staff)
    stale = agreements.agreement_draft_save(
        program=program, title="t", body=ES_V1, summary_of_changes="", actor=staff, language="es"
    )
    publish_agreement(program, AGREEMENT_V1 + "\n\n4. New rule.", actor=staff)  # version 2 while translating 1
    with pytest.raises(TransitionRefused, match="version 2 is now current"):
        agreements.agreement_publish(version=stale, actor=staff)
    stale.delete()
    translate(program, "es", ES_V1 + " v2", actor=staff)
    with pytest.raises(TransitionRefused, match="already published in that language"):
        agreements.agreement_draft_save(
            program=program, title="t", body=ES_V1, summary_of_changes="", actor=staff, language="es"
        )


def speaks(user, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


def test_accepting_in_spanish_records_the_language_shown(client, program, staff, artist):
    publish_agreement(program, actor=staff)
    spanish = translate(program, "es", ES_V1, actor=staff)
    AgreementAcceptance.objects.all().delete()
    speaks(artist, "es")  # the reader's saved language: every page and this acceptance in Spanish
    client.force_login(artist)
    page = client.get(reverse("programs:agreement", args=[program.slug]))
    assert page.status_code == 200 and "Sé amable" in page.content.decode()
    assert 'lang="es"' in page.content.decode() and "data-agreement-language" not in page.content.decode()
    data = {"version": spanish.pk, "content_hash": spanish.content_hash, "confirm": "on"}
    response = client.post(reverse("programs:agreement_accept", args=[program.slug]), data)
    assert response.status_code == 302
    acceptance = AgreementAcceptance.objects.get()
    assert (acceptance.version, acceptance.language, acceptance.content_hash) == (
        spanish,
        "es",
        spanish.content_hash,
    )
    assert contributing_enrolment(artist, program) is not None


def test_accepting_the_same_version_in_a_second_language_is_one_row(program, staff, artist):
    english = publish_agreement(program, actor=staff)
    spanish = translate(program, "es", ES_V1, actor=staff)
    enrolment = artist.enrolments.get()
    AgreementAcceptance.objects.all().delete()
    first = agreements.agreement_accept(
        enrolment=enrolment, version_id=spanish.pk, submitted_hash=spanish.content_hash, actor=artist, ip_address=None
    )
    again = agreements.agreement_accept(
        enrolment=enrolment, version_id=english.pk, submitted_hash=english.content_hash, actor=artist, ip_address=None
    )
    assert first == again and AgreementAcceptance.objects.count() == 1 and first.language == "es"


def test_a_translation_of_an_old_version_cannot_be_accepted(program, staff, artist):
    publish_agreement(program, actor=staff)
    old_spanish = translate(program, "es", ES_V1, actor=staff)
    publish_agreement(program, AGREEMENT_V1 + "\n\n4. New rule.", actor=staff)
    with pytest.raises(AgreementOutdated, match="version 2"):
        agreements.agreement_accept(
            enrolment=artist.enrolments.get(),
            version_id=old_spanish.pk,
            submitted_hash=old_spanish.content_hash,
            actor=artist,
            ip_address=None,
        )


def test_ledger_text_is_written_in_the_site_language_whoever_books_it():
    from core.recorded import Choice, stored
    from programs.models import LedgerLine

    with translation.override("es"):
        method = Choice(LedgerLine.Method, LedgerLine.Method.BANK_TRANSFER)
        assert method.text() == "Transferencia bancaria"  # shown in the reader's
        assert stored(method)[0] == "Bank transfer"  # stored in the site's


def test_a_reader_without_a_translation_is_told_the_text_is_in_the_programs_language(client, program, staff, artist):
    publish_agreement(program, actor=staff)
    translate(program, "es", ES_V1, actor=staff)
    speaks(artist, "fr")
    client.force_login(artist)
    html = client.get(reverse("programs:agreement", args=[program.slug])).content.decode()
    assert 'lang="en-gb"' in html and 'data-agreement-language="en-gb"' in html
    assert "You test the model and tell us what you find." in html and "Sé amable" not in html
