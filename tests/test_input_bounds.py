"""Every date a person can type is bounded by its world (issue 12, §1).

The fields are found by introspection: every form class of the project, every editable admin form, every input
schema of the ingestion API. Each found date field must have a recipe below (how to fill its form for a program)
and a kind (work, past or planned); each is then proven to refuse year 1, year 9999, the day before its world
began and (for work and past) tomorrow, with the range in the message. A new date field without a bound fails.
"""

import datetime as dt
import importlib
import pkgutil
import typing
from dataclasses import dataclass

import pytest
from django import forms
from django.contrib import admin
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.utils import timezone
from pydantic import BaseModel

from programs import date_bounds
from programs.admin.enrolment import CohortForm
from programs.forms.compensation import AwardForm, NewTimeEntryForm, RateCardForm, TimeEntryForm, award_token
from programs.models import Cohort, Enrolment, EnrolmentEvent, Program, RateCard
from submissions.admin.approvals import ReviewPolicyForm
from submissions.api import api
from submissions.models import ReviewPolicy

PROJECT_APPS = ("portal", "programs", "submissions")
DATE_FIELDS = (forms.DateField, forms.DateTimeField, forms.SplitDateTimeField)
TODAY = timezone.localdate()
BEGAN = TODAY - dt.timedelta(days=60)
JOINED = TODAY - dt.timedelta(days=30)


# --- Discovery ---------------------------------------------------------------------------------------------


