"""Demo data for the approval workflow: the program's review rules and videos in every state.

Videos are real clips (PyAV), sent and processed through the services, then decided through the services;
afterwards their timestamps are moved into the past so the program looks a few months in. Idempotent: a video
is identified by its artist and title.
"""

import datetime as dt
import hashlib

from django.core.files.uploadedfile import TemporaryUploadedFile
from django.utils import timezone

from demo import testclips
from demo.calendar import story_day
from programs.access import contributing_enrolment, is_trusted_publisher
from programs.models import Enrolment, Program, ProgramRole
from submissions.models import (
    Appeal,
    Decision,
    ReasonCode,
    ReviewerGroup,
    ReviewPolicy,
    ReviewStep,
    Video,
    VideoEvent,
    VideoReview,
)
from submissions.services import approvals
from submissions.services import videos as video_services

REASON_CODES = [
    ("1.1", "Sexual content", "Sexual content is not shared from the program, whoever appears in it."),
    ("2.4", "Violence that glorifies harm", "Violence is fine in fiction; celebrating real harm is not."),
    ("3.2", "Depicts a real person without consent", "A recognisable real person must have agreed to appear."),
    ("4.1", "Trademarked characters or logos", "Others' characters and logos need their owner's permission."),
    ("5.3", "Unreleased model capability", "Shows a feature that is not yet announced; share it after the embargo."),
]

# (title, prompt, story): each story drives one video through the workflow.
STORIES = [
    ("Glass city at dawn", "A city made of glass at dawn, slow dolly shot, 35mm", "published"),
    ("Paper cranes over the harbour", "Hundreds of paper cranes lifting off a harbour at dusk", "published"),
    ("Grandmother's kitchen, 1962", "Warm kitchen light, steam from a kettle, handheld", "published"),
    ("Neon koi", "Koi made of neon light swimming through a night market", "published_by_deadline"),
    ("Salt flats mirror", "A lone cyclist on a mirror-like salt flat, wide shot", "approved"),
    ("Tidal orchestra", "An orchestra playing on a beach as the tide comes in", "approved_by_deadline"),
    ("Portrait of the mayor", "The city's mayor dancing in the town square", "rejected"),
    ("Cartoon mouse heist", "A famous cartoon mouse robbing a bank", "appealed"),
    ("Moth and lamp", "A moth circling a lamp, macro lens, shallow focus", "overturned"),
    ("Flicker study", "A time-lapse of clouds over a valley", "changes_requested"),
    ("Flicker study (v2)", "A time-lapse of clouds over a valley, flicker removed", "new_version"),
    ("Rain on the 5:40 train", "Raindrops on a train window, city lights bokeh", "in_review"),
    ("Lantern festival", "Thousands of lanterns rising, drone shot", "pending"),
    ("Desert bloom", "A desert blooming after rain, time-lapse", "pending"),
    ("Studio test", "A rotating test object on a turntable", "withdrawn"),
    ("Open sea, open studio", "A fishing boat becoming a painter's studio mid-sea", "without_review"),
]
# The months before: enough settled videos from enough artists that the public report shows its approval figures
# (a figure from fewer than 5 artists is withheld there).
EARLIER_STORIES = [
    ("Fog harbour loop", "A harbour in thick fog, foghorn, seamless loop", "published"),
    ("Wool and wire", "Stop-motion look: a wool fox walking on copper wire", "published"),
    ("Night bus", "An empty night bus crossing a bridge, rain, reflections", "published"),
    ("Orchard in snow", "Cherry blossoms falling into fresh snow, slow motion", "published"),
    ("Bread rising", "Dough rising in a bowl, time-lapse, morning light", "published"),
    ("Coral clock", "A coral reef growing around a pocket watch", "published"),
    ("Lighthouse keeper", "An old lighthouse keeper climbing the stairs at night", "approved"),
    ("Chalk comet", "A chalk drawing of a comet streaking across a pavement", "approved"),
    ("Mirror maze", "A child walking through a mirror maze, kaleidoscopic", "approved"),
    ("Skater in the rain", "A skateboarder in the rain, long lens", "changes_requested"),
    ("Glass harp", "Hands playing a glass harp, extreme close-up", "changes_requested"),
    ("Ferris wheel at noon", "A Ferris wheel turning at noon, heat haze", "changes_requested"),
    ("Window cleaner", "A window cleaner on a skyscraper at sunrise", "changes_requested"),
    ("Red carpet look-alike", "A famous actress on a red carpet", "rejected"),
    ("Logo parade", "A parade of well-known sports logos marching", "rejected_trademark"),
    ("Newsreader deepfake", "A real news anchor reading a fake headline", "rejected"),
    ("Superhero cameo", "A famous superhero waving from a rooftop", "upheld"),
    ("Cola bottle ballet", "Branded cola bottles dancing a ballet", "upheld"),
    ("Theme park castle", "A famous theme park's castle and its logo under fireworks", "upheld"),
    ("My own face, aged", "Myself at eighty, portrait, soft light", "overturned"),
    ("Homemade mascot", "A mascot I designed for my bakery, waving", "overturned"),
    ("Sand dunes breathing", "Sand dunes rising and falling like breath", "published_by_deadline"),
    ("Tram through tulips", "A tram gliding through tulip fields", "published_by_deadline"),
    ("Snow globe city", "A whole city inside a shaken snow globe", "approved_by_deadline"),
]


