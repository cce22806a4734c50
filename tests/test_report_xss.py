"""An XSS payload corpus goes through every text field of reports and feedback (and the title of the video they
link to); no page, admin page or email renders any of it as markup."""

from html.parser import HTMLParser

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from submissions.images import process_screenshot
from submissions.models import BugReport, ReportSettings
from submissions.services import reports as services
from submissions.services.videos import Provenance
from tests.conftest import enrol, file_report, make_rate_card, make_user
from tests.report_images import png_bytes, upload
from tests.video_helpers import PROVENANCE, make_video

PAYLOADS = [
    "<script>alert('xss-1')</script>",
    '"><img src=x onerror=alert("xss-2")>',
    "<svg/onload=alert('xss-3')>",
    "</textarea><script>alert('xss-4')</script>",
    "<a href=\"javascript:alert('xss-5')\">click</a>",
    "'\"><iframe src=javascript:alert('xss-6')></iframe>",
    "<IMG SRC=\"jav&#x09;ascript:alert('xss-7');\">",
    "<details open ontoggle=alert('xss-8')>",
]


class MarkupProbe(HTMLParser):
    """Collects every sign that a payload became markup: a tag or attribute it introduced, or script text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = (value or "").replace("\t", "").lower()
            # Text inside an ordinary attribute (alt, title, value) is inert; handlers and URLs are not.
            runs = name.startswith("on") and "xss-" in value
            loads = name in {"src", "href", "action", "formaction"} and value.strip().startswith("javascript:")
            if runs or loads:
                self.findings.append(f"<{tag} {name}={value!r}>")
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and "xss-" in data:
            self.findings.append(f"script: {data!r}")


def assert_inert(html: str, where: str) -> None:
    for payload in PAYLOADS:
        assert payload not in html, f"{where} renders a payload raw: {payload}"
    probe = MarkupProbe()
    probe.feed(html)
    assert probe.findings == [], f"{where}: {probe.findings}"


def field_payloads(offset: int) -> dict:
    names = [
        "title",
        "what_happened",
        "steps_to_reproduce",
        "expected_result",
        "actual_result",
        "prompt",
        "generation_settings",
        "model_version",
    ]
    return {name: PAYLOADS[(i + offset) % len(PAYLOADS)] for i, name in enumerate(names)}


@pytest.fixture
def hostile(program, staff, django_capture_on_commit_callbacks):
    """Every text field of the feature filled with payloads, by artists whose names are payloads too."""
    make_rate_card(program)
    ReportSettings.objects.create(program=program, shared_reports_enabled=True)
    reporter = make_user("x1@example.com", display_name=PAYLOADS[0])
    reporter.credit_name = PAYLOADS[1]
    reporter.save()
    neighbour = make_user("x2@example.com", display_name=PAYLOADS[2])
    enrol(reporter, program)
    enrol(neighbour, program)
    shots = [process_screenshot(upload(f"{PAYLOADS[i]}.png".replace("/", ""), png_bytes())) for i in (1, 4)]
    video = make_video(reporter, program, provenance=Provenance(**{**PROVENANCE.__dict__, "title": PAYLOADS[3]}))
    with django_capture_on_commit_callbacks(execute=True):
        original = file_report(neighbour, program, **field_payloads(3))
        report = file_report(reporter, program, screenshots=shots, video=video, video_timecode=1, **field_payloads(0))
        services.bug_report_triage(report=report, actor=staff, reason=PAYLOADS[5])
        services.bug_report_request_info(report=report, actor=staff, reason=PAYLOADS[6])
        services.bug_report_answer(report=report, actor=reporter, answer=PAYLOADS[7])
        services.bug_report_respond(report=report, author=staff, body=PAYLOADS[0])
        services.bug_report_respond(report=report, author=reporter, body=PAYLOADS[1])
        services.bug_report_me_too(report=original, user=reporter, note=PAYLOADS[2])
        services.bug_report_set_severity(report=report, actor=staff, severity="high", reason=PAYLOADS[3])
        services.bug_report_mark_duplicate(report=report, actor=staff, original=original, reason=PAYLOADS[4])
        services.bug_report_accept(report=report, actor=staff)
        feedback = services.feedback_submit(
            author=reporter, program=program, kind="idea", body=PAYLOADS[5], video=video, video_timecode=2
        )
        services.feedback_respond(feedback=feedback, author=staff, body=PAYLOADS[6])
        services.feedback_decline(feedback=feedback, actor=staff, reason=PAYLOADS[7])
        services.feedback_accept(feedback=feedback, actor=staff)
    return {"reporter": reporter, "neighbour": neighbour, "report": report, "original": original, "feedback": feedback}


@pytest.mark.django_db
def test_no_page_renders_a_payload_as_markup(client, hostile, staff, program):
    report, original, feedback = hostile["report"], hostile["original"], hostile["feedback"]
    shot = report.screenshots.first()
    pages = {
        hostile["reporter"]: [
            reverse("submissions:reports"),
            reverse("submissions:report_new"),  # the reporter's video titles label the video choices
            reverse("submissions:feedback_new"),
            reverse("submissions:report_detail", args=[report.pk]),
            reverse("submissions:report_detail", args=[original.pk]),
            reverse("submissions:report_shared_list", args=[program.slug]),
            reverse("submissions:feedback_detail", args=[feedback.pk]),
        ],
        hostile["neighbour"]: [
            reverse("submissions:report_detail", args=[original.pk]),
            reverse("submissions:report_detail", args=[report.pk]),
        ],
        staff: [
            reverse("submissions:report_triage") + "?status=all",
            reverse("submissions:feedback_triage") + "?status=all",
            reverse("submissions:report_detail", args=[report.pk]),
            reverse("submissions:feedback_detail", args=[feedback.pk]),
            reverse("admin:submissions_bugreport_changelist"),
            reverse("admin:submissions_bugreport_changelist") + "?q=xss",
            reverse("admin:submissions_bugreport_change", args=[report.pk]),
            reverse("admin:submissions_bugreport_change", args=[original.pk]),
            reverse("admin:submissions_feedback_changelist"),
            reverse("admin:submissions_feedback_change", args=[feedback.pk]),
        ],
    }
    rendered = 0
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert_inert(html, url)
            rendered += html.count("&lt;script&gt;alert(")
    assert rendered > 10  # the payloads were shown (escaped), not dropped
    client.force_login(staff)
    detail = client.get(reverse("submissions:report_detail", args=[report.pk])).content.decode()
    assert escape(PAYLOADS[3]) in detail.split('id="linked-video"')[1]  # the linked video's title, escaped
    client.force_login(staff)
    page = client.post(
        reverse("admin:submissions_bugreport_changelist"),
        {"action": "move_to_confirmed", "_selected_action": [report.pk, original.pk]},
    )
    assert_inert(page.content.decode(), "admin decision page")
    assert shot is not None


@pytest.mark.django_db
def test_no_email_renders_a_payload_as_markup(hostile):
    assert len(mail.outbox) >= 8
    for email in mail.outbox:
        html = email.alternatives[0].content
        assert_inert(html, f"email {email.subject!r}")
        assert "\n" not in email.subject
    assert any("&lt;script&gt;alert(" in email.alternatives[0].content for email in mail.outbox)


@pytest.mark.django_db
def test_payloads_submitted_through_the_forms_are_stored_as_typed(client, artist, program):
    client.force_login(artist)
    data = {
        **field_payloads(0),
        "model_version": "<b>0.9</b>",
        "program": program.pk,
        "artist_severity": "low",
        "submit": "1",
    }
    client.post(reverse("submissions:report_new"), data)
    report = BugReport.objects.get()
    assert report.title == PAYLOADS[0]  # kept verbatim, escaped only on output
    assert_inert(client.get(reverse("submissions:report_detail", args=[report.pk])).content.decode(), "detail")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_probe_catches_each_payload_rendered_raw(payload):
    probe = MarkupProbe()
    probe.feed(f"<p>{payload}</p>")
    with pytest.raises(AssertionError):
        assert_inert(f"<p>{payload}</p>", "a page with |safe")
    assert probe.findings, payload  # caught by the parser, not only by the exact-string match
