"""Hostile query parameters are refused (400) or ignored, never a 500 (issue 12, §1).

Every URL of tests/access_table.py is opened by a role that may open it, with hostile values for every query
parameter the views read. The parameters are found in the source: `request.GET.get("name")`, and the fields
of every form built from `request.GET`.
"""

import re
from pathlib import Path

import pytest
from django.http import QueryDict
from django.urls import reverse

from core.query import int_param
from programs.forms.enrolment import ApplicationFilterForm
from submissions.forms.reports import FeedbackFilterForm, TriageFilterForm
from tests.access_table import EXPECTATIONS, ROLES
from tests.test_access_matrix import world  # noqa: F401 - the matrix's world: every URL's objects

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for app in ("portal", "programs", "submissions") for p in (ROOT / app).rglob("*.py")]
HOSTILE = [
    "99999999999999999999999",
    "-1",
    "0",
    "1e3",
    "١٢",  # Arabic-Indic digits: isdigit() says yes
    "²",  # a superscript two: isdigit() says yes, int() says no
    " 2 ",
    "abc",
    "%00",
    "' OR 1=1 --",
    "x" * 5000,
]
SINGLY = {"99999999999999999999999", "²"}


def query_parameters() -> set[str]:
    names, form_classes = {"page"}, set()
    for path in SOURCES:
        text = path.read_text()
        names |= set(re.findall(r"request\.GET\.get\(\s*\"(\w+)\"", text))
        form_classes |= set(re.findall(r"(\w+Form)\(\s*request\.GET", text))
    forms = {form.__name__: form for form in (ApplicationFilterForm, TriageFilterForm, FeedbackFilterForm)}
    assert form_classes <= set(forms), f"a filter form read from the query string is not listed here: {form_classes}"
    for form in forms.values():
        names |= set(form.base_fields)
    return names


def test_the_parameters_found_include_the_known_ones():
    assert {"program", "page", "t", "step", "status", "replaces", "per_page", "cohort", "q"} <= query_parameters()


OPENABLE = sorted(name for name, expect in EXPECTATIONS.items() if 200 in expect.codes)


class Reads:
    """Records the query parameters a request reads (its views look them up with .get or [...])."""

    def __init__(self, monkeypatch):
        self.names: set[str] = set()
        get, getitem = QueryDict.get, QueryDict.__getitem__
        monkeypatch.setattr(QueryDict, "get", lambda qd, key, default=None: self._seen(key) or get(qd, key, default))
        monkeypatch.setattr(QueryDict, "__getitem__", lambda qd, key: self._seen(key) or getitem(qd, key))

    def _seen(self, key) -> None:
        self.names.add(key)


def _open_as_allowed_role(client, w, name) -> str:
    expect = EXPECTATIONS[name]
    role = ROLES[expect.codes.index(200)]
    client.logout()
    if w.users[role]:
        client.force_login(w.users[role])
    return reverse(name, kwargs=expect.kwargs(w))


@pytest.mark.django_db
def test_hostile_query_values_never_fail_a_page(client, world, monkeypatch):  # noqa: F811
    parameters, reads, readers = query_parameters(), Reads(monkeypatch), {}
    for name in OPENABLE:  # which pages read which parameters, with harmless values
        url = _open_as_allowed_role(client, world, name)
        reads.names.clear()
        client.get(url, dict.fromkeys(parameters, "1"))
        if read := reads.names & parameters:
            readers[name] = read
    assert {"submissions:review_queue", "submissions:video_detail", "programs:staff_applications"} <= set(readers)
    failures = []
    for name, read in readers.items():
        url = _open_as_allowed_role(client, world, name)
        for value in HOSTILE:
            queries = [dict.fromkeys(read, value)]
            if value in SINGLY:  # each parameter alone too, so an early refusal of one cannot hide another
                queries += [{p: value} for p in read]
            for query in queries:
                status = client.get(url, query).status_code
                if status not in (200, 302, 400, 404):
                    failures.append((url, sorted(query), value[:30], status))
    assert not failures


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        ("0", 0),
        ("99999999999999999999999", None),
        ("١٢", None),
        ("²", None),
        (" 2", None),
        ("", None),
        (None, None),
        ("-3", None),
        ("9223372036854775807", 9223372036854775807),
        ("9223372036854775808", None),
    ],
)
def test_an_integer_parameter_is_plain_ascii_digits_within_a_database_integer(raw, expected):
    assert int_param(raw) == expected
