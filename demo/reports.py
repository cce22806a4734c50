"""Demo bug reports and feedback: every state, staff responses, a duplicate, a needs-info exchange, credited
reports, "me too"s and a few real screenshots. Written through the services, then dated back over the
program's months. Idempotent: an item whose title (or body) already exists for its author is skipped.
"""

import datetime as dt
import io
import math

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageDraw

from programs.access import contributing_enrolment
from programs.models import Program
from programs.selectors_compensation import rate_card_in_force
from submissions.images import process_screenshot
from submissions.models import (
    BugReport,
    BugReportEvent,
    BugReportResponse,
    Feedback,
    FeedbackEvent,
    FeedbackResponse,
    MeToo,
    ReportNotice,
    ReportSettings,
    Video,
)
from submissions.services import reports as services
from submissions.video_links import video_link_errors

S = BugReport.Status
F = Feedback.Status

# (artist index, days ago, title, severity, model version, path of staff steps, extras)
# Steps: ("triaged"|"confirmed"|... , note) in order; extras: final severity, accept, me-too artist indexes,
# screenshot colours, staff responses, the reporter's answer, kept out of the shared list (staff_only).
BUGS = [
    {
        "who": 0,
        "ago": 100,
        "title": "Hands merge when two people embrace",
        "severity": "high",
        "version": "lumen-0.8.1",
        "steps": [
            ("triaged", ""),
            ("confirmed", "Reproduced with three prompts."),
            ("fixed", "Fixed in lumen-0.9.0: hands keep their own silhouettes in contact."),
        ],
        "final": "high",
        "accept": True,
        "me_too": [3, 7],
        "shots": [(214, 120, 90), (90, 120, 214)],
        "responses": ["Thanks for the clear steps, this one hurts dance pieces badly."],
    },
    {
        "who": 1,
        "ago": 80,
        "title": "Camera pans reverse direction after 4 seconds",
        "severity": "medium",
        "version": "lumen-0.8.2",
        "steps": [("triaged", ""), ("confirmed", "Happens on every pan longer than 4 s.")],
        "final": "medium",
        "accept": True,
        "me_too": [2, 6, 9],
    },
    {
        "who": 5,
        "ago": 70,
        "title": "Pan flips halfway through the shot",
        "severity": "medium",
        "version": "lumen-0.8.2",
        "steps": [("triaged", ""), ("duplicate", "Same bug as the pan reversal reported earlier; your clip helped.")],
        "final": "medium",
        "accept": True,
        "original": "Camera pans reverse direction after 4 seconds",
    },
    {
        "who": 2,
        "ago": 60,
        "title": "Faces of the same character change between shots",
        "severity": "critical",
        "version": "lumen-0.9.0",
        "steps": [("triaged", ""), ("confirmed", "Confirmed across seeds; top priority.")],
        "final": "critical",
        "me_too": [4, 8, 10],
        "shots": [(40, 40, 40)],
    },
    {
        "who": 3,
        "ago": 20,
        "title": "Upload of a 4K reference frame times out",
        "severity": "low",
        "version": "lumen-0.9.1",
        "staff_only": True,  # the reporter kept it out of the shared list: only staff and they read it
        "steps": [("triaged", ""), ("needs_info", "Which browser, and how large was the file?")],
    },
    {
        "who": 4,
        "ago": 40,
        "title": "Subtitles burned into generated frames",
        "severity": "medium",
        "version": "lumen-0.9.0",
        "steps": [("triaged", ""), ("needs_info", "Did the prompt mention text, signs or captions?")],
        "answer": "No text in the prompt at all; it happens with 'documentary style'.",
        "responses": ["That helps: 'documentary style' pulls captions from the training data. We are on it."],
    },
    {
        "who": 6,
        "ago": 55,
        "title": "Rain looks like static at 24 fps",
        "severity": "low",
        "version": "lumen-0.9.0",
        "steps": [("triaged", ""), ("not_a_bug", "At 24 fps rain gets motion blur by design; use the 48 fps preset.")],
    },
    {
        "who": 7,
        "ago": 50,
        "title": "No vertical 9:16 output",
        "severity": "medium",
        "version": "lumen-0.9.0",
        "steps": [("triaged", ""), ("wont_fix", "Vertical output is out of scope for this model generation.")],
    },
    {
        "who": 8,
        "ago": 12,
        "title": "Model ignores 'golden hour' in prompts",
        "severity": "low",
        "version": "lumen-0.9.2",
        "steps": [("triaged", "")],
    },
    {
        "who": 9,
        "ago": 3,
        "title": "Seed 0 gives a black first frame",
        "severity": "medium",
        "version": "lumen-0.9.2",
        "steps": [],
    },
    {
        "who": 10,
        "ago": 1,
        "title": "Export dialog cuts off long titles",
        "severity": "low",
        "version": "lumen-0.9.2",
        "steps": [],
    },
    {
        "who": 11,
        "ago": 30,
        "title": "Reflections show a different scene",
        "severity": "high",
        "version": "lumen-0.9.1",
        "steps": [("triaged", ""), ("duplicate", "The same mirror bug was reported a day earlier.")],
        "original": "Mirrors reflect a different room",
    },
    {
        "who": 12,
        "ago": 31,
        "title": "Mirrors reflect a different room",
        "severity": "high",
        "version": "lumen-0.9.1",
        "steps": [("triaged", ""), ("confirmed", "")],
        "final": "high",
    },
    {
        "who": 13,
        "ago": 90,
        "title": "Prompts over 500 characters are silently cut",
        "severity": "low",
        "version": "lumen-0.8.1",
        "steps": [("triaged", ""), ("confirmed", ""), ("fixed", "lumen-0.8.2 warns and keeps 2,000 characters.")],
        "final": "low",
        "accept": True,
    },
]
# (report title or feedback body, the reporter's video it points at, the time in seconds). Published and
# unpublished videos both appear, so the shared list shows a gallery link and a hidden link.
VIDEO_LINKS = [
    ("Camera pans reverse direction after 4 seconds", "Paper lanterns drifting", 2),
    ("Faces of the same character change between shots", "Paper cranes over the harbour", 1),
    ("Colour banding in skies at dusk", "Tidepool cathedral", 2),
    ("The film grain on night scenes is beautiful. Please keep it.", "Paper cranes over the harbour", 1),
]
DRAFT = {"who": 0, "title": "Colour banding in skies at dusk", "severity": "low", "version": "lumen-0.9.2"}
FEEDBACK = [
    {
        "who": 1,
        "ago": 75,
        "kind": "idea",
        "body": "A loop mode for backgrounds, so a 5 s clip tiles seamlessly.",
        "status": F.PLANNED,
        "note": "Planned for lumen-1.0: a 'seamless loop' switch.",
        "accept": True,
    },
    {
        "who": 2,
        "ago": 65,
        "kind": "praise",
        "body": "The film grain on night scenes is beautiful. Please keep it.",
        "status": F.ACKNOWLEDGED,
        "note": "",
    },
    {
        "who": 3,
        "ago": 45,
        "kind": "problem",
        "body": "The review queue took four days for my last three videos.",
        "status": F.ANSWERED,
        "note": "We added two reviewers; the queue is now under 48 hours.",
        "accept": True,
    },
    {
        "who": 4,
        "ago": 35,
        "kind": "question",
        "body": "Can I use approved outputs in a paid commission?",
        "status": F.ANSWERED,
        "note": "Yes, once approved: see section 4 of the agreement.",
    },
    {
        "who": 5,
        "ago": 25,
        "kind": "idea",
        "body": "Let us give a reference image to keep a character consistent.",
        "status": F.DECLINED,
        "note": "Not in this model generation; we will revisit it for the next one.",
    },
    {
        "who": 6,
        "ago": 2,
        "kind": "question",
        "body": "Is there a way to queue a batch of prompts overnight?",
        "status": F.NEW,
        "note": "",
    },
]


