"""Every date and time field renders the ISO value a browser's date input accepts (issue 21)."""

import datetime as dt
import importlib
import inspect
import pkgutil
import re

import pytest
import time_machine
from django import forms
from django.urls import reverse

import portal
import programs
import submissions

DAY = dt.date(2026, 12, 4)
MOMENT = dt.datetime(2026, 12, 4, 9, 30)


def _form_classes() -> list[type[forms.BaseForm]]:
    """Every form class of the project's own pages. (The admin swaps in its own text date widget, with a
    calendar that reads and writes the locale's format, so its forms are not ours to check.)"""
    found = {}
    for package in (portal, programs, submissions):
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if any(part in info.name for part in (".migrations", ".management", ".admin", "demo")):
                continue
            module = importlib.import_module(info.name)
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    found[f"{cls.__module__}.{cls.__name__}"] = cls
    return [found[name] for name in sorted(found)]


DATE_FIELDS = [
    (form, name)
    for form in _form_classes()
    for name, field in form.base_fields.items()
    if isinstance(field, forms.DateField | forms.DateTimeField)
]


def test_the_project_has_date_fields_to_check():
    assert len(DATE_FIELDS) >= 3, DATE_FIELDS


@pytest.mark.parametrize(("form", "name"), DATE_FIELDS, ids=[f"{f.__name__}.{n}" for f, n in DATE_FIELDS])
def test_each_date_field_renders_an_iso_value_in_a_browser_date_input(form, name):
    field = form.base_fields[name]
    if isinstance(field, forms.DateTimeField):
        html = field.widget.render(name, MOMENT)
        assert 'type="datetime-local"' in html and 'value="2026-12-04T09:30"' in html, html
    else:
        html = field.widget.render(name, DAY)
        assert 'type="date"' in html and 'value="2026-12-04"' in html, html


@pytest.mark.django_db
def test_log_hours_shows_today_as_the_day_worked(client, program, artist, rate_card):
    with time_machine.travel(dt.datetime(2026, 12, 4, 12, tzinfo=dt.UTC), tick=False):
        client.force_login(artist)
        html = client.get(reverse("compensation:program", args=[program.slug])).content.decode()
    field = re.search(r'<input[^>]*name="worked_on"[^>]*>', html).group(0)
    assert 'value="2026-12-04"' in field and 'type="date"' in field