REJECTION_NOTES = {
    "3.2": "The person shown is recognisable and we have no record of their consent.",
    "4.1": "Shows a character or logo that belongs to someone else, without their permission.",
}


def seed_review_rules(program: Program, reviewers: list) -> dict:
    ReviewPolicy.objects.get_or_create(
        program=program,
        defaults={
            "deadline_business_days": 3,
            "appeal_deadline_business_days": 5,
            "embargo_ends_on": story_day(2027, 1, 15),
            # Both shown on the program page: a reviewer in both groups (the second demo reviewer) decides one
            # step of a video, never both; an overturned rejection sends the video back to the step that
            # rejected it, and the program lead still decides.
            "distinct_people_per_step": True,
            "after_overturned_appeal": ReviewPolicy.OverturnedAppeal.REOPEN_AT_STEP,
        },
    )
    for reviewer in reviewers:
        ProgramRole.objects.get_or_create(user=reviewer, program=program, role=ProgramRole.Role.REVIEWER)
    safety, _ = ReviewerGroup.objects.get_or_create(program=program, name="Trust and safety")
    leads, _ = ReviewerGroup.objects.get_or_create(program=program, name="Program leads")
    safety.members.add(*reviewers[:2])
    leads.members.add(*reviewers[1:])
    ReviewStep.objects.get_or_create(program=program, position=1, defaults={"name": "Safety", "group": safety})
    ReviewStep.objects.get_or_create(program=program, position=2, defaults={"name": "Program lead", "group": leads})
    for code, title, explanation in REASON_CODES:
        ReasonCode.objects.get_or_create(
            program=program, code=code, defaults={"title": title, "explanation": explanation}
        )
    return {"safety": reviewers[:2], "leads": reviewers[1:], "codes": {c.code: c for c in program.reason_codes.all()}}


def _upload(data: bytes) -> TemporaryUploadedFile:
    upload = TemporaryUploadedFile("demo.mp4", "video/mp4", len(data), None)
    upload.write(data)
    upload.seek(0)
    upload.sha256 = hashlib.sha256(data).hexdigest()
    return upload


def _send(enrolment: Enrolment, title: str, prompt: str, hue: int) -> Video:
    provenance = video_services.Provenance(
        title=title,
        prompt=prompt,
        model_name="Lumen",
        model_version="0.9.2",
        generation_settings={"seed": str(1000 + hue), "guidance": "7.5", "duration": "2s"},
        consent_showcase=True,
    )
    clip = testclips.make_clip(seconds=1.5, width=320, height=180, hue=hue)
    video, _ = video_services.video_create(
        enrolment=enrolment,
        actor=enrolment.user,
        source=Video.Source.UPLOAD,
        provenance=provenance,
        upload=_upload(clip),
        enqueue=False,
    )
    video_services.video_process(video_id=video.pk, claim="demo")
    video.refresh_from_db()
    return video


def _approve_all(video: Video, rules: dict) -> None:
    approvals.review_decide(video_id=video.pk, reviewer=rules["safety"][0], outcome="approve")
    approvals.review_decide(video_id=video.pk, reviewer=rules["leads"][-1], outcome="approve", note="Beautiful work.")


