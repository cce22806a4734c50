"""Agreement versions: publishing, the contribution gate, re-acceptance with a diff, downloads as accepted."""

import hashlib

import pytest
from django.core import mail
from django.urls import reverse

from programs.access import (
    Action,
    contributing_enrolment,
    contributing_enrolments,
    current_agreement,
    may_act_in_program,
)
from programs.agreement_diff import agreement_diff
from programs.errors import AgreementOutdated, TransitionRefused
from programs.models import AgreementAcceptance, AgreementVersion, Enrolment, ProgramRole
from programs.services import agreements
from programs.services.enrolment import enrolment_leave
from tests.conftest import AGREEMENT_V1, accept_current, enrol, make_program, make_user, publish_agreement

pytestmark = pytest.mark.django_db
V2 = (
    AGREEMENT_V1.replace("every hour", "every hour, paid every two weeks,")
    + "\n\n4. Keep unreleased versions confidential."
)


def accept_post(client, program, version, **overrides):
    data = {"version": version.pk, "content_hash": version.content_hash, "confirm": "on", **overrides}
    return client.post(reverse("programs:agreement_accept", args=[program.slug]), data, REMOTE_ADDR="192.0.2.44")


# --- Publishing --------------------------------------------------------------------------------
def test_publishing_freezes_the_text_with_its_hash_and_emails_active_and_paused_artists(
    program, staff, artist, other_artist, django_capture_on_commit_callbacks
):
    Enrolment.objects.filter(user=other_artist).update(status=Enrolment.Status.PAUSED)
    enrol(make_user("gone@example.com"), program, status=Enrolment.Status.LEFT)
    draft = agreements.agreement_draft_save(
        program=program, title="Participation agreement", body=AGREEMENT_V1, summary_of_changes="", actor=staff
    )
    assert draft.version == 1 and not draft.is_published and current_agreement(program) is None

    with django_capture_on_commit_callbacks(execute=True):
        published = agreements.agreement_publish(version=draft, actor=staff)

    assert published.content_hash == hashlib.sha256(AGREEMENT_V1.encode()).hexdigest()
    assert published.published_by == staff and current_agreement(program) == published
    assert sorted(m.to[0] for m in mail.outbox) == [artist.email, other_artist.email]
    assert reverse("programs:agreement", args=[program.slug]) in mail.outbox[0].body


def test_a_published_version_never_changes_and_is_published_once(program, staff):
    version = publish_agreement(program, actor=staff)
    with pytest.raises(TransitionRefused, match="can no longer change"):
        agreements.agreement_draft_save(
            program=program, title="t", body="changed", summary_of_changes="", actor=staff, draft=version
        )
    with pytest.raises(TransitionRefused, match="already published"):
        agreements.agreement_publish(version=version, actor=staff)
    assert AgreementVersion.objects.get(pk=version.pk).body == AGREEMENT_V1


def test_versions_are_numbered_in_order_with_one_draft_at_a_time(program, staff):
    publish_agreement(program, actor=staff)
    draft = agreements.agreement_draft_save(program=program, title="t", body="v2", summary_of_changes="", actor=staff)
    assert draft.version == 2
    with pytest.raises(TransitionRefused, match="already has an unpublished draft"):
        agreements.agreement_draft_save(program=program, title="t", body="v3", summary_of_changes="", actor=staff)


def test_an_empty_agreement_cannot_be_published(program, staff):
    draft = agreements.agreement_draft_save(program=program, title="t", body="   ", summary_of_changes="", actor=staff)
    with pytest.raises(TransitionRefused, match="no text"):
        agreements.agreement_publish(version=draft, actor=staff)


# --- The contribution gate (programs.access.contributing_enrolment) -----------------------------
def test_contributing_needs_an_active_enrolment_and_the_current_version(program, staff, artist):
    enrolment = Enrolment.objects.get(user=artist)
    assert contributing_enrolment(artist, program) == enrolment  # no agreement published: none is asked
    publish_agreement(program, actor=staff)
    assert contributing_enrolment(artist, program) is None
    accept_current(enrolment)
    assert contributing_enrolment(artist, program) == enrolment
    assert may_act_in_program(artist, program, Action.CONTRIBUTE)

    publish_agreement(program, V2, actor=staff)  # must re-accept before the next contribution
    assert contributing_enrolment(artist, program) is None
    accept_current(enrolment)
    assert contributing_enrolment(artist, program) == enrolment


@pytest.mark.parametrize("status", ["invited", "paused", "left", "removed"])
def test_only_active_artists_contribute_even_with_the_agreement_accepted(program, staff, artist, status):
    publish_agreement(program, actor=staff)
    enrolment = Enrolment.objects.get(user=artist)
    accept_current(enrolment)
    Enrolment.objects.filter(pk=enrolment.pk).update(status=status)
    assert contributing_enrolment(artist, program) is None


