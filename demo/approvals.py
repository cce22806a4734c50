"""Demo data for the approval workflow: the program's review rules and videos in every state.

Videos are real clips (PyAV), sent, processed, decided, appealed and published through the services, each step on
its moment of the story (demo/story.py); the review deadline job runs when the beat would have run it, so deemed
approvals happen as they would. Idempotent: a video is identified by its artist and title.
"""

import datetime as dt
import hashlib

from django.core.files.uploadedfile import TemporaryUploadedFile

from demo import frame_comments, testclips
from demo.calendar import story_day
from demo.cast import TRUSTED, contributing_artists
from demo.credentials import sign_after_publication
from demo.story import Story, at_hour, days_ago, told
from programs.access import contributing_enrolment
from programs.models import Program
from submissions.models import ReasonCode, ReviewerGroup, ReviewPolicy, ReviewStep, Video
from submissions.review_calendar import add_business_days
from submissions.services import approvals
from submissions.services import videos as video_services

REVIEW_DAYS, APPEAL_DAYS = 3, 5  # business days, as the review policy below sets them
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


def seed_review_rules(program: Program, reviewers: list) -> None:
    ReviewPolicy.objects.get_or_create(
        program=program,
        defaults={
            "deadline_business_days": REVIEW_DAYS,
            "appeal_deadline_business_days": APPEAL_DAYS,
            "embargo_ends_on": story_day(2027, 1, 15),
            # Both shown on the program page: a reviewer in both groups (the second demo reviewer) decides one
            # step of a video, never both; an overturned rejection sends the video back to the step that
            # rejected it, and the program lead still decides.
            "distinct_people_per_step": True,
            "after_overturned_appeal": ReviewPolicy.OverturnedAppeal.REOPEN_AT_STEP,
        },
    )
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


def deadline_job(story: Story, opened: dt.datetime, *, appeal: bool = False) -> None:
    """The beat's deadline job, run just after the review (or appeal) opened at `opened` ran out of time."""
    days, job = (REVIEW_DAYS, approvals.reviews_approve_overdue)
    if appeal:
        days, job = APPEAL_DAYS, approvals.appeals_overturn_overdue
    story.at(add_business_days(opened, days) + dt.timedelta(minutes=5), job)


def _upload(data: bytes) -> TemporaryUploadedFile:
    upload = TemporaryUploadedFile("demo.mp4", "video/mp4", len(data), None)
    upload.write(data)
    upload.seek(0)
    upload.sha256 = hashlib.sha256(data).hexdigest()
    return upload


def _send(program: Program, artist, title: str, prompt: str, hue: int) -> None:
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
        enrolment=contributing_enrolment(artist, program),
        actor=artist,
        source=Video.Source.UPLOAD,
        provenance=provenance,
        upload=_upload(clip),
        enqueue=False,
    )
    video_services.video_process(video_id=video.pk, claim="demo")


# After the first decision, in hours: the artist appeals a day later, the appeal is decided a day after that,
# the reopened review is decided again the day after, and an approved video is published a few hours later.
APPEALED, APPEAL_DECIDED, REVIEWED_AGAIN, PUBLISHED = 26, 50, 70, 6
APPEAL = "This is my own character design, not the studio's; sketches attached."
UPHELD = "The design is the studio's registered character; rule 4.1 applies."
PUBLISHED_BY_DEADLINE_AFTER = dt.timedelta(days=7)  # after arrival: the deadline (3 business days) ran out first


def _steps(story: str, rules: dict) -> list[tuple[float, str, dict]]:
    """What happens to a video of `story`: (hours after the first decision, service, arguments)."""
    safety, lead = rules["safety"], rules["leads"][-1]
    approve = [(0, "decide", {"reviewer": safety[0], "outcome": "approve"}),
               (1, "decide", {"reviewer": lead, "outcome": "approve", "note": "Beautiful work."})]  # fmt: skip
    code = "4.1" if story in ("rejected_trademark", "appealed", "upheld") else "3.2"
    reject = [(0, "decide", {"reviewer": safety[0], "outcome": "reject", "reason_code": code,
                             "note": REJECTION_NOTES[code]})]  # fmt: skip
    appeal = [
        (APPEALED, "appeal", {"statement": "This is my own character design, not the studio's; sketches attached."})
    ]
    steps = {
        "published": [*approve, (1 + PUBLISHED, "publish", {})],
        "approved": approve,
        "rejected": reject,
        "rejected_trademark": reject,
        "appealed": [*reject, *appeal],
        "overturned": [*reject, *appeal,
            (APPEAL_DECIDED, "appeal_decide", {"reviewer": lead, "overturn": True,
                                               "note": "The artist is the person shown and consented; our mistake."}),
            # The review reopened at Safety: another safety reviewer decides it, then the program lead.
            (REVIEWED_AGAIN, "decide", {"reviewer": safety[-1], "outcome": "approve"}),
            (REVIEWED_AGAIN + 1, "decide", {"reviewer": lead, "outcome": "approve", "note": "Lovely."})],
        "upheld": [*reject, *appeal,
            (APPEAL_DECIDED, "appeal_decide", {"reviewer": lead, "overturn": False,
                                               "note": UPHELD})],
        "changes_requested": [(0, "decide", {"reviewer": safety[-1], "outcome": "request_changes",
            "reason_code": "5.3", "note": "The flicker reveals the unreleased frame interpolation."})],
        "in_review": [(1, "claim", {"reviewer": safety[-1]})],
        "withdrawn": [(0, "withdraw", {"reason": "Uploaded the wrong take."})],
        "without_review": [(PUBLISHED, "publish", {})],
    }  # fmt: skip
    return steps.get(story, [])