def _play(story: str, video: Video, rules: dict, previous: Video | None) -> None:
    artist, codes, now = video.artist, rules["codes"], timezone.now()
    if story in ("published", "approved"):
        _approve_all(video, rules)
    if story in ("published_by_deadline", "approved_by_deadline"):
        VideoReview.objects.filter(video=video).update(deadline_at=now - dt.timedelta(minutes=1))
        approvals.reviews_approve_overdue()
    if story.startswith("published") or story == "without_review":
        approvals.video_publish(video_id=video.pk, artist=artist)
    if story in ("rejected", "rejected_trademark", "appealed", "overturned", "upheld"):
        code = codes["4.1"] if story in ("rejected_trademark", "appealed", "upheld") else codes["3.2"]
        approvals.review_decide(
            video_id=video.pk,
            reviewer=rules["safety"][0],
            outcome="reject",
            reason_code=code,
            note=REJECTION_NOTES[code.code],
        )
    if story in ("appealed", "overturned", "upheld"):
        approvals.video_appeal(
            video_id=video.pk,
            artist=artist,
            statement="This is my own character design, not the studio's; sketches attached.",
        )
    if story == "overturned":
        approvals.appeal_decide(
            video_id=video.pk,
            reviewer=rules["leads"][-1],
            overturn=True,
            note="The artist is the person shown and consented; our mistake.",
        )
        # The review reopened at Safety: another safety reviewer decides it, then the program lead.
        approvals.review_decide(video_id=video.pk, reviewer=rules["safety"][-1], outcome="approve")
        approvals.review_decide(video_id=video.pk, reviewer=rules["leads"][-1], outcome="approve", note="Lovely.")
    if story == "upheld":
        approvals.appeal_decide(
            video_id=video.pk,
            reviewer=rules["leads"][-1],
            overturn=False,
            note="The design is the studio's registered character; rule 4.1 applies.",
        )
    if story == "changes_requested":
        approvals.review_decide(
            video_id=video.pk,
            reviewer=rules["safety"][-1],
            outcome="request_changes",
            reason_code=codes["5.3"],
            note="The flicker reveals the unreleased frame interpolation.",
        )
    if story == "new_version" and previous is not None:
        approvals.review_link_new_version(new_video=video, old_video=previous, artist=artist)
    if story == "in_review":
        approvals.review_claim(video_id=video.pk, reviewer=rules["safety"][-1])
    if story == "withdrawn":
        video_services.video_withdraw(video=video, actor=artist, reason="Uploaded the wrong take.")


ARRIVAL = {Video.Status.UPLOADED, Video.Status.PROCESSING, Video.Status.PENDING_REVIEW}


# After the decision, in hours: the artist appeals a day later, the appeal is decided a day after that, and an
# approved video is published a few hours after its approval. Squeezed to fit into what has passed since arrival.
APPEALED_AFTER, APPEAL_DECIDED_AFTER, PUBLISHED_AFTER = 26, 50, 6
# A review reopened by the appeal is decided again this many hours after it reopened.
REVIEWED_AGAIN_AFTER = 20


def _hours_after_decision(events: list[VideoEvent]) -> list[float]:
    """For each event after the decision, how many hours later it happened; 0 for the decision itself."""
    hours, offset, reopened = [], 0.0, False
    for event in events:
        if event.to_status == Video.Status.APPEALED:
            offset = APPEALED_AFTER
        elif offset == APPEALED_AFTER:
            offset = APPEAL_DECIDED_AFTER  # the first event after the appeal is its decision
            reopened = event.to_status == Video.Status.PENDING_REVIEW
        elif reopened:
            offset = APPEAL_DECIDED_AFTER + REVIEWED_AGAIN_AFTER
        if event.to_status == Video.Status.PUBLISHED:
            offset += PUBLISHED_AFTER
        hours.append(offset)
    return hours