def _project_modules():
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            yield importlib.import_module(info.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def form_date_fields() -> set[str]:
    list(_project_modules())  # import every module, so every form class exists
    found = set()
    for form in _subclasses(forms.BaseForm):
        if form.__module__.split(".")[0] in PROJECT_APPS:
            found |= {f"{form.__name__}.{name}" for name, f in form.base_fields.items() if isinstance(f, DATE_FIELDS)}
    return found


def _admin_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _editable_fields(model_admin, request, form_class) -> set[str]:
    readonly = set(model_admin.get_readonly_fields(request, None))
    return {name for name, f in form_class.base_fields.items() if isinstance(f, DATE_FIELDS) and name not in readonly}


def admin_date_fields(superuser) -> set[str]:
    """Date fields that someone can save in the admin, for the models of the project's apps."""
    request, found = _admin_request(superuser), set()
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        if model_admin.has_add_permission(request) or model_admin.has_change_permission(request, model()):
            names = _editable_fields(model_admin, request, model_admin.get_form(request, None))
            found |= {f"admin:{model.__name__}.{name}" for name in names}
        for inline in model_admin.get_inline_instances(request, None):
            if inline.has_add_permission(request, None) or inline.has_change_permission(request, inline.model()):
                names = _editable_fields(inline, request, inline.get_formset(request, None).form)
                found |= {f"inline:{model.__name__}.{inline.model.__name__}.{name}" for name in names}
    return found


def _dates_in(annotation, path: str) -> set[str]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return set().union(
            *(_dates_in(f.annotation, f"{path}.{name}") for name, f in annotation.model_fields.items()), set()
        )
    if isinstance(annotation, type) and issubclass(annotation, dt.date):
        return {path}
    return set().union(*(_dates_in(arg, path) for arg in typing.get_args(annotation)), set())


def api_input_models() -> list[tuple[str, type[BaseModel]]]:
    return [
        (f"api:{' '.join(operation.methods)} {path}", model)
        for _, router in api._routers
        for path, view in router.path_operations.items()
        for operation in view.operations
        for model in operation.models
    ]


def api_date_fields() -> set[str]:
    return set().union(*(_dates_in(model, where) for where, model in api_input_models()), set())


# --- Recipes: how to fill each form with a date, and which kind of date it is ------------------------------


@dataclass
class World:
    program: Program
    enrolment: Enrolment
    superuser: object


def _hours(w, day, form_class=TimeEntryForm):
    data = {"worked_on": day, "hours": "1.5", "category": "testing"}
    if form_class is NewTimeEntryForm:
        data["form_token"] = form_class.base_fields["form_token"].issue()
    return form_class(data, enrolment=w.enrolment)


def _rate_card(w, day):
    data = {"effective_from": day, "currency": "EUR", "stipend_period": "none", "note": ""}
    data |= dict.fromkeys(RateCard.AMOUNT_FIELDS, "1.00")
    return RateCardForm(data, program=w.program)


def _award(w, day):
    data = {"artist": w.enrolment.user.pk, "title": "Screening", "amount": "50", "reason": "Selected."}
    data |= {"awarded_on": day, "submission_token": award_token(w.program)}
    return AwardForm(data, artists=type(w.enrolment.user).objects.all(), program=w.program)


def _admin_form(w, model, day, field):
    model_admin = admin.site._registry[model]
    form_class = model_admin.get_form(_admin_request(w.superuser), None)
    return _model_form(form_class, model(program=w.program), w, day, field)


def _model_form(form_class, instance, w, day, field):
    data = {k: v for k, v in model_to_dict(instance).items() if v is not None and k in form_class.base_fields}
    data |= {"program": w.program.pk, "name": "Summer cohort", "capacity": 5, field: day}
    return form_class(data, instance=instance)


def _cohort_inline(w, day):
    model_admin = admin.site._registry[Program]
    inline = next(i for i in model_admin.get_inline_instances(_admin_request(w.superuser)) if i.model is Cohort)
    form_class = inline.get_formset(_admin_request(w.superuser), w.program).form
    return _model_form(form_class, Cohort(program=w.program), w, day, "starts_on")


WORK, PAST, PLANNED = "work", "past", "planned"
RECIPES = {
    "TimeEntryForm.worked_on": (WORK, _hours),
    "NewTimeEntryForm.worked_on": (WORK, lambda w, day: _hours(w, day, NewTimeEntryForm)),
    "RateCardForm.effective_from": (PLANNED, _rate_card),
    "AwardForm.awarded_on": (PAST, _award),
    "admin:Cohort.starts_on": (PLANNED, lambda w, day: _admin_form(w, Cohort, day, "starts_on")),
    "CohortForm.starts_on": (PLANNED, lambda w, day: _model_form(CohortForm, Cohort(), w, day, "starts_on")),
    "inline:Program.Cohort.starts_on": (PLANNED, _cohort_inline),
    "admin:ReviewPolicy.embargo_ends_on": (
        PLANNED,
        lambda w, day: _admin_form(w, ReviewPolicy, day, "embargo_ends_on"),
    ),
    "ReviewPolicyForm.embargo_ends_on": (
        PLANNED,
        lambda w, day: _model_form(ReviewPolicyForm, ReviewPolicy(), w, day, "embargo_ends_on"),
    ),
}


def _bounds(kind) -> tuple[dt.date, dt.date]:
    if kind == WORK:
        return JOINED, TODAY
    if kind == PAST:
        return BEGAN, TODAY
    return BEGAN, date_bounds.planned_dates(None, today=TODAY).latest


@pytest.fixture
def world(program, artist, superuser) -> World:
    began = timezone.make_aware(dt.datetime.combine(BEGAN, dt.time(12)))
    Program.objects.filter(pk=program.pk).update(created_at=began)
    program.refresh_from_db()
    enrolment = Enrolment.objects.get(user=artist, program=program)
    joined = EnrolmentEvent.objects.create(enrolment=enrolment, to_status=Enrolment.Status.ACTIVE)
    EnrolmentEvent.objects.filter(pk=joined.pk).update(
        created_at=timezone.make_aware(dt.datetime.combine(JOINED, dt.time(12)))
    )
    return World(program=program, enrolment=enrolment, superuser=superuser)


# --- The tests ---------------------------------------------------------------------------------------------


def test_every_date_field_a_person_can_type_has_a_bound(superuser):
    found = form_date_fields() | admin_date_fields(superuser) | api_date_fields()
    assert found == set(RECIPES), "a date field without a recipe (and bound) here, or a recipe without a field"


def test_the_discovery_sees_the_forms_the_admin_and_the_api():
    assert {"TimeEntryForm.worked_on", "AwardForm.awarded_on"} <= form_date_fields()
    assert any(where.startswith("api:POST") for where, _ in api_input_models())
    assert _dates_in(typing.Optional[dt.datetime], "x") == {"x"}  # noqa: UP045 - the shape an API field may take


def _error(form, field: str) -> str:
    form.is_valid()
    return " ".join(form.errors.get(field, []))


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_each_date_field_takes_the_days_of_its_world(world, name):
    kind, make = RECIPES[name]
    for day in _bounds(kind):
        form = make(world, day.isoformat())
        assert form.is_valid(), (day, form.errors)


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_each_date_field_refuses_absurd_days_and_days_outside_its_world(world, name):
    kind, make = RECIPES[name]
    field = name.rsplit(".", 1)[1]
    earliest, latest = _bounds(kind)
    for day in ("0001-01-01", "9999-12-31", earliest - dt.timedelta(days=1), latest + dt.timedelta(days=1)):
        message = _error(make(world, str(day)), field)
        assert "Choose a day from" in message and f"{earliest:%-d %b %Y}" in message, (day, message)
    if kind != PLANNED:
        assert "(today)" in _error(make(world, str(TODAY + dt.timedelta(days=1))), field)


def test_the_hours_of_an_artist_start_when_they_joined_not_before(world):
    assert date_bounds.enrolment_began_on(world.enrolment) == JOINED
    message = _error(_hours(world, str(JOINED - dt.timedelta(days=1))), "worked_on")
    assert "when you joined" in message


def test_a_new_program_in_the_admin_begins_today():
    assert date_bounds.program_began_on(Program(name="New")) == TODAY
    assert date_bounds.planned_dates(Program(name="New")).earliest == TODAY


def test_the_bound_checks_datetimes_by_their_local_day(world):
    bounds = date_bounds.past_dates(world.program)
    moment = timezone.make_aware(dt.datetime(1, 1, 2, 12))
    with pytest.raises(forms.ValidationError):
        bounds.check(moment)
    assert bounds.check(timezone.now()) is not None


@pytest.mark.django_db
def test_the_demo_keeps_within_the_bounds_and_keeps_one_report_out_of_the_shared_list(demo):
    from programs.models import Credit, TimeEntry
    from submissions.models import BugReport

    today = timezone.localdate()
    for entry in TimeEntry.objects.filter(program=demo).select_related("program"):
        enrolment = Enrolment.objects.get(user_id=entry.user_id, program=demo)
        date_bounds.work_dates(enrolment, today=today).check(entry.worked_on)
    for award in Credit.objects.filter(program=demo, kind=Credit.Kind.AWARD):
        date_bounds.past_dates(demo, today=today).check(award.occurred_on)
    planned = date_bounds.planned_dates(demo, today=today)
    for day in [
        *RateCard.objects.filter(program=demo).values_list("effective_from", flat=True),
        *demo.cohorts.values_list("starts_on", flat=True),
        ReviewPolicy.for_program(demo).embargo_ends_on,
    ]:
        planned.check(day)
    assert BugReport.objects.filter(program=demo, staff_only=True).exists()
