"""seed_demo shows enrolment a few months in, with every state represented, and is idempotent."""

import io

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from demo.program import PROGRAM_SLUG
from demo.users import PROGRAM_STAFF_NAME, email_for
from portal.models import User
from programs.access import contributing_enrolment, current_agreement, is_trusted_publisher
from programs.admin.base import ProgramScopedAdmin
from programs.models import Application, ConsentRecord, Enrolment, Invitation, Program, TrustedPublisher
from programs.services.invitations import seats_taken
from programs.services.roles import PROGRAM_STAFF_GROUP

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in apps.get_app_config("programs").get_models()}


def test_the_demo_shows_every_enrolment_state_and_running_it_again_adds_nothing():
    call_command("seed_demo", force=True, stdout=io.StringIO())
    first = counts()
    call_command("seed_demo", force=True, stdout=io.StringIO())
    assert counts() == first

    program = Program.objects.get(slug=PROGRAM_SLUG)
    assert program.cohorts.count() == 2 and program.screening_questions.count() == 3
    assert set(Application.objects.filter(program=program).values_list("status", flat=True)) == set(
        Application.Status.values
    )
    assert {invitation.state for invitation in Invitation.objects.filter(program=program)} >= {
        "pending",
        "accepted",
        "expired",
    }
    assert current_agreement(program).version == 2
    active = Enrolment.objects.filter(program=program, status=Enrolment.Status.ACTIVE).select_related("user")
    on_v2 = [e for e in active if contributing_enrolment(e.user, program)]
    assert 0 < len(on_v2) < active.count()  # some accepted version 2, some are still on version 1
    assert ConsentRecord.objects.filter(program=program).values("user").distinct().count() >= 4
    assert ConsentRecord.objects.filter(program=program, version=2).exists()  # a choice was changed later
    grant = TrustedPublisher.objects.get()
    assert is_trusted_publisher(grant.enrolment.user, program)
    for cohort in program.cohorts.all():
        assert seats_taken(cohort) <= cohort.capacity


def test_the_demo_has_a_program_staff_account_that_runs_the_program_from_the_admin(client, demo):
    jonas = User.objects.get(email=email_for(PROGRAM_STAFF_NAME))
    assert jonas.email == "jonas.berg@demo.glasshouse.test"
    assert jonas.is_staff and not jonas.is_superuser
    assert list(jonas.program_roles.values_list("program", "role")) == [(demo.pk, "staff")]
    assert jonas.groups.filter(name=PROGRAM_STAFF_GROUP).exists()
    client.force_login(jonas)
    listed = {}
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, ProgramScopedAdmin):
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            response = client.get(url)
            assert response.status_code == 200, url
            listed[model._meta.model_name] = response.context["cl"].result_count
    assert all(listed[name] > 0 for name in ("ratecard", "timeentry", "ledgerline", "payoutrun", "video", "bugreport"))
