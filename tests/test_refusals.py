"""Every refusal says why and links to what unblocks it: the site's 403 page, and the same reason shown in
place of a button on list pages. One test per kind of refusal, over every page of that kind."""

import re
from html import unescape

import pytest
from django.urls import reverse

from programs.models import Application, Enrolment
from programs.services.enrolment import enrolment_leave, enrolment_pause, enrolment_remove
from tests.access_table import EXPECTATIONS, ROLES
from tests.conftest import accept_current, make_application, make_user, publish_agreement, report_in
from tests.test_access_matrix import world  # noqa: F401 (the matrix's fixture)
from tests.video_helpers import make_video

# Pages that refuse with a 403 someone who may not contribute now, and pages that show the reason in place of
# their "send"/"file"/"log" button.
CONTRIBUTION_403 = ["submissions:video_new", "submissions:report_new", "submissions:feedback_new"]
CONTRIBUTION_INLINE = ["submissions:video_list", "submissions:reports"]


def _text(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def _links(response) -> set[str]:
    return {unescape(href) for href in re.findall(r'href="([^"]+)"', response.content.decode())}


def _refusal_link(response) -> str:
    """The unblocking link of the refusal (403 page: the next-step button; inline: the refusal's own link)."""
    html = response.content.decode()
    match = re.search(r'<a class="button" href="([^"]+)" data-next-step>', html) or re.search(
        r'<p class="refusal" data-refusal>[^<]*<a href="([^"]+)">', html
    )
    assert match, "the refusal has no link to what unblocks it"
    return unescape(match.group(1))


def _situation(kind: str, program, artist, staff):
    """Put `artist` in the situation `kind`; return the words the refusal must use and the link it must give."""
    enrolment = Enrolment.objects.get(user=artist, program=program)
    publish_agreement(program, actor=staff)
    if kind == "agreement_not_accepted":  # active, but a newer version was published since
        accept_current(enrolment)
        publish_agreement(program, body="1. A changed rule.\n\n2. Another.", actor=staff)
        return ["not accepted version 2", program.name], reverse("programs:agreement", args=[program.slug])
    accept_current(enrolment)
    if kind == "paused":
        enrolment_pause(enrolment=enrolment, actor=staff, reason="Your last upload broke the rules.")
        return ["paused your place", "Your last upload broke the rules.", "Ask them"], reverse("dashboard")
    if kind in ("left", "removed"):
        if kind == "left":
            enrolment_leave(enrolment=enrolment, actor=artist)
        else:
            enrolment_remove(enrolment=enrolment, actor=staff, reason="Repeated breaches.")
        return ["ended on", str(Enrolment.Status(kind).label)], reverse("programs:detail", args=[program.slug])
    if kind == "application_waiting":
        enrolment.delete()
        make_application(artist, program, status=Application.Status.SUBMITTED)
        return ["waiting for a decision"], reverse("programs:application", args=[program.slug])
    assert kind == "no_place"
    enrolment.delete()
    return ["no place in a program yet"], reverse("programs:list")


KINDS = ["agreement_not_accepted", "paused", "left", "removed", "application_waiting", "no_place"]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", CONTRIBUTION_403)
def test_a_contribution_page_refuses_with_the_reason_and_the_way_out(client, program, artist, staff, kind, name):
    words, link = _situation(kind, program, artist, staff)
    client.force_login(artist)
    response = client.get(reverse(name))
    assert response.status_code == 403
    assert "Glasshouse" in _text(response) and "<h1>" in response.content.decode()  # the site's own page
    for word in words:
        assert word in _text(response), (kind, word)
    assert _refusal_link(response) == link


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", CONTRIBUTION_INLINE)
def test_a_list_page_shows_the_reason_instead_of_the_button(client, program, artist, staff, kind, name):
    words, link = _situation(kind, program, artist, staff)
    client.force_login(artist)
    response = client.get(reverse(name))
    assert response.status_code == 200
    for word in words:
        assert word in _text(response), (kind, word)
    assert _refusal_link(response) == link
    assert reverse("submissions:video_new") not in _links(response)


@pytest.mark.django_db
def test_the_active_artist_with_the_new_agreement_to_accept_is_not_told_she_is_not_an_artist(
    client, program, artist, staff
):
    """The issue's example: `/videos/` and `/videos/new/` name agreement version 2 and link to accept it."""
    _situation("agreement_not_accepted", program, artist, staff)
    client.force_login(artist)
    for name in ("submissions:video_list", "submissions:video_new"):
        response = client.get(reverse(name))
        assert "not an active artist" not in _text(response)
        assert "Read and accept agreement version 2" in _text(response)


@pytest.mark.django_db
def test_hours_cannot_be_logged_and_the_page_says_why(client, program, artist, staff):
    words, link = _situation("paused", program, artist, staff)
    client.force_login(artist)
    response = client.get(reverse("compensation:program", args=[program.slug]))
    assert 'name="worked_on"' not in response.content.decode()
    assert all(word in _text(response) for word in words)
    assert _refusal_link(response) == link


REFUSED = {
    name: [role for role, code in zip(ROLES, expect.codes, strict=True) if code == 403]
    for name, expect in sorted(EXPECTATIONS.items())
    if 403 in expect.codes
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_every_403_of_the_access_table_names_its_reason_and_a_next_step(client, world, name):  # noqa: F811
    url = reverse(name, kwargs=EXPECTATIONS[name].kwargs(world))
    for role in REFUSED[name]:
        client.force_login(world.users[role])
        response = client.get(url)
        assert response.status_code == 403
        html = response.content.decode()
        assert "<h1>" in html, f"{name} refused {role} without the site's page"
        assert "Your account may not open this page." not in _text(response), f"{name}: no reason for {role}"
        assert re.search(r'class="refusal-reason"[^>]*>\s*\S', html) or 'role="alert"' in html
        assert _links(response) - {reverse("home"), reverse("programs:list"), reverse("submissions:gallery")}


@pytest.mark.django_db
def test_staff_pages_say_whose_they_are_and_lead_to_the_program(client, program, artist, staff):
    client.force_login(artist)
    response = client.get(reverse("programs:staff_roster", args=[program.slug]))
    assert response.status_code == 403
    assert f"You are not on the staff of {program.name}" in _text(response)
    assert _refusal_link(response) == reverse("programs:detail", args=[program.slug])


@pytest.mark.django_db
def test_the_review_queue_tells_a_non_reviewer_why(client, artist):
    client.force_login(artist)
    response = client.get(reverse("submissions:review_queue"))
    assert response.status_code == 403
    assert "not a reviewer of any program" in _text(response)
    assert _refusal_link(response) == reverse("dashboard")


@pytest.mark.django_db
def test_someone_who_may_only_look_at_a_video_is_told_only_its_artist_changes_it(client, program, artist, reviewer):
    video = make_video(artist, program)
    client.force_login(reviewer)
    response = client.post(reverse("submissions:video_withdraw", args=[video.pk]))
    assert response.status_code == 403
    assert "Only the artist who made this video can change it." in _text(response)
    assert _refusal_link(response) == reverse("submissions:video_detail", args=[video.pk])


@pytest.mark.django_db
def test_a_refusal_from_django_itself_shows_no_internals(client, db):
    """The admin refuses a signed-in non-staff person with a bare PermissionDenied: the page is ours."""
    client.force_login(make_user("nobody@example.com"))
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403
    assert "Your account may not open this page." in _text(response)
    assert "Traceback" not in _text(response) and "PermissionDenied" not in _text(response)


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_the_404_page_is_the_sites_and_says_what_to_do(client, artist, signed_in):
    if signed_in:
        client.force_login(artist)
    response = client.get("/videos/999999/" if signed_in else "/no-such-page/")
    assert response.status_code == 404
    text = _text(response)
    assert "There is nothing here for you" in text and "No such video" not in text
    assert (reverse("dashboard") if signed_in else reverse("account_login") + "?next=") in response.content.decode()


@pytest.mark.django_db
def test_staff_who_may_read_a_report_are_told_only_its_reporter_changes_it(client, program, artist, staff):
    report = report_in("needs_info", artist, program, staff)
    client.force_login(staff)
    response = client.post(reverse("submissions:report_answer", args=[report.pk]), {"answer": "Firefox"})
    assert response.status_code == 403
    assert "Only the person who filed this report can change it." in _text(response)
    assert _refusal_link(response) == reverse("submissions:report_detail", args=[report.pk])