def seed_reports(program: Program, people: dict) -> None:
    staff = people["staff"][0]
    artists = [a for a in people["artists"] if contributing_enrolment(a, program) is not None]
    ReportSettings.objects.get_or_create(program=program, defaults={"shared_reports_enabled": True})
    now = timezone.now()
    for spec in sorted(BUGS, key=lambda s: -s["ago"]):  # oldest first, so originals exist before duplicates
        _seed_bug(program, artists, staff, spec, now)
    if not BugReport.objects.filter(program=program, title=DRAFT["title"]).exists():
        services.bug_report_save_draft(
            reporter=artists[DRAFT["who"]],
            program=program,
            fields=_fields(DRAFT["title"], DRAFT["severity"], DRAFT["version"]) | {"steps_to_reproduce": ""},
        )
    for spec in FEEDBACK:
        _seed_feedback(program, artists, staff, spec, now)
    # The demo's notices are history, not news: nothing is emailed when the seed commits.
    ReportNotice.objects.filter(
        Q(bug_report__program=program) | Q(feedback__program=program), emailed_at__isnull=True
    ).update(emailed_at=now)


def link_report_videos(program: Program) -> int:
    """Point a few reports and feedback at their author's videos (seeded after the reports); returns how many
    links were added. Written as if given when filed; the rules of submissions.video_links still apply."""
    added = 0
    for text, video_title, seconds in VIDEO_LINKS:
        reports = BugReport.objects.filter(program=program, title=text, video__isnull=True)
        feedback = Feedback.objects.filter(program=program, body=text, video__isnull=True)
        for item in [*reports.select_related("reporter"), *feedback.select_related("author")]:
            author = item.reporter if isinstance(item, BugReport) else item.author
            video = Video.objects.filter(program=program, artist=author, title=video_title).first()
            if video is None or video.duration_seconds is None:
                continue
            timecode = min(seconds, math.floor(video.duration_seconds))
            if video_link_errors(owner=author, program=program, video=video, timecode=timecode):
                continue
            type(item).objects.filter(pk=item.pk).update(video=video, video_timecode=timecode)
            added += 1
    return added


