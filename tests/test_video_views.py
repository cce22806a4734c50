"""The artist's video pages, the polling fragment, withdrawal, and the access-checked media URLs."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from programs.models import ProgramRole
from programs.services.consent import consent_set
from submissions.access import can_see_video, get_video_for_user
from submissions.models import Video
from submissions.services import videos as video_services
from tests.conftest import make_program, make_user
from tests.video_helpers import clip, make_video

S = Video.Status


@pytest.fixture
def video(artist, program):
    return make_video(artist, program)


def detail(video):
    return reverse("submissions:video_detail", args=[video.pk])


def status_url(video):
    return reverse("submissions:video_status", args=[video.pk])


@pytest.mark.django_db
def test_the_list_shows_only_the_artists_own_videos(client, artist, other_artist, program, video):
    make_video(other_artist, program, data=clip(hue=200))
    client.force_login(artist)
    page = client.get(reverse("submissions:video_list")).content.decode()
    assert page.count('id="video-row-') == 1
    assert video.display_title in page and "Waiting for review" in page
    assert reverse("submissions:video_poster", args=[video.pk]) in page


@pytest.mark.django_db
def test_the_detail_page_has_a_player_provenance_and_timeline(client, artist, video):
    client.force_login(artist)
    page = client.get(detail(video)).content.decode()
    assert f'<source src="{reverse("submissions:video_file", args=[video.pk])}" type="video/mp4">' in page
    assert f'poster="{reverse("submissions:video_poster", args=[video.pk])}"' in page
    assert "A city made of glass at dawn" in page and "Lumen 0.9.2" in page
    assert '<th scope="row">guidance</th><td>7.5</td>' in page
    assert page.count("<li>\n        <time") == 3  # uploaded, processing, waiting for review
    assert "hx-trigger" not in page  # final for this issue: nothing to poll
    assert "Withdraw this video" in page


@pytest.mark.django_db
def test_consent_shows_the_videos_choice_over_the_program_setting(client, artist, program):
    consent_set(user=artist, program=program, training=True, marketing=False, showcase=False)
    overrides = video_services.Provenance(prompt="p", model_name="M", consent_training=False, consent_showcase=True)
    video = make_video(artist, program, provenance=overrides)
    assert {row["purpose"]: row["allowed"] for row in video_services.video_consent(video)} == {
        "training": False,
        "marketing": False,
        "showcase": True,
    }
    client.force_login(artist)
    page = client.get(detail(video)).content.decode()
    assert "Model training: <strong>no</strong>" in page
    assert "(chosen for this video; your program setting is yes)" in page
    assert 'Marketing: <strong>no</strong>\n      <span class="muted">(your program setting)' in page


@pytest.mark.django_db
def test_user_text_is_escaped(client, artist, program):
    evil = video_services.Provenance(prompt="<script>alert(1)</script>", model_name="<b>M</b>", title="<i>t</i>")
    video = make_video(artist, program, provenance=evil)
    client.force_login(artist)
    page = client.get(detail(video)).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>M</b>" not in page


@pytest.mark.django_db
def test_the_page_polls_while_the_video_is_checked_and_stops_when_it_is_done(client, artist, program):
    video = make_video(artist, program, process=False)
    client.force_login(artist)
    page = client.get(detail(video)).content.decode()
    assert f'hx-get="{status_url(video)}" hx-trigger="every 2s"' in page
    assert "This page updates by itself" in page
    fragment = client.get(status_url(video), headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section id="video-live"') and "<html" not in fragment
    assert "hx-trigger" in fragment
    video_services.video_process(video_id=video.pk, claim="t")
    fragment = client.get(status_url(video), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment
    assert 'data-status="pending_review"' in fragment and "<video" in fragment


@pytest.mark.django_db
def test_a_list_row_polls_on_its_own(client, artist, program):
    video = make_video(artist, program, process=False)
    client.force_login(artist)
    row = client.get(status_url(video), {"fragment": "row"}).content.decode()
    assert row.lstrip().startswith(f'<tr id="video-row-{video.pk}"') and "checking…" in row


@pytest.mark.django_db
def test_a_stalled_video_says_so_and_polls_slowly(client, artist, program):
    video = make_video(artist, program, process=False)
    Video.objects.filter(pk=video.pk).update(status_changed_at=timezone.now() - dt.timedelta(minutes=20))
    client.force_login(artist)
    page = client.get(detail(video)).content.decode()
    assert "taking longer than usual" in page and 'hx-trigger="every 30s"' in page


@pytest.mark.django_db
def test_an_invalid_video_shows_its_reason_and_no_player(client, artist, program):
    video = make_video(artist, program, process=False)
    video_services.video_reject_invalid(video_id=video.pk, reason="The sound is encoded with flac.")
    client.force_login(artist)
    page = client.get(detail(video)).content.decode()
    assert "This file was not accepted." in page and "The sound is encoded with flac." in page
    assert "<video" not in page and "Withdraw this video" not in page
    assert client.get(reverse("submissions:video_file", args=[video.pk])).status_code == 404


# --- Withdrawal -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_artist_withdraws_a_video_with_a_reason(client, artist, video):
    client.force_login(artist)
    response = client.post(reverse("submissions:video_withdraw", args=[video.pk]), {"reason": "Wrong take"})
    assert response.status_code == 302 and response["Location"] == detail(video)
    video.refresh_from_db()
    assert video.status == S.WITHDRAWN
    event = video.events.last()
    assert (event.actor, event.from_status, event.reason) == (artist, S.PENDING_REVIEW, "Wrong take")


@pytest.mark.django_db
def test_withdrawing_twice_is_refused_with_a_message(client, artist, video):
    client.force_login(artist)
    url = reverse("submissions:video_withdraw", args=[video.pk])
    client.post(url)
    page = client.post(url, follow=True).content.decode()
    assert "This video is withdrawn, so it cannot become withdrawn." in page
    assert video.events.filter(to_status=S.WITHDRAWN).count() == 1


@pytest.mark.django_db
def test_withdraw_refuses_get(client, artist, video):
    client.force_login(artist)
    assert client.get(reverse("submissions:video_withdraw", args=[video.pk])).status_code == 405
    video.refresh_from_db()
    assert video.status == S.PENDING_REVIEW


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "code"), [("other_artist", 404), ("reviewer", 403), ("staff", 403)])
def test_only_the_artist_may_withdraw(client, request, video, who, code):
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("submissions:video_withdraw", args=[video.pk])).status_code == code
    video.refresh_from_db()
    assert video.status == S.PENDING_REVIEW


# --- Access helpers and media ---------------------------------------------------------------------


@pytest.mark.django_db
def test_visible_to_follows_the_program_roles(artist, other_artist, reviewer, staff, superuser, video):
    elsewhere = make_user("far@example.com")
    ProgramRole.objects.create(user=elsewhere, program=make_program(slug="far"), role=ProgramRole.Role.STAFF)
    visible = {u.email: list(Video.objects.visible_to(u)) for u in (artist, other_artist, reviewer, staff, superuser)}
    assert visible == {
        "artist@example.com": [video],
        "other@example.com": [],
        "reviewer@example.com": [video],
        "staff@example.com": [video],
        "root@example.com": [video],
    }
    assert list(Video.objects.visible_to(elsewhere)) == []
    assert list(Video.objects.visible_to(AnonymousUser())) == []
    everyone = (artist, other_artist, reviewer, staff, superuser, elsewhere, AnonymousUser())
    assert all(can_see_video(u, video) == (video in Video.objects.visible_to(u)) for u in everyone)
    assert get_video_for_user(reviewer, video.pk) == video


MEDIA = [
    ("submissions:video_file", {}, "video/mp4", "glasshouse-video-{pk}.mp4"),
    ("submissions:video_poster", {}, "image/jpeg", "glasshouse-video-{pk}-poster.jpg"),
    ("submissions:video_thumbnail", {"position": 2}, "image/jpeg", "glasshouse-video-{pk}-still-2.jpg"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "extra", "content_type", "filename"), MEDIA, ids=[m[0] for m in MEDIA])
@pytest.mark.parametrize(
    ("who", "code"),
    [("anonymous", 302), ("artist", 200), ("other_artist", 404), ("reviewer", 200), ("staff", 200)],
)
def test_media_is_served_only_to_the_artist_reviewers_and_staff(
    client, request, video, name, extra, content_type, filename, who, code
):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get(reverse(name, kwargs={"pk": video.pk, **extra}))
    assert response.status_code == code
    if code == 302:
        assert response["Location"].startswith(reverse("account_login"))
    if code == 200:
        assert response["Content-Type"] == content_type
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"] == f'inline; filename="{filename.format(pk=video.pk)}"'
        assert response["Cache-Control"] == "private, no-store"
        body = b"".join(response.streaming_content)
        assert body[:3] == b"\xff\xd8\xff" if content_type == "image/jpeg" else body == clip()


@pytest.mark.django_db
def test_a_missing_still_is_404(client, artist, video):
    client.force_login(artist)
    assert client.get(reverse("submissions:video_thumbnail", args=[video.pk, 9])).status_code == 404


@pytest.mark.django_db
def test_the_artist_can_seek_in_a_private_video_and_an_outsider_cannot(client, artist, other_artist, video):
    url = reverse("submissions:video_file", args=[video.pk])
    client.force_login(artist)
    response = client.get(url, headers={"Range": "bytes=100-199"})
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == clip()[100:200]
    assert response["Content-Range"] == f"bytes 100-199/{len(clip())}"
    client.force_login(other_artist)
    assert client.get(url, headers={"Range": "bytes=100-199"}).status_code == 404
