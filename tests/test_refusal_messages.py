"""A refused action (a message, not a 403 page) says why and links to what unblocks it; and every refusal
message of the portal leaves through the one helper that does so (core.outcomes)."""

import ast
import re
from html import unescape
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from programs.models import Application, Enrolment, PayoutRun
from tests.conftest import accept_current, make_application, make_user, publish_agreement
from tests.test_compensation_staff import award

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def _refusals(response) -> list[tuple[str, str | None]]:
    """Each error message after the redirect: its words, and the href of its link (None when it has none)."""
    found = []
    for message in get_messages(response.wsgi_request):
        if message.level_tag != "error":
            continue
        html = str(message)
        link = re.search(r'<a href="([^"]+)">', html)
        found.append((unescape(re.sub(r"<[^>]+>", "", html)), unescape(link.group(1)) if link else None))
    return found


def test_hours_refused_for_an_agreement_not_accepted_name_it_and_link_to_it(client, program, artist, staff):
    enrolment = Enrolment.objects.get(user=artist, program=program)
    publish_agreement(program, actor=staff)
    accept_current(enrolment)
    client.force_login(artist)
    page = client.get(reverse("compensation:program", args=[program.slug]))  # the form, with its token
    token = re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)
    publish_agreement(program, body="1. A changed rule.\n\n2. Another.", actor=staff)  # while she was typing
    response = client.post(
        reverse("compensation:log_hours", args=[program.slug]),
        {
            "worked_on": timezone.localdate().isoformat(),
            "hours": "2",
            "minutes": "0",
            "category": "testing",
            "description": "Tested the new camera controls.",
            "form_token": token,
        },
    )
    [(words, link)] = _refusals(response)
    assert "not accepted version 2" in words
    assert link == reverse("programs:agreement", args=[program.slug])


def test_a_second_payout_run_is_refused_with_a_link_to_the_one_under_review(client, program, artist, staff, rate_card):
    award(program, artist, "120.00", "a:1")
    client.force_login(staff)
    new_run = reverse("programs:payoutrun_new", args=[program.slug])
    client.post(new_run, {"currency": "EUR", "method": "payment_provider"})
    draft = PayoutRun.objects.get()
    response = client.post(new_run, {"currency": "EUR", "method": "payment_provider"})
    [(words, link)] = _refusals(response)
    assert "still under review" in words and draft.reference in words
    assert link == reverse("programs:payoutrun_detail", args=[program.slug, draft.pk])
    assert PayoutRun.objects.count() == 1


def test_accepting_into_a_full_cohort_links_to_where_its_capacity_changes(client, program, staff):
    cohort = program.cohorts.first()
    cohort.capacity = 0
    cohort.save()
    application = make_application(make_user("sue@example.com", display_name="Sue"), program)
    client.force_login(staff)
    response = client.post(
        reverse("programs:staff_application_decide", args=[application.pk]),
        {"decision": "accepted", "cohort": cohort.pk},
    )
    [(words, link)] = _refusals(response)
    assert f"{cohort.name} is full" in words
    assert link == reverse("admin:programs_cohort_change", args=[cohort.pk])
    assert Application.objects.get(pk=application.pk).status == Application.Status.SUBMITTED


def test_a_program_closed_to_applications_says_so_and_leads_to_those_that_are_open(client, program, artist):
    program.status = program.Status.RUNNING
    program.save()
    client.force_login(make_user("newcomer@example.com"))
    response = client.get(reverse("programs:apply", args=[program.slug]))
    [(words, link)] = _refusals(response)
    assert program.name in words and "not accepting applications" in words
    assert link == reverse("programs:list")


def _modules():
    for app in ("core", "programs", "submissions", "portal", "accounts", "transparency", "demo"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_every_refusal_message_leaves_through_the_one_helper():
    """`messages.error` is called in core/outcomes.py only: anywhere else a refusal could lose its link."""
    elsewhere = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "error"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "messages"
            ):
                elsewhere.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert elsewhere == ["core/outcomes.py:" + str(_line_of_refuse())]


def _line_of_refuse() -> int:
    source = (ROOT / "core" / "outcomes.py").read_text().splitlines()
    return next(n for n, line in enumerate(source, start=1) if "messages.error(" in line)


def test_a_refusal_escapes_the_reason_and_keeps_the_link():
    from core.errors import DomainError
    from core.outcomes import NextStep, refusal_text

    text = refusal_text(DomainError("<b>no</b>"), NextStep("/x/?a=1&b=2", "Go <there>"))
    assert text == '&lt;b&gt;no&lt;/b&gt; <a href="/x/?a=1&amp;b=2">Go &lt;there&gt;</a>'
    own = DomainError("Full.", next_url="/cohort/", next_label="Raise it")
    assert refusal_text(own, NextStep("/elsewhere/", "Elsewhere")).endswith('<a href="/cohort/">Raise it</a>')