def test_accepting_in_one_program_does_not_open_another(program, staff, artist):
    other = make_program(slug="other")
    enrol(artist, other)
    publish_agreement(program, actor=staff)
    publish_agreement(other, actor=staff)
    accept_current(Enrolment.objects.get(user=artist, program=program))
    assert contributing_enrolment(artist, program) is not None
    assert contributing_enrolment(artist, other) is None


def test_the_set_of_contributing_enrolments_follows_the_same_rule_in_one_query(
    program, staff, artist, django_assert_num_queries
):
    no_agreement = make_program(slug="no-agreement")
    accepted_old = make_program(slug="accepted-old")
    paused = make_program(slug="paused")
    expected = {Enrolment.objects.get(user=artist, program=program), enrol(artist, no_agreement)}
    publish_agreement(program, actor=staff)
    accept_current(Enrolment.objects.get(user=artist, program=program))
    publish_agreement(accepted_old, actor=staff)
    accept_current(enrol(artist, accepted_old))
    publish_agreement(accepted_old, V2, actor=staff)
    enrol(artist, paused, status="paused")
    with django_assert_num_queries(1):
        found = set(contributing_enrolments(artist))
    assert found == expected
    for enrolment in Enrolment.objects.filter(user=artist):
        assert (contributing_enrolment(artist, enrolment.program) is not None) == (enrolment in expected)


# --- Re-accepting after a change ---------------------------------------------------------------
@pytest.fixture
def on_v1(program, staff, artist):
    v1 = publish_agreement(program, actor=staff)
    accept_current(Enrolment.objects.get(user=artist))
    return v1


def test_after_a_new_version_the_artist_sees_a_plain_language_diff_and_re_accepts(
    client, program, staff, artist, on_v1
):
    v2 = publish_agreement(program, V2, actor=staff)
    client.force_login(artist)
    dashboard = client.get(reverse("dashboard"))
    assert b"published version 2" in dashboard.content

    page = client.get(reverse("programs:agreement", args=[program.slug]))

    assert page.status_code == 200
    diff = page.context["diff"]
    assert diff.summary == "1 paragraph changed, 1 paragraph added; 2 unchanged."
    assert b'<ins><span class="visually-hidden">added: </span>hour, paid every two weeks,</ins>' in page.content
    assert b'<del><span class="visually-hidden">removed: </span>hour</del>' in page.content
    assert b"New paragraph" in page.content

    response = accept_post(client, program, v2)

    assert response.status_code == 302
    acceptance = AgreementAcceptance.objects.get(enrolment__user=artist, version=v2)
    assert acceptance.ip_address == "192.0.2.44" and acceptance.content_hash == v2.content_hash
    assert AgreementAcceptance.objects.filter(enrolment__user=artist).count() == 2  # v1's record is kept
    assert contributing_enrolment(artist, program) is not None


def test_accepting_an_outdated_version_is_refused_and_changes_nothing(client, program, staff, artist, on_v1):
    v2 = publish_agreement(program, V2, actor=staff)
    publish_agreement(program, V2 + "\n\n5. Another change.", actor=staff)
    client.force_login(artist)
    response = accept_post(client, program, v2)
    assert response["Location"] == reverse("programs:agreement", args=[program.slug])
    assert any("version 3" in str(m) for m in response.wsgi_request._messages)
    assert not AgreementAcceptance.objects.filter(version=v2).exists()


def test_the_service_refuses_an_outdated_version(program, staff, artist, on_v1):
    publish_agreement(program, V2, actor=staff)
    with pytest.raises(AgreementOutdated):
        agreements.agreement_accept(
            enrolment=Enrolment.objects.get(user=artist), version_id=on_v1.pk, submitted_hash=on_v1.content_hash,
            actor=artist, ip_address=None,
        )  # fmt: skip


def test_accepting_twice_records_one_row(client, program, staff, artist, on_v1):
    v2 = publish_agreement(program, V2, actor=staff)
    client.force_login(artist)
    accept_post(client, program, v2)
    accept_post(client, program, v2)
    assert AgreementAcceptance.objects.filter(version=v2).count() == 1


def test_accepting_needs_the_box_ticked(client, program, staff, artist, on_v1):
    v2 = publish_agreement(program, V2, actor=staff)
    client.force_login(artist)
    response = accept_post(client, program, v2, confirm="")
    assert response.status_code == 400 and not AgreementAcceptance.objects.filter(version=v2).exists()