def _fields(title: str, severity: str, version: str) -> dict:
    return {
        "title": title,
        "what_happened": f"{title}. It happens in most of my clips with this setup.",
        "steps_to_reproduce": "1. Use the prompt below\n2. Generate 5 s at 1080p\n3. Watch the second half",
        "expected_result": "The shot stays consistent from start to end.",
        "actual_result": title + ".",
        "artist_severity": severity,
        "model_version": version,
        "prompt": "A dancer in a red coat crosses a rainy street at dusk, slow pan left",
        "generation_settings": "seed 1234, 5 s, 1080p, 24 fps, style: cinematic",
    }


def _seed_bug(program, artists, staff, spec: dict, now) -> None:
    reporter = artists[spec["who"] % len(artists)]
    if BugReport.objects.filter(program=program, reporter=reporter, title=spec["title"]).exists():
        return
    shots = [process_screenshot(_png(i, color)) for i, color in enumerate(spec.get("shots", []))]
    report = services.bug_report_save_draft(
        reporter=reporter,
        program=program,
        fields=_fields(spec["title"], spec["severity"], spec["version"]) | {"staff_only": spec.get("staff_only")},
        screenshots=shots,
    )
    report = services.bug_report_submit(report=report, actor=reporter)
    filed = now - dt.timedelta(days=spec["ago"], hours=3)
    BugReport.objects.filter(pk=report.pk).update(created_at=filed, submitted_at=filed)
    report.refresh_from_db()
    for index in spec.get("me_too", []):
        other = artists[index % len(artists)]
        if other != reporter:
            services.bug_report_me_too(report=report, user=other, note="Same here with a similar prompt.")
    for target, note in spec["steps"]:
        original = None
        if target == S.DUPLICATE:
            original = BugReport.objects.get(program=program, title=spec["original"])
        report = services.bug_report_move(report=report, actor=staff, to_status=target, reason=note, original=original)
        if target == S.NEEDS_INFO and spec.get("answer"):
            report = services.bug_report_answer(report=report, actor=reporter, answer=spec["answer"])
    for body in spec.get("responses", []):
        services.bug_report_respond(report=report, author=staff, body=body)
    if spec.get("final"):
        services.bug_report_set_severity(report=report, actor=staff, severity=spec["final"])
    if spec.get("accept") and rate_card_in_force(program, timezone.localdate(filed)) is not None:
        services.bug_report_accept(report=report, actor=staff)
    _spread_history(report, filed, now, events=BugReportEvent.objects.filter(report=report),
                    responses=BugReportResponse.objects.filter(report=report),
                    notices=ReportNotice.objects.filter(bug_report=report),
                    me_toos=MeToo.objects.filter(report=report))  # fmt: skip
    BugReport.objects.filter(pk=report.pk).update(
        status_changed_at=BugReportEvent.objects.filter(report=report, kind="status").last().created_at
    )