def _backdate(video: Video, *, days_ago: int, decided_after_hours: int) -> None:
    """Move a demo video's history into the past: it arrived `days_ago` days ago, whatever followed its arrival
    (decisions, withdrawal) happened `decided_after_hours` later, and appeals and publication after that."""
    arrived = timezone.now() - dt.timedelta(days=days_ago)
    decided = arrived + dt.timedelta(hours=decided_after_hours)
    events = list(video.events.order_by("pk"))
    later = _hours_after_decision(events)
    room = (timezone.now() - decided).total_seconds() / 3600 - 1
    squeeze = min(1.0, room / max(max(later, default=0), 1))
    moments = []
    for event, hours in zip(events, later, strict=True):
        # Not a step's approval, nor a review reopened by an appeal.
        arrival = event.to_status in ARRIVAL and event.from_status not in (event.to_status, Video.Status.APPEALED)
        moment = arrived if arrival else decided + dt.timedelta(hours=hours * squeeze)
        moments.append(moment)
        VideoEvent.objects.filter(pk=event.pk).update(created_at=moment)
    statuses = [event.to_status for event in events]
    Video.objects.filter(pk=video.pk).update(
        created_at=arrived, processed_at=video.processed_at and arrived, status_changed_at=moments[-1]
    )
    appeal = Appeal.objects.filter(video=video).first()
    # Decisions on a review the appeal reopened come after it; the others at the first decision.
    decided_again = decided + dt.timedelta(hours=later[-1] * squeeze)
    rejection = Decision.objects.filter(video=video, outcome=Decision.Outcome.REJECT).last()
    Decision.objects.filter(video=video).update(created_at=decided)
    if appeal is not None and rejection is not None:
        Decision.objects.filter(video=video, pk__gt=rejection.pk).update(created_at=decided_again)
    appeal_decided = None
    if appeal is not None:
        at = statuses.index(Video.Status.APPEALED)
        appealed, appeal_decided = moments[at], appeal.decided_at and moments[at + 1]  # its decision comes next
        Appeal.objects.filter(pk=appeal.pk).update(
            created_at=appealed,
            deadline_at=appealed + (appeal.deadline_at - appeal.created_at),
            decided_at=appeal_decided,
        )
    review = VideoReview.objects.filter(video=video).first()
    if review is not None:
        by_appeal = review.approval_kind in (VideoReview.ApprovalKind.APPEAL, VideoReview.ApprovalKind.APPEAL_DEADLINE)
        reopened = appeal is not None and Video.Status.PENDING_REVIEW in statuses[statuses.index("appealed") :]
        opened = appeal_decided if reopened else arrived
        VideoReview.objects.filter(pk=review.pk).update(
            opened_at=opened,
            # A missed deadline passed just before the deemed approval; a running one counts from arrival.
            deadline_at=review.deadline_at
            and (decided if review.deadline_missed else opened + (review.deadline_at - review.opened_at)),
            decided_at=review.decided_at and (decided_again if reopened else appeal_decided if by_appeal else decided),
            published_at=review.published_at and moments[statuses.index(Video.Status.PUBLISHED)],
        )


# Which artists a story goes to: each kind of outcome rotates through the artists from its own starting point, so
# that every outcome the report counts comes from several artists (cells from fewer than 5 are withheld).
ROTATION = {
    "published": ("reviewed", 0),
    "approved": ("reviewed", 0),
    "published_by_deadline": ("deadline", 4),
    "approved_by_deadline": ("deadline", 4),
    "changes_requested": ("changes", 8),
    "rejected": ("real person", 1),
    "overturned": ("real person", 1),
    "rejected_trademark": ("trademark", 6),
    "appealed": ("trademark", 6),
    "upheld": ("trademark", 6),
}


def _artist_for(story: str, enrolments: list[Enrolment], turns: dict) -> Enrolment:
    rotation, start = ROTATION.get(story, ("waiting", 2))
    turn = turns[rotation] = turns.get(rotation, -1) + 1
    return enrolments[(start + turn) % len(enrolments)]


def _decision_delay_hours(story: str, index: int) -> int:
    """Reviewers mostly answer within a day or two; deemed approvals came when the 3 business days ran out."""
    if story.endswith("by_deadline"):
        return 75 + index % 5
    return 2 + (index * 7) % 46


def seed_approvals(program: Program, people: dict) -> None:
    rules = seed_review_rules(program, people["reviewers"])
    active = Enrolment.objects.active().filter(program=program).select_related("user").order_by("pk")
    active = [e for e in active if contributing_enrolment(e.user, program)]  # accepted the current agreement
    trusted = [e for e in active if is_trusted_publisher(e.user, program)]
    enrolments = [e for e in active if e not in trusted]  # a trusted publisher's videos skip review
    previous, turns = None, {}
    stories = [(story, 90 - index * 5) for index, story in enumerate(STORIES)]
    # The program's first months (the spring cohort began in early August): the earlier stories, settled long ago.
    stories += [(story, 105 - index * 2) for index, story in enumerate(EARLIER_STORIES)]
    for index, ((title, prompt, story), settled_days_ago) in enumerate(stories):
        if story == "without_review":
            if not trusted:
                continue
            enrolment = trusted[0]
        elif story == "new_version":
            enrolment = previous.enrolment
        else:
            enrolment = _artist_for(story, enrolments, turns)
        existing = Video.objects.filter(artist=enrolment.user, program=program, title=title).first()
        if existing is not None:
            previous = existing
            continue
        video = _send(enrolment, title, prompt, hue=(40 + index * 17) % 360)
        _play(story, video, rules, previous)
        # Settled stories happened weeks ago; what still waits arrived in the last day or two.
        waiting = story in ("pending", "in_review", "appealed", "new_version")
        days_ago = 1 + index % 2 if waiting else settled_days_ago
        delay = min(_decision_delay_hours(story, index), days_ago * 24 - 2)  # never into the future
        _backdate(video, days_ago=days_ago, decided_after_hours=delay)
        previous = video