def test_refusing_the_new_version_means_leaving_and_keeps_the_records(client, program, staff, artist, on_v1):
    publish_agreement(program, V2, actor=staff)
    client.force_login(artist)
    page = client.get(reverse("programs:leave", args=[program.slug]) + "?agreement=refused")
    assert page.context["form"].initial["reason"] == "I do not accept the new version of the agreement."
    response = client.post(
        reverse("programs:leave_confirm", args=[program.slug]), {"confirm": "on", "reason": "I do not accept v2."}
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=artist)
    assert enrolment.status == Enrolment.Status.LEFT and enrolment.events.last().reason == "I do not accept v2."
    assert enrolment.acceptances.count() == 1


def test_an_invited_or_former_artist_has_no_re_acceptance_page(client, program, staff, artist, on_v1):
    client.force_login(artist)
    enrolment = Enrolment.objects.get(user=artist)
    for status in ("invited", "left"):
        Enrolment.objects.filter(pk=enrolment.pk).update(status=status)
        assert client.get(reverse("programs:agreement", args=[program.slug])).status_code == 404
    with pytest.raises(TransitionRefused, match="invitation"):
        agreements.agreement_accept(
            enrolment=enrolment, version_id=on_v1.pk, submitted_hash=on_v1.content_hash, actor=artist, ip_address=None
        )


def test_the_agreement_page_shows_the_accepted_state(client, program, artist, on_v1):
    client.force_login(artist)
    page = client.get(reverse("programs:agreement", args=[program.slug]))
    assert page.context["accepted_current"] and b"You accepted this version" in page.content


# --- Downloads -----------------------------------------------------------------------------------
def test_the_artist_downloads_the_exact_text_they_accepted_even_after_leaving(client, program, staff, artist, on_v1):
    acceptance = AgreementAcceptance.objects.get(enrolment__user=artist)
    publish_agreement(program, V2, actor=staff)
    enrolment_leave(enrolment=acceptance.enrolment, actor=artist)
    client.force_login(artist)

    response = client.get(reverse("programs:acceptance_download", args=[acceptance.pk]))

    assert response.status_code == 200
    assert response.content == AGREEMENT_V1.encode()
    assert hashlib.sha256(response.content).hexdigest() == acceptance.content_hash == response["X-Content-SHA256"]
    assert response["Content-Disposition"] == f'attachment; filename="{program.slug}-agreement-v1.txt"'


def test_only_the_artist_and_the_program_staff_download_an_acceptance(
    client, program, staff, artist, other_artist, on_v1
):
    acceptance = AgreementAcceptance.objects.get(enrolment__user=artist)
    url = reverse("programs:acceptance_download", args=[acceptance.pk])
    elsewhere = make_user("elsewhere@example.com", is_staff=True)
    ProgramRole.objects.create(user=elsewhere, program=make_program(slug="other"), role=ProgramRole.Role.STAFF)
    expected = {artist: 200, staff: 200, other_artist: 404, elsewhere: 404}
    for person, code in expected.items():
        client.force_login(person)
        assert client.get(url).status_code == code, person


def test_a_tampered_version_text_is_never_served_as_accepted(client, program, artist, on_v1):
    acceptance = AgreementAcceptance.objects.get(enrolment__user=artist)
    AgreementVersion.objects.filter(pk=on_v1.pk).update(body="Something else entirely.")
    client.force_login(artist)
    client.raise_request_exception = False
    assert client.get(reverse("programs:acceptance_download", args=[acceptance.pk])).status_code == 500


# --- The diff itself -----------------------------------------------------------------------------
def test_the_diff_marks_changed_added_and_removed_paragraphs_by_word():
    old = "Alpha beta gamma.\n\nSecond paragraph here.\n\nThird one."
    new = "Alpha BETA gamma.\n\nThird one.\n\nA new ending."
    diff = agreement_diff(old, new)
    kinds = [block.kind for block in diff.blocks]
    assert kinds == ["changed", "removed", "same", "added"]
    assert [(s.kind, s.text) for s in diff.blocks[0].segments] == [
        ("same", "Alpha"),
        ("removed", "beta"),
        ("added", "BETA"),
        ("same", "gamma."),
    ]
    assert diff.summary == "1 paragraph changed, 1 paragraph added, 1 paragraph removed; 1 unchanged."


def test_a_run_of_unchanged_paragraphs_is_one_block_and_counted_by_paragraph():
    diff = agreement_diff("A.\n\nB.\n\nC.\n\nD.", "A.\n\nB.\n\nC.\n\nD changed.")
    assert [block.kind for block in diff.blocks] == ["same", "changed"]
    assert len(diff.blocks[0].segments) == 3 and diff.summary == "1 paragraph changed; 3 unchanged."


def test_the_diff_ignores_reflowed_lines_and_says_when_nothing_changed():
    diff = agreement_diff("One two\nthree.", "One two three.")
    assert not diff.has_changes and diff.summary == "The text is the same."
