"""The broker is away when work is sent: the user's action is accepted at once (never a 500, never a long wait),
and the work is done once the broker is back (the sweeper sends what was never sent), exactly once."""

import datetime as dt
import json
import time

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import DataExport
from accounts.personal_data import exports
from programs.models import Application, Invitation
from programs.services import applications, invitations
from submissions.models import Video
from submissions.services import api_keys, approvals
from submissions.services import videos as video_services
from submissions.tasks import requeue_stalled_videos
from tests.approval_helpers import setup_review, video_in_review
from tests.celery_broker import broker_away
from tests.conftest import make_application, make_user, publish_agreement
from tests.video_helpers import clip

S = Video.Status
OUTAGES = ["refused", "hung"]
FAST = 8.0  # seconds, the whole request: a hung broker costs one 2 s socket timeout, not ~19 s of retries


def upload_page(client, artist, program):
    client.force_login(artist)
    data = {
        "title": "Dawn",
        "prompt": "A glass city at dawn",
        "model_name": "Lumen",
        "model_version": "0.9.2",
        "generation_settings": "seed = 42",
        "consent_training": "no",
        "file": SimpleUploadedFile("dawn.mp4", clip(hue=15), content_type="video/mp4"),
    }
    response = client.post(reverse("submissions:video_new"), data)
    video = Video.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("submissions:video_detail", args=[video.pk])
    return video


def upload_api(client, artist, program):
    _, raw = api_keys.api_key_create(program=program, name="Render farm", actor=artist)
    data = {
        "artist": artist.email,
        "prompt": "A lighthouse in fog",
        "model_name": "Lumen",
        "generation_settings": json.dumps({"seed": 7}),
        "external_id": "gen-0001",
        "file": SimpleUploadedFile("render.mp4", clip(hue=15), content_type="video/mp4"),
    }
    response = client.post("/api/v1/videos", data, headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 201, response.content
    assert response["Content-Type"].startswith("application/json")
    video = Video.objects.get()
    assert response.json()["id"] == video.pk and response.json()["status"] == "uploaded"
    return video


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("outage", OUTAGES)
@pytest.mark.parametrize("upload", [upload_page, upload_api], ids=["page", "api"])
def test_an_upload_while_the_broker_is_away_is_accepted_at_once_and_processed_once_it_is_back(
    client, artist, program, outage, upload
):
    clip(hue=15)  # the clip made, and the URLs and views imported, before the clock starts
    client.get(reverse("submissions:video_new"))
    with broker_away(outage):
        started = time.monotonic()
        video = upload(client, artist, program)
        took = time.monotonic() - started
    print(f"upload with the broker {outage}: {took:.2f} s")
    assert took < FAST, f"the upload waited {took:.1f} s for the broker"
    assert video.status == S.UPLOADED and video.file and video.file.storage.exists(video.file.name)

    # The broker is back (tasks run again); the sweeper's next run sends what was never sent, once.
    with time_machine.travel(timezone.now() + video_services.UNSENT_AFTER + dt.timedelta(seconds=5)):
        requeue_stalled_videos.delay()
        requeue_stalled_videos.delay()  # a second sweep finds nothing left to send
    video.refresh_from_db()
    assert video.status == S.PENDING_REVIEW
    assert video.processing_attempts == 1
    assert video.events.filter(to_status=S.PENDING_REVIEW).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("outage", OUTAGES)
def test_a_review_decision_while_the_broker_is_away_is_saved_and_answered_at_once(artist, program, reviewer, outage):
    setup_review(program, safety=[reviewer], lead=[reviewer], distinct_people=False)
    video = video_in_review(artist, program)
    mail.outbox.clear()
    with broker_away(outage):
        started = time.monotonic()
        approvals.review_decide(video_id=video.pk, reviewer=reviewer, outcome="approve")
        approvals.review_decide(video_id=video.pk, reviewer=reviewer, outcome="approve")
        took = time.monotonic() - started
    assert took < 2 * FAST
    video.refresh_from_db()
    assert video.status == S.APPROVED


def invite(world):
    program = world["program"]
    invitation = invitations.invitation_send(
        program=program, cohort=program.cohorts.first(), email="new@example.com", actor=world["staff"]
    )
    return Invitation.objects.filter(pk=invitation.pk).exists()


def decline_application(world):
    application = make_application(make_user("applicant@example.com"), world["program"])
    applications.application_decline(application=application, actor=world["staff"], reason="Full this season.")
    return Application.objects.get(pk=application.pk).status == Application.Status.DECLINED


def publish_an_agreement(world):
    return publish_agreement(world["program"], actor=world["staff"]).is_published


def request_a_data_export(world):
    export, created = exports.export_request(user=world["artist"])
    return created and DataExport.objects.filter(pk=export.pk).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action", [invite, decline_application, publish_an_agreement, request_a_data_export])
def test_every_other_action_that_sends_work_after_commit_is_saved_and_answered_while_the_broker_is_away(
    artist, program, staff, action
):
    world = {"program": program, "artist": artist, "staff": staff}
    with broker_away("refused"):
        started = time.monotonic()
        assert action(world)
        assert time.monotonic() - started < FAST
