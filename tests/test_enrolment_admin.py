"""The Django admin for program staff: permissions from the group, querysets scoped to their programs,
read-only records, and admin actions that go through the services."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from programs.access import current_agreement
from programs.models import (
    AgreementAcceptance,
    AgreementVersion,
    Application,
    Cohort,
    ConsentRecord,
    Enrolment,
    Invitation,
    ProgramRole,
)
from programs.services.consent import consent_set
from programs.services.invitations import invitation_send
from programs.services.roles import PROGRAM_STAFF_GROUP, program_role_grant, program_role_revoke
from tests.conftest import accept_current, make_application, make_program, make_user, publish_agreement

pytestmark = pytest.mark.django_db
MODELS = [
    "program", "cohort", "programrole", "enrolment", "enrolmentevent", "application", "applicationevent",
    "invitation", "agreementversion", "agreementacceptance", "consentrecord", "trustedpublisher",
]  # fmt: skip


@pytest.fixture
def lead(program):
    """Program staff as the role service makes them: a member of the group, allowed into the admin."""
    user = make_user("lead@example.com", display_name="Lena Lead")
    program_role_grant(user=user, program=program, role=ProgramRole.Role.STAFF)
    user.refresh_from_db()
    return user


@pytest.fixture
def other_program(db):
    other = make_program(slug="other")
    Cohort.objects.create(program=other, name="Other cohort", capacity=5)
    return other


def changelist(model: str) -> str:
    return reverse(f"admin:programs_{model}_changelist")


def test_granting_a_staff_role_gives_the_group_and_revoking_the_last_takes_it_away(program, lead):
    assert lead.is_staff and lead.groups.filter(name=PROGRAM_STAFF_GROUP).exists()
    assert lead.has_perm("programs.change_application") and not lead.has_perm("programs.change_agreementacceptance")
    program_role_revoke(role=ProgramRole.objects.get(user=lead))
    assert not lead.groups.filter(name=PROGRAM_STAFF_GROUP).exists()


def test_the_group_comes_from_a_migration_with_view_rights_on_every_model():
    group = Group.objects.get(name=PROGRAM_STAFF_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {f"view_{model}" for model in MODELS} <= codenames
    assert not {"change_agreementacceptance", "change_consentrecord", "delete_enrolment"} & codenames


@pytest.mark.parametrize("model", MODELS)
def test_every_change_list_renders_for_program_staff(client, program, lead, artist, model):
    client.force_login(lead)
    response = client.get(changelist(model))
    assert response.status_code == 200


def test_program_staff_see_only_their_programs_records(client, program, other_program, lead, artist):
    mine = make_application(make_user("mine@example.com"), program)
    theirs = make_application(make_user("theirs@example.com"), other_program)
    client.force_login(lead)
    listed = list(client.get(changelist("application")).context["cl"].queryset)
    assert listed == [mine]
    assert client.get(reverse("admin:programs_application_change", args=[theirs.pk])).status_code == 302  # "not found"
    programs = list(client.get(changelist("program")).context["cl"].queryset)
    assert programs == [program]


def test_a_superuser_sees_every_program(client, program, other_program, superuser):
    make_application(make_user("mine@example.com"), program)
    make_application(make_user("theirs@example.com"), other_program)
    client.force_login(superuser)
    assert client.get(changelist("application")).context["cl"].queryset.count() == 2


def test_acceptance_and_consent_records_are_read_only(client, program, staff, lead, artist):
    publish_agreement(program, actor=staff)
    acceptance = accept_current(Enrolment.objects.get(user=artist))
    record = consent_set(user=artist, program=program, training=True, marketing=False, showcase=False)
    client.force_login(lead)
    for model, obj in (("agreementacceptance", acceptance), ("consentrecord", record)):
        page = client.get(reverse(f"admin:programs_{model}_change", args=[obj.pk]))
        assert page.status_code == 200 and b'name="_save"' not in page.content
        assert client.post(reverse(f"admin:programs_{model}_change", args=[obj.pk]), {}).status_code == 403
        assert client.get(reverse(f"admin:programs_{model}_add")).status_code == 403
        assert client.post(reverse(f"admin:programs_{model}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403
    client.force_login(make_user("root2@example.com", is_staff=True, is_superuser=True))
    assert client.post(reverse("admin:programs_consentrecord_change", args=[record.pk]), {}).status_code == 403
    assert AgreementAcceptance.objects.get().ip_address == "203.0.113.7"
    assert ConsentRecord.objects.get().training is True


def test_deciding_applications_in_the_admin_uses_a_form_and_the_services(client, program, lead):
    first = make_application(make_user("a@example.com"), program)
    second = make_application(make_user("b@example.com"), program)
    client.force_login(lead)
    selected = {"action": "decide", "_selected_action": [first.pk, second.pk]}
    form_page = client.post(changelist("application"), selected)
    assert form_page.status_code == 200 and b"Decide on applications" in form_page.content

    client.post(changelist("application"), {**selected, "apply": "1", "decision": "declined", "reason": ""})
    assert set(Application.objects.values_list("status", flat=True)) == {"submitted"}

    cohort = program.cohorts.first()
    response = client.post(
        changelist("application"), {**selected, "apply": "1", "decision": "accepted", "cohort": cohort.pk}
    )
    assert response.status_code == 302
    assert set(Application.objects.values_list("status", flat=True)) == {"accepted"}
    assert Invitation.objects.filter(cohort=cohort).count() == 2
    assert first.events.last().actor == lead


def test_deciding_applications_of_two_programs_at_once_is_refused(client, program, other_program, superuser):
    first = make_application(make_user("a@example.com"), program)
    second = make_application(make_user("b@example.com"), other_program)
    client.force_login(superuser)
    response = client.post(
        changelist("application"), {"action": "decide", "_selected_action": [first.pk, second.pk]}, follow=True
    )
    assert b"one program at a time" in response.content


def test_publishing_an_agreement_in_the_admin_and_the_published_text_is_frozen(client, program, lead):
    client.force_login(lead)
    add = client.post(
        reverse("admin:programs_agreementversion_add"),
        {"program": program.pk, "title": "Participation agreement", "body": "1. Be kind.", "summary_of_changes": ""},
    )
    assert add.status_code == 302
    draft = AgreementVersion.objects.get()
    assert (draft.version, draft.created_by, draft.is_published) == (1, lead, False)
    second_draft = client.post(
        reverse("admin:programs_agreementversion_add"),
        {"program": program.pk, "title": "t", "body": "2.", "summary_of_changes": ""},
    )
    assert second_draft.status_code == 200 and b"already has an unpublished draft" in second_draft.content

    client.post(changelist("agreementversion"), {"action": "publish", "_selected_action": [draft.pk]})

    draft.refresh_from_db()
    assert draft.is_published and draft.published_by == lead and len(draft.content_hash) == 64
    change = reverse("admin:programs_agreementversion_change", args=[draft.pk])
    assert client.get(change).status_code == 200  # viewable, read-only
    assert client.post(change, {"title": "Changed", "body": "Changed.", "summary_of_changes": ""}).status_code == 403
    assert AgreementVersion.objects.get().body == "1. Be kind."
    assert (
        client.post(reverse("admin:programs_agreementversion_delete", args=[draft.pk]), {"post": "yes"}).status_code
        == 403
    )


def test_an_agreement_for_a_program_the_user_does_not_staff_cannot_be_created(client, other_program, lead):
    client.force_login(lead)
    response = client.post(
        reverse("admin:programs_agreementversion_add"),
        {"program": other_program.pk, "title": "t", "body": "x", "summary_of_changes": ""},
    )
    assert response.status_code == 200 and "program" in response.context["adminform"].form.errors
    assert not AgreementVersion.objects.exists()


def test_cohort_capacity_cannot_drop_below_the_seats_taken(client, program, lead, artist, other_artist):
    cohort = program.cohorts.first()  # artist and other_artist are active in it
    client.force_login(lead)
    change = reverse("admin:programs_cohort_change", args=[cohort.pk])
    response = client.post(change, {"program": program.pk, "name": cohort.name, "capacity": 1, "starts_on": ""})
    assert response.status_code == 200 and b"2 seats are taken" in response.content
    client.post(change, {"program": program.pk, "name": cohort.name, "capacity": 2, "starts_on": ""})
    assert Cohort.objects.get(pk=cohort.pk).capacity == 2


def test_removing_an_artist_in_the_admin_needs_a_reason(client, program, lead, artist):
    enrolment = Enrolment.objects.get(user=artist)
    client.force_login(lead)
    selected = {"action": "remove_with_reason", "_selected_action": [enrolment.pk]}
    client.post(changelist("enrolment"), {**selected, "apply": "1", "reason": ""})
    assert Enrolment.objects.get(pk=enrolment.pk).status == "active"
    client.post(changelist("enrolment"), {**selected, "apply": "1", "reason": "Repeated embargo breaks."})
    enrolment.refresh_from_db()
    assert enrolment.status == "removed" and enrolment.events.get().reason == "Repeated embargo breaks."


def test_enrolments_and_their_history_are_read_only_in_the_admin(client, program, lead, artist):
    enrolment = Enrolment.objects.get(user=artist)
    client.force_login(lead)
    page = client.get(reverse("admin:programs_enrolment_change", args=[enrolment.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert reverse("programs:staff_enrolment", args=[enrolment.pk]).encode() in page.content
    client.post(reverse("admin:programs_enrolment_change", args=[enrolment.pk]), {"status": "removed"})
    assert Enrolment.objects.get(pk=enrolment.pk).status == "active"


def test_revoking_an_invitation_in_the_admin(client, program, lead):
    invitation = invitation_send(program=program, cohort=program.cohorts.first(), email="x@example.com", actor=lead)
    client.force_login(lead)
    response = client.post(
        changelist("invitation"),
        {"action": "revoke", "_selected_action": [invitation.pk], "apply": "1", "reason": "Wrong address."},
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "revoked" and invitation.close_reason == "Wrong address."
    expired = client.get(changelist("invitation") + "?state=open").context["cl"].queryset
    assert list(expired) == []


def test_the_invitation_token_is_never_shown_in_the_admin(client, program, lead):
    invitation = invitation_send(program=program, cohort=program.cohorts.first(), email="x@example.com", actor=lead)
    client.force_login(lead)
    page = client.get(reverse("admin:programs_invitation_change", args=[invitation.pk]))
    assert page.status_code == 200 and invitation.token.encode() not in page.content


def test_staff_publish_a_spanish_translation_of_the_current_version_in_the_admin(client, program, lead):
    current = publish_agreement(program, actor=lead)
    client.force_login(lead)
    add = client.post(
        reverse("admin:programs_agreementversion_add"),
        {
            "program": program.pk,
            "language": "es",
            "title": "Acuerdo",
            "body": "1. Sé amable.",
            "summary_of_changes": "-",
        },
    )
    assert add.status_code == 302
    spanish = AgreementVersion.objects.get(language="es")
    assert (spanish.version, spanish.is_published) == (current.version, False)
    client.post(changelist("agreementversion"), {"action": "publish", "_selected_action": [spanish.pk]})
    spanish.refresh_from_db()
    assert spanish.is_published and current_agreement(program, "es") == spanish
    assert current_agreement(program, "en-gb") == current
