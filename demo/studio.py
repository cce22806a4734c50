"""The demo studio: models (one near its sunset), the program's caps and presets, and clips asked for by several
artists in every state of a job (queued, generating, finished and in review or published, failed, cancelled,
expired), each step through the services on its day. Only the stand-in renderer runs here; the other models are
listed as data (their providers need credentials this demo does not have).
"""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from demo.cast import contributing_artists
from demo.credentials import sign_after_publication
from demo.story import Story, days_ago, told
from programs.models import Program
from studio.models import GenerationJob, GenerationModel, StylePreset
from studio.providers.local import REFUSE_MARK
from studio.services.catalogue import preset_set_example, stand_in_model, studio_open
from studio.services.jobs import ClipRequest, job_cancel, job_request
from studio.services.runner import studio_tick
from submissions.models import Video
from submissions.services import approvals
from submissions.services.videos import video_process

OTHER_MODELS = [
    # (provider, model id, label, durations, sizes, cost per second, sunset in days from today or None)
    ("openai", "sora-2", "Sora 2", [4, 8, 12], ["1280x720", "720x1280"], "0.10", 40),
    ("runway", "gen4_turbo", "Runway Gen-4 Turbo", [5, 10], ["1280x720", "720x1280", "960x960"], "0.05", None),
    ("gemini", "veo-3.0-generate-001", "Veo 3", [8], ["1280x720", "1920x1080"], None, 400),
]
PRESETS = [
    ("Film noir", "black and white, hard shadows, 1940s film grain", {"contrast": "high"}, (30, 30, 30), True),
    ("Claymation", "stop-motion clay figures, soft studio light", {"frame_rate": 12}, (200, 120, 60), True),
    ("Neon night (retired)", "neon signs, wet streets, night", {}, (180, 40, 200), False),
]
# (artist's place among the contributing artists, title, prompt, what happens, days ago)
CLIPS = [
    (1, "Harbour gulls", "Gulls circling a fishing harbour at dawn, slow pan", "published", 8),
    (2, "Tin robot waltz", "A tin robot waltzing alone in a ballroom, candlelight", "in_review", 1),
    (3, "Forbidden duel", f"Two knights duelling on a glacier {REFUSE_MARK}", "failed", 6),
    (4, "Rain on lilies", "Rain on a pond of lilies, macro, shallow focus", "cancelled", 6),
    (5, "Old lighthouse", "An old lighthouse in a storm, waves breaking", "expired", 10),
    # Today, in this order: one sent to the renderer, then two still waiting in the queue.
    (6, "Snow fox", "A fox diving into deep snow, telephoto", "running", 0),
    (6, "Desert train", "A steam train crossing red dunes at sunset", "queued", 0),
    (7, "Moth ballet", "Moths dancing around a lamp, slow motion", "queued", 0),
]


def seed_studio(program: Program, people: dict, story: Story | None = None) -> None:
    artists = contributing_artists(people)
    with told(story) as story:
        story.at(days_ago(30), lambda: _open(program))
        for place, title, prompt, plot, ago in CLIPS:
            _tell(story, program, artists[place], people, title, prompt, plot, ago)


def _open(program: Program) -> None:
    models = [stand_in_model()]
    today = timezone.localdate()
    for provider, model_id, label, durations, sizes, cost, sunset in OTHER_MODELS:
        model, _ = GenerationModel.objects.get_or_create(
            provider=provider,
            model_id=model_id,
            defaults={
                "label": label,
                "durations": durations,
                "sizes": sizes,
                "accepts_seed": provider != "openai",
                "cost_per_second": cost,
                "cost_currency": "USD" if cost else "",
                "sunset_on": today + dt.timedelta(days=sunset) if sunset else None,
            },
        )
        models.append(model)
    studio_open(
        program=program, models=models, max_duration_seconds=10, concurrency_limit=3, allowance=40, credit="elapsed"
    )
    for name, suffix, parameters, colour, active in PRESETS:
        preset = StylePreset.objects.create(
            program=program, name=name, prompt_suffix=suffix, parameters=parameters, active=active
        )
        preset_set_example(preset=preset, upload=_still(name, colour))


def _still(name: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    image = Image.new("RGB", (320, 180), colour)
    ImageDraw.Draw(image).text((12, 80), name, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(f"{name}.png", out.getvalue(), content_type="image/png")


def _tell(story: Story, program, artist, people, title: str, prompt: str, plot: str, ago: int) -> None:
    asked = days_ago(ago, 10, len(title) if ago else 0)
    minute = dt.timedelta(minutes=1)
    story.at(asked, lambda: _ask(program, artist, title, prompt, preset="Film noir" if plot == "published" else None))
    if plot == "cancelled":
        story.at(asked + dt.timedelta(seconds=20), lambda: job_cancel(job=_job(artist, title), actor=artist))
    if plot == "expired":
        story.at(asked + dt.timedelta(hours=25), _tick)  # the studio was closed for a day: the wait ran out
        return
    if plot == "queued":
        return
    story.at(asked + minute, _tick)  # sent to the renderer
    if plot == "running":
        return
    story.at(asked + 2 * minute, lambda: _finish(artist, title))  # finished, taken in, processed
    if plot == "published":
        reviewers = people["reviewers"]
        decided = asked + dt.timedelta(hours=20)
        story.at(decided, lambda: _decide(artist, title, reviewers[0]))
        story.at(decided + dt.timedelta(hours=1), lambda: _decide(artist, title, reviewers[-1]))
        story.at(decided + dt.timedelta(hours=3), lambda: _publish(artist, title))


def _ask(program, artist, title: str, prompt: str, preset: str | None) -> None:
    job_request(
        enrolment=artist.enrolments.get(program=program),
        actor=artist,
        ask=ClipRequest(
            model=stand_in_model(),
            prompt=prompt,
            title=title,
            duration_seconds=2,
            width=640,
            height=360,
            seed=len(title) * 101,
            preset=StylePreset.objects.get(program=program, name=preset) if preset else None,
        ),
        form_token=f"demo-{artist.pk}-{title}",
    )


def _job(artist, title: str) -> GenerationJob:
    return GenerationJob.objects.get(artist=artist, title=title)


def _tick() -> None:
    studio_tick(now=timezone.now())


def _finish(artist, title: str) -> None:
    _tick()
    # Processed now, as the worker would right after the intake (the seed runs in one transaction).
    for video_id in Video.objects.filter(source=Video.Source.STUDIO, status=Video.Status.UPLOADED).values_list(
        "pk", flat=True
    ):
        video_process(video_id=video_id, claim="demo-seed")


def _decide(artist, title: str, reviewer) -> None:
    approvals.review_decide(video_id=_job(artist, title).video_id, reviewer=reviewer, outcome="approve")


def _publish(artist, title: str) -> None:
    video = approvals.video_publish(video_id=_job(artist, title).video_id, artist=artist)
    sign_after_publication(video, artist)
