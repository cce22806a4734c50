"""Personal pages stay out of shared caches, every page that answers GET answers HEAD, and the admin's filters and
choices name nothing of programs the staff member does not staff."""

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from portal.cache_headers import is_sensitive
from programs.admin.base import ProgramScopedAdmin
from programs.models import Cohort
from tests.access_table import EXPECTATIONS, ROLES
from tests.approval_helpers import setup_review
from tests.conftest import enrol, file_report, make_application, make_program, make_user
from tests.test_access_matrix import world  # noqa: F401  (the matrix's objects, for every URL)
from tests.video_helpers import make_video

SENSITIVE = ["/accounts/email/", "/me/", "/me/compensation/", "/me/export/", "/programs/lumen/staff/artists/"]


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_every_page_a_role_may_get_answers_head_alike_and_stays_out_of_shared_caches(client, world):  # noqa: F811
    checked = 0
    for name, expect in EXPECTATIONS.items():
        url = reverse(name, kwargs=expect.kwargs(world))
        for role, code in zip(ROLES, expect.codes, strict=True):
            if code != 200:
                continue
            client.logout()
            if world.users[role]:
                client.force_login(world.users[role])
            got, head = client.get(url), client.head(url)
            assert (head.status_code, body(head)) == (got.status_code, b""), f"HEAD {url} as {role}"
            cache_control = got.get("Cache-Control", "")
            if role != "anonymous":
                assert "private" in cache_control and "public" not in cache_control, f"{url} as {role}"
            if is_sensitive(url):
                assert "no-store" in cache_control, f"{url} as {role}"
            checked += 1
    assert checked > 100


@pytest.mark.django_db
@pytest.mark.parametrize("path", SENSITIVE)
def test_money_personal_data_and_account_pages_are_never_stored(client, artist, staff, path):
    client.force_login(staff if "/staff/" in path else artist)
    response = client.get(path)
    assert response.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}


@pytest.mark.django_db
def test_anonymous_public_pages_keep_their_public_caching(client, program):
    assert "private" not in client.get(reverse("transparency:report_json", args=[program.slug]))["Cache-Control"]


# --- The admin's filters and choices -------------------------------------------------------------------
OTHER_NAMES = ["Bravoland", "Bravo winter cohort", "Bravo safety gate", "Bravo lead gate"]


@pytest.fixture
def two_programs(program, artist, staff, reviewer):
    """Staff of program A (the persona program); program B with a cohort, review steps and rows in every
    family (enrolment, application, video, report, reviewer group), all named so they can be searched for."""
    setup_review(program, safety=[reviewer], lead=[reviewer])
    make_video(artist, program)
    other = make_program(slug="bravo", name="Bravoland")
    cohort = Cohort.objects.create(program=other, name="Bravo winter cohort", capacity=5)
    stranger = make_user("bravo.artist@example.com", display_name="Bea Bravo")
    enrol(stranger, other, cohort=cohort)
    make_application(make_user("bravo.applicant@example.com"), other, cohort=cohort)
    steps = setup_review(other, safety=[stranger], lead=[stranger])["steps"]
    for step, name in zip(steps, OTHER_NAMES[2:], strict=True):
        step.name = name
        step.save(update_fields=["name"])
    make_video(stranger, other)
    file_report(stranger, other, title="Bravo glitch")
    return other


def admin_pages() -> list[tuple[str, str]]:
    pages = []
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, ProgramScopedAdmin):
            continue
        for view in ("changelist", "add"):
            try:
                pages.append(
                    (
                        f"{model.__name__} {view}",
                        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"),
                    )
                )
            except NoReverseMatch:
                continue
    return pages


@pytest.mark.django_db
def test_program_staff_never_see_another_programs_names_in_any_admin_list_or_form(client, staff, two_programs):
    client.force_login(staff)
    opened = 0
    for label, url in admin_pages():
        response = client.get(url)
        if response.status_code != 200:  # a kind of record or an add form staff have no permission for
            continue
        opened += 1
        for name in OTHER_NAMES:
            assert name not in response.text, f"{label} names {name!r}"
    assert opened >= 20


@pytest.mark.django_db
def test_the_filters_still_offer_the_staff_members_own_program(client, staff, program, two_programs):
    client.force_login(staff)
    response = client.get(reverse("admin:programs_enrolment_changelist"))
    filters = {
        spec.title: [c["display"] for c in spec.choices(response.context["cl"])]
        for spec in response.context["cl"].filter_specs
    }
    assert f"{program.name}: First cohort" in filters["cohort"]
    assert not [choice for choice in filters["cohort"] if "Bravo" in choice]


@pytest.mark.django_db
def test_a_superuser_still_sees_every_program_in_the_filters(client, superuser, two_programs):
    client.force_login(superuser)
    assert "Bravoland" in client.get(reverse("admin:programs_enrolment_changelist")).text
