"""Roles per program and the access helpers: may_act_in_program, trusted publishers, scopes."""

import pytest
from django.urls import reverse

from programs.access import (
    Action,
    is_trusted_publisher,
    may_act_in_program,
    programs_reviewed_by,
    programs_staffed_by,
)
from programs.errors import TransitionRefused
from programs.models import Enrolment, ProgramRole, TrustedPublisher
from programs.services.trust import trusted_publisher_grant, trusted_publisher_revoke
from tests.conftest import enrol, make_program, make_user

pytestmark = pytest.mark.django_db
STAFF_ACTIONS = [
    Action.MANAGE_APPLICATIONS,
    Action.MANAGE_INVITATIONS,
    Action.MANAGE_ENROLMENTS,
    Action.MANAGE_TRUST,
    Action.MANAGE_AGREEMENTS,
]


def test_a_person_holds_different_roles_in_different_programs(program, reviewer, staff):
    second = make_program(slug="second")
    ProgramRole.objects.create(user=staff, program=second, role=ProgramRole.Role.REVIEWER)
    enrol(reviewer, second)

    assert may_act_in_program(reviewer, program, Action.REVIEW)
    assert not may_act_in_program(reviewer, second, Action.REVIEW)  # scoped to the programs they review
    assert may_act_in_program(reviewer, second, Action.CONTRIBUTE)
    assert not may_act_in_program(reviewer, program, Action.CONTRIBUTE)
    assert may_act_in_program(staff, second, Action.REVIEW)
    assert not any(may_act_in_program(staff, second, action) for action in STAFF_ACTIONS)
    assert all(may_act_in_program(staff, program, action) for action in STAFF_ACTIONS)
    assert list(programs_staffed_by(staff)) == [program]
    assert list(programs_reviewed_by(staff)) == [second]


def test_artists_reviewers_and_anonymous_visitors_manage_nothing(program, artist, reviewer):
    from django.contrib.auth.models import AnonymousUser

    for person in (artist, reviewer, AnonymousUser()):
        assert not any(may_act_in_program(person, program, action) for action in STAFF_ACTIONS)
    assert not may_act_in_program(AnonymousUser(), program, Action.CONTRIBUTE)
    assert not may_act_in_program(artist, program, Action.REVIEW)


def test_a_superuser_is_staff_everywhere(program, superuser):
    assert all(may_act_in_program(superuser, program, action) for action in STAFF_ACTIONS)
    assert program in programs_staffed_by(superuser)


def test_an_unknown_action_is_a_programming_error(program, staff):
    with pytest.raises(ValueError, match="Unknown action"):
        may_act_in_program(staff, program, "fly")


# --- Trusted publishers ----------------------------------------------------------------------------
def test_staff_exempt_an_artist_with_a_reason_and_the_helper_says_so(client, program, staff, artist):
    enrolment = Enrolment.objects.get(user=artist)
    assert not is_trusted_publisher(artist, program)
    client.force_login(staff)
    client.post(reverse("programs:staff_trust_grant", args=[enrolment.pk]), {"reason": ""})
    assert not TrustedPublisher.objects.exists()

    client.post(reverse("programs:staff_trust_grant", args=[enrolment.pk]), {"reason": "Forty clean approvals."})

    grant = TrustedPublisher.objects.get()
    assert (grant.granted_by, grant.reason, grant.revoked_at) == (staff, "Forty clean approvals.", None)
    assert is_trusted_publisher(artist, program)
    assert not is_trusted_publisher(artist, make_program(slug="elsewhere"))

    client.post(reverse("programs:staff_trust_revoke", args=[enrolment.pk]), {"reason": "Published off-brief."})

    grant.refresh_from_db()
    assert grant.revoked_by == staff and grant.revoke_reason == "Published off-brief."
    assert not is_trusted_publisher(artist, program)


def test_a_trusted_publisher_who_is_paused_is_not_exempt(program, staff, artist):
    enrolment = Enrolment.objects.get(user=artist)
    trusted_publisher_grant(enrolment=enrolment, actor=staff, reason="Careful.")
    Enrolment.objects.filter(pk=enrolment.pk).update(status="paused")
    assert not is_trusted_publisher(artist, program)


def test_trust_is_granted_once_only_to_active_artists_and_revoked_once(program, staff, artist):
    enrolment = Enrolment.objects.get(user=artist)
    trusted_publisher_grant(enrolment=enrolment, actor=staff, reason="Careful.")
    with pytest.raises(TransitionRefused, match="already a trusted publisher"):
        trusted_publisher_grant(enrolment=enrolment, actor=staff, reason="Again.")
    with pytest.raises(TransitionRefused, match="reason"):
        trusted_publisher_revoke(enrolment=enrolment, actor=staff, reason=" ")
    trusted_publisher_revoke(enrolment=enrolment, actor=staff, reason="Ended.")
    with pytest.raises(TransitionRefused, match="not a trusted publisher"):
        trusted_publisher_revoke(enrolment=enrolment, actor=staff, reason="Ended twice.")
    invited = enrol(make_user("new@example.com"), program, status="invited")
    with pytest.raises(TransitionRefused, match="Only active artists"):
        trusted_publisher_grant(enrolment=invited, actor=staff, reason="Eager.")
    assert TrustedPublisher.objects.count() == 1


def test_only_the_programs_staff_grant_or_revoke_trust(client, program, staff, artist, reviewer):
    enrolment = Enrolment.objects.get(user=artist)
    for person in (artist, reviewer):
        client.force_login(person)
        response = client.post(reverse("programs:staff_trust_grant", args=[enrolment.pk]), {"reason": "me"})
        assert response.status_code == 404
    assert not TrustedPublisher.objects.exists()
    client.force_login(staff)
    response = client.post(reverse("programs:staff_trust_revoke", args=[enrolment.pk]), {"reason": "x"})
    assert any("not a trusted publisher" in str(m) for m in response.wsgi_request._messages)
