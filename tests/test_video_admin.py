"""Staff in the admin: every video of their programs (read-only), and API keys they create and revoke."""

import pytest
from django.urls import reverse

from programs.models import ProgramRole
from programs.services.roles import program_role_grant
from submissions.models import ApiKey, Video
from submissions.services.api_keys import api_key_create
from tests.conftest import enrol, make_program, make_user
from tests.video_helpers import clip, make_video

CHANGELIST = reverse("admin:submissions_video_changelist")


@pytest.fixture
def video(artist, program):
    return make_video(artist, program)


@pytest.fixture
def foreign_staff(db):
    """Staff of another program only."""
    other = make_program(slug="other")
    user = make_user("otherstaff@example.com")
    program_role_grant(user=user, program=other, role=ProgramRole.Role.STAFF)
    return user


@pytest.mark.django_db
def test_staff_see_the_videos_of_their_program_with_filters(client, staff, video, other_artist, program):
    withdrawn = make_video(other_artist, program, data=clip(hue=120))
    Video.objects.filter(pk=withdrawn.pk).update(status=Video.Status.WITHDRAWN)
    client.force_login(staff)
    page = client.get(CHANGELIST).content.decode()
    assert video.display_title in page and "Otto Other" in page
    filtered = client.get(CHANGELIST, {"status__exact": "pending_review"}).content.decode()
    assert f"/admin/submissions/video/{video.pk}/change/" in filtered
    assert f"/admin/submissions/video/{withdrawn.pk}/change/" not in filtered
    by_artist = client.get(CHANGELIST, {"artist__id__exact": other_artist.pk}).content.decode()
    assert f"/admin/submissions/video/{video.pk}/change/" not in by_artist


@pytest.mark.django_db
def test_a_video_is_read_only_in_the_admin(client, staff, video):
    client.force_login(staff)
    url = reverse("admin:submissions_video_change", args=[video.pk])
    page = client.get(url).content.decode()
    assert "A city made of glass at dawn" in page and "Checked: 2.0 s" in page
    assert 'name="prompt"' not in page  # no editable field
    response = client.post(url, {"prompt": "rewritten"})
    assert response.status_code == 403
    video.refresh_from_db()
    assert video.prompt.startswith("A city made of glass")


@pytest.mark.django_db
def test_staff_of_another_program_see_none_of_these_videos(client, foreign_staff, video):
    client.force_login(foreign_staff)
    assert video.display_title not in client.get(CHANGELIST).content.decode()
    response = client.get(reverse("admin:submissions_video_change", args=[video.pk]))
    assert response.status_code == 302  # the admin's "does not exist" redirect, nothing shown


@pytest.mark.django_db
def test_staff_create_a_key_and_see_it_once(client, staff, program):
    client.force_login(staff)
    response = client.post(reverse("admin:submissions_apikey_add"), {"program": program.pk, "name": "Render farm"})
    assert response.status_code == 200
    key = ApiKey.objects.get()
    page = response.content.decode()
    raw = page.split('id="raw-key" type="text" readonly value="')[1].split('"')[0]
    assert raw.startswith("ghk_") and key.key_hash == ApiKey.hash(raw) and key.created_by == staff
    assert raw not in client.get(reverse("admin:submissions_apikey_change", args=[key.pk])).content.decode()


@pytest.mark.django_db
def test_staff_cannot_make_keys_for_programs_they_do_not_run(client, staff):
    other = make_program(slug="not-mine")
    client.force_login(staff)
    response = client.post(reverse("admin:submissions_apikey_add"), {"program": other.pk, "name": "Sneaky"})
    assert response.status_code == 200 and ApiKey.objects.count() == 0
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.django_db
def test_staff_revoke_keys_with_an_action(client, staff, program):
    key, _ = api_key_create(program=program, name="Old farm", actor=staff)
    client.force_login(staff)
    response = client.post(
        reverse("admin:submissions_apikey_changelist"),
        {"action": "revoke", "_selected_action": [key.pk]},
        follow=True,
    )
    assert "Revoked 1 key. Requests with it now get 401." in response.content.decode()
    key.refresh_from_db()
    assert key.revoked_at is not None and key.revoked_by == staff


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["artist", "reviewer"])
def test_people_who_are_not_staff_get_no_video_admin(client, request, who, video):
    client.force_login(request.getfixturevalue(who))
    response = client.get(CHANGELIST, follow=True)
    assert response.status_code == 403 and video.display_title not in response.content.decode()


@pytest.mark.django_db
def test_an_admin_user_without_a_program_role_sees_nothing(client, video):
    bare = make_user("bare@example.com", is_staff=True)
    enrol(bare, make_program(slug="solo"))
    client.force_login(bare)
    assert client.get(CHANGELIST).status_code == 403
