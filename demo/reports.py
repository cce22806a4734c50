"""Demo bug reports and feedback: every state, staff responses, a duplicate, a needs-info exchange, credited
reports, "me too"s, links to the reporter's videos and a few real screenshots. Each step is a service call on its
day of the story (demo/story.py). Idempotent: an item whose title (or body) already exists is skipped.
"""

import datetime as dt
import io
import math

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone
from PIL import Image, ImageDraw

from core.mail import mails_cancel
from demo.cast import contributing_artists
from demo.story import Story, days_ago, told
from programs.models import Program
from programs.selectors.compensation import rate_card_in_force
from submissions.images import process_screenshot
from submissions.models import (
    BugReport,
    Feedback,
    ReportNotice,
    ReportSettings,
    Video,
)
from submissions.services import reports as services
from submissions.video_links import video_link_errors

S = BugReport.Status
F = Feedback.Status
ME_TOO = "Same here with a similar prompt."

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
        "who": 5,
        "ago": 1,
        "title": "Seed 0 gives a black first frame",
        "severity": "medium",
        "version": "lumen-0.9.2",
        "steps": [],
    },
    {
        "who": 10,
        "ago": 3,
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
# (report title or feedback body, the reporter's video it points at, the time in seconds), linked when filed (the
# video came first). Published and unpublished videos both appear, so the shared list shows a gallery link and a
# hidden link.
VIDEO_LINKS = [
    ("Seed 0 gives a black first frame", "Salt flats mirror", 1),
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
        "moved_to": F.PLANNED,
        "note": "Planned for lumen-1.0: a 'seamless loop' switch.",
        "accept": True,
    },
    {
        "who": 2,
        "ago": 65,
        "kind": "praise",
        "body": "The film grain on night scenes is beautiful. Please keep it.",
        "moved_to": F.ACKNOWLEDGED,
        "note": "",
    },
    {
        "who": 3,
        "ago": 45,
        "kind": "problem",
        "body": "The review queue took four days for my last three videos.",
        "moved_to": F.ANSWERED,
        "note": "We added two reviewers; the queue is now under 48 hours.",
        "accept": True,
    },
    {
        "who": 4,
        "ago": 35,
        "kind": "question",
        "body": "Can I use approved outputs in a paid commission?",
        "moved_to": F.ANSWERED,
        "note": "Yes, once approved: see section 4 of the agreement.",
    },
    {
        "who": 5,
        "ago": 25,
        "kind": "idea",
        "body": "Let us give a reference image to keep a character consistent.",
        "moved_to": F.DECLINED,
        "note": "Not in this model generation; we will revisit it for the next one.",
    },
    {
        "who": 6,
        "ago": 2,
        "kind": "question",
        "body": "Is there a way to queue a batch of prompts overnight?",
        "moved_to": F.NEW,
        "note": "",
    },
]


def seed_reports(program: Program, people: dict, story: Story | None = None) -> None:
    staff = people["staff"][0]
    artists = contributing_artists(people)
    ReportSettings.objects.get_or_create(program=program, defaults={"shared_reports_enabled": True})
    with told(story) as story:
        for spec in BUGS:
            if not BugReport.objects.filter(program=program, title=spec["title"]).exists():
                _seed_bug(story, program, artists, staff, spec)
        if not BugReport.objects.filter(program=program, title=DRAFT["title"]).exists():
            story.at(days_ago(1, 21), lambda: _save_draft(program, artists[DRAFT["who"]]))
        for spec in FEEDBACK:
            if not Feedback.objects.filter(program=program, body=spec["body"]).exists():
                _seed_feedback(story, program, artists, staff, spec)
        # The demo's notices are history, not news: nothing is emailed when the seed commits.
        story.at(timezone.now(), lambda: _notices_are_history(program))


def _notices_are_history(program: Program) -> None:
    notices = ReportNotice.objects.filter(Q(bug_report__program=program) | Q(feedback__program=program))
    mails_cancel(keys=map(services.notice_mail_key, notices.values_list("pk", flat=True)))


def _linked_video(program: Program, author, text: str) -> tuple[Video | None, int | None]:
    """The author's video that the report or feedback `text` points at, if it was sent by now (VIDEO_LINKS)."""
    for linked_text, title, seconds in VIDEO_LINKS:
        video = Video.objects.filter(program=program, artist=author, title=title).first()
        if linked_text == text and video is not None and video.duration_seconds is not None:
            timecode = min(seconds, math.floor(video.duration_seconds))
            if not video_link_errors(owner=author, program=program, video=video, timecode=timecode):
                return video, timecode
    return None, None