def _seed_feedback(program, artists, staff, spec: dict, now) -> None:
    author = artists[spec["who"] % len(artists)]
    if Feedback.objects.filter(program=program, author=author, body=spec["body"]).exists():
        return
    feedback = services.feedback_submit(author=author, program=program, kind=spec["kind"], body=spec["body"])
    sent = now - dt.timedelta(days=spec["ago"], hours=5)
    Feedback.objects.filter(pk=feedback.pk).update(created_at=sent)
    feedback.refresh_from_db()
    if spec["status"] != F.NEW:
        feedback = services.feedback_move(feedback=feedback, actor=staff, to_status=spec["status"], reason=spec["note"])
    if spec.get("accept") and rate_card_in_force(program, timezone.localdate(sent)) is not None:
        services.feedback_accept(feedback=feedback, actor=staff)
    _spread_history(feedback, sent, now, events=FeedbackEvent.objects.filter(feedback=feedback),
                    responses=FeedbackResponse.objects.filter(feedback=feedback),
                    notices=ReportNotice.objects.filter(feedback=feedback))  # fmt: skip
    last = FeedbackEvent.objects.filter(feedback=feedback, kind="status").last()
    Feedback.objects.filter(pk=feedback.pk).update(status_changed_at=last.created_at)


def _spread_history(obj, start, now, *, events, responses, notices, me_toos=None) -> None:
    """Date the history a day or two apart from `start`, in the order it was written; old notices are read."""
    rows = sorted([*events, *responses, *(me_toos or [])], key=lambda r: (r.created_at, r.pk))
    step = min(dt.timedelta(days=2), (now - start) / (len(rows) + 1))
    for i, row in enumerate(rows):
        type(row).objects.filter(pk=row.pk).update(created_at=start + step * i)
    for i, notice in enumerate(notices.order_by("pk")):
        when = start + step * (i + 1)
        read = when if when < now - dt.timedelta(days=21) else None
        ReportNotice.objects.filter(pk=notice.pk).update(created_at=when, read_at=read)


def _png(index: int, color: tuple[int, int, int]) -> SimpleUploadedFile:
    """A small screenshot-like PNG: a coloured frame with a 'subject' and a timeline bar."""
    image = Image.new("RGB", (320, 180), color)
    draw = ImageDraw.Draw(image)
    draw.ellipse((120, 40, 200, 120), fill=(240, 220, 200))
    draw.rectangle((0, 160, 320, 180), fill=(20, 20, 20))
    draw.rectangle((0, 165, 110 + 40 * index, 175), fill=(255, 191, 71))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(f"screenshot-{index + 1}.png", out.getvalue(), content_type="image/png")