def _act(program: Program, artist, title: str, service: str, arguments: dict) -> None:
    video = Video.objects.get(program=program, artist=artist, title=title)
    if "reason_code" in arguments:
        arguments = {**arguments, "reason_code": ReasonCode.objects.get(program=program, code=arguments["reason_code"])}
    if service == "decide":
        cited = (
            frame_comments.open_threads_of(video, arguments["reviewer"]) if arguments["outcome"] != "approve" else []
        )
        approvals.review_decide(video_id=video.pk, cited_comment_ids=cited, **arguments)
    elif service == "claim":
        approvals.review_claim(video_id=video.pk, **arguments)
    elif service == "appeal":
        approvals.video_appeal(video_id=video.pk, artist=artist, **arguments)
    elif service == "appeal_decide":
        approvals.appeal_decide(video_id=video.pk, **arguments)
    elif service == "publish":
        approvals.video_publish(video_id=video.pk, artist=artist)
        sign_after_publication(video, artist)
    elif service == "withdraw":
        video_services.video_withdraw(video=video, actor=artist, **arguments)


def _link_new_version(program: Program, artist, title: str, previous_title: str) -> None:
    new = Video.objects.get(program=program, artist=artist, title=title)
    old = Video.objects.get(program=program, artist=artist, title=previous_title)
    approvals.review_link_new_version(new_video=new, old_video=old, artist=artist)


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


def _artist_for(story: str, artists: list, turns: dict):
    rotation, start = ROTATION.get(story, ("waiting", 2))
    turn = turns[rotation] = turns.get(rotation, -1) + 1
    return artists[(start + turn) % len(artists)]


def _decision_delay_hours(story: str, index: int) -> int:
    """Reviewers mostly answer within a day or two (deemed approvals come from the deadline job instead)."""
    return 2 + (index * 7) % 46


def seed_approvals(program: Program, people: dict, story: Story | None = None) -> None:
    reviewers = people["reviewers"]
    rules = {"safety": reviewers[:2], "leads": reviewers[1:]}
    artists = contributing_artists(people)
    trusted = artists[TRUSTED]
    others = [artist for artist in artists if artist != trusted]  # a trusted publisher's videos skip review
    stories = [(story, 90 - index * 5) for index, story in enumerate(STORIES)]
    # The program's first months (the spring cohort began in early August): the earlier stories, settled long ago.
    stories += [(story, 105 - index * 2) for index, story in enumerate(EARLIER_STORIES)]
    with told(story) as story:
        story.at(at_hour(story_day(2026, 7, 25)), lambda: seed_review_rules(program, reviewers))
        previous, turns = None, {}
        for index, ((title, prompt, plot), settled_days_ago) in enumerate(stories):
            if plot == "without_review":
                artist = trusted
            elif plot == "new_version":
                artist = previous[0]
            else:
                artist = _artist_for(plot, others, turns)
            if not Video.objects.filter(artist=artist, program=program, title=title).exists():
                _tell(story, program, artist, (title, prompt, plot), index, settled_days_ago, rules, previous)
            previous = (artist, title)


def _tell(story: Story, program, artist, told_video: tuple, index: int, settled_days_ago: int, rules, previous) -> None:
    title, prompt, plot = told_video
    # Settled stories happened weeks ago; what still waits arrived in the last day or two.
    waiting = plot in ("pending", "in_review", "appealed", "new_version")
    ago = 1 + index % 2 if waiting else settled_days_ago
    arrived = days_ago(ago, 9, index % 60)
    decided = arrived + dt.timedelta(hours=_decision_delay_hours(plot, index))
    hue = (40 + index * 17) % 360
    story.at(arrived, lambda: _send(program, artist, title, prompt, hue))
    deadline_job(story, arrived)
    if plot == "new_version" and previous is not None:
        story.at(arrived + dt.timedelta(minutes=10), lambda: _link_new_version(program, artist, title, previous[1]))
        frame_comments.after_new_version(story, program, artist, previous[1], arrived, rules["safety"][-1])
    steps = _steps(plot, rules)
    if steps and steps[0][1] == "decide":  # the first decider comments on frames first (demo.frame_comments)
        frame_comments.before_decision(story, program, artist, title, decided, steps[0][2]["reviewer"])
        frame_comments.after_decision(story, program, artist, title, decided)
    if plot == "published_by_deadline":
        story.at(arrived + PUBLISHED_BY_DEADLINE_AFTER, lambda: _act(program, artist, title, "publish", {}))
    for hours, service, arguments in steps:
        story.at(decided + dt.timedelta(hours=hours),
                 lambda s=service, a=arguments: _act(program, artist, title, s, a))  # fmt: skip
        if service == "appeal":
            deadline_job(story, decided + dt.timedelta(hours=hours), appeal=True)
        if service == "appeal_decide" and arguments["overturn"]:
            deadline_job(story, decided + dt.timedelta(hours=hours))  # the reopened review has its own deadline