def _save_draft(program: Program, reporter) -> None:
    video, timecode = _linked_video(program, reporter, DRAFT["title"])
    services.bug_report_save_draft(
        reporter=reporter, program=program, video=video, video_timecode=timecode,
        fields=_fields(DRAFT["title"], DRAFT["severity"], DRAFT["version"]) | {"steps_to_reproduce": ""},
    )  # fmt: skip


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


def _tell(story: Story, start: dt.datetime, steps: list, reader) -> None:
    """Tell `steps` (calls, in order) from `start`, a day or two apart; the reader opens notices older than three
    weeks a day after they came."""
    gap = min(dt.timedelta(days=2), (timezone.now() - start) / (len(steps) + 1))
    for number, step in enumerate(steps):
        story.at(start + gap * number, step)
    read_by = timezone.now() - dt.timedelta(days=21)
    if start + gap * len(steps) < read_by:
        story.at(start + gap * len(steps), lambda: services.notices_mark_read(user=reader))


def _seed_bug(story: Story, program, artists, staff, spec: dict) -> None:
    reporter = artists[spec["who"] % len(artists)]

    def report() -> BugReport:
        return BugReport.objects.get(program=program, reporter=reporter, title=spec["title"])

    def file() -> None:
        shots = [process_screenshot(_png(i, color)) for i, color in enumerate(spec.get("shots", []))]
        video, timecode = _linked_video(program, reporter, spec["title"])
        fields = _fields(spec["title"], spec["severity"], spec["version"]) | {"staff_only": spec.get("staff_only")}
        draft = services.bug_report_save_draft(
            reporter=reporter, program=program, fields=fields, screenshots=shots, video=video, video_timecode=timecode
        )
        services.bug_report_submit(report=draft, actor=reporter)

    steps = [file]
    for index in spec.get("me_too", []):
        other = artists[index % len(artists)]
        if other != reporter:
            steps.append(lambda o=other: services.bug_report_me_too(report=report(), user=o, note=ME_TOO))
    for target, note in spec["steps"]:
        steps.append(lambda t=target, n=note: _move(program, report(), staff, t, n, spec.get("original")))
        if target == S.NEEDS_INFO and spec.get("answer"):
            steps.append(lambda: services.bug_report_answer(report=report(), actor=reporter, answer=spec["answer"]))
    for body in spec.get("responses", []):
        steps.append(lambda b=body: services.bug_report_respond(report=report(), author=staff, body=b))
    if spec.get("final"):
        steps.append(lambda: services.bug_report_set_severity(report=report(), actor=staff, severity=spec["final"]))
    if spec.get("accept"):
        steps.append(lambda: _accept(program, report(), staff, services.bug_report_accept, "report"))
    _tell(story, days_ago(spec["ago"], 7), steps, reporter)


def _move(program, report: BugReport, staff, target: str, note: str, original_title: str | None) -> None:
    original = BugReport.objects.get(program=program, title=original_title) if target == S.DUPLICATE else None
    services.bug_report_move(report=report, actor=staff, to_status=target, reason=note, original=original)


def _accept(program, item, staff, accept, name: str) -> None:
    """Staff accept it for credit, when a rate card priced the day it was filed (else nothing could be paid)."""
    filed = getattr(item, "submitted_at", None) or item.created_at
    if rate_card_in_force(program, timezone.localdate(filed)) is not None:
        accept(**{name: item, "actor": staff})


def _seed_feedback(story: Story, program, artists, staff, spec: dict) -> None:
    author = artists[spec["who"] % len(artists)]

    def feedback() -> Feedback:
        return Feedback.objects.get(program=program, author=author, body=spec["body"])

    def send() -> None:
        video, timecode = _linked_video(program, author, spec["body"])
        services.feedback_submit(
            author=author, program=program, kind=spec["kind"], body=spec["body"], video=video, video_timecode=timecode
        )

    steps = [send]
    if spec["moved_to"] != F.NEW:
        steps.append(
            lambda: services.feedback_move(
                feedback=feedback(), actor=staff, to_status=spec["moved_to"], reason=spec["note"]
            )
        )
    if spec.get("accept"):
        steps.append(lambda: _accept(program, feedback(), staff, services.feedback_accept, "feedback"))
    _tell(story, days_ago(spec["ago"], 5), steps, author)


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
