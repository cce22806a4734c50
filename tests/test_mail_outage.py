"""SMTP is away: no user action and no scheduled job fails, and every message is delivered once SMTP is back.

Mail leaves through one queued, retrying task (core.mail); nothing sends in-process."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.services import invitations
from submissions.models import Video, VideoReview
from submissions.tasks import approve_overdue_reviews, send_review_reminders
from tests.approval_helpers import seen, setup_review, video_in_review
from tests.celery_broker import task_log
from tests.conftest import PASSWORD
from tests.smtp_server import smtp_server_down_at_first
from tests.test_celery_worker import wait_for

S = Video.Status


@pytest.fixture
def world(program, artist, reviewer):
    return {
        "program": program,
        "artist": artist,
        "reviewer": reviewer,
        **setup_review(program, safety=[reviewer], lead=[reviewer], distinct_people=False),
    }


def decide_on_the_page(client, world) -> list[tuple[str, str]]:
    """A reviewer rejects through the page: the decision is saved and confirmed; sending again is refused."""
    video = video_in_review(world["artist"], world["program"])
    client.force_login(world["reviewer"])
    url = reverse("submissions:review_decide", args=[video.pk])
    data = {"outcome": "reject", "reason_code": world["code"].pk, "note": "A real person is recognisable."}
    data |= seen(video)
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Recorded: reject" in response.text
    assert client.post(url, data, headers={"HX-Request": "true"}).status_code == 422  # decided already
    video.refresh_from_db()
    assert video.status == S.REJECTED
    return [(world["artist"].email, "Your video was rejected")]


def deadline_job(client, world) -> list[tuple[str, str]]:
    """The deadline job settles every overdue video in one run, not one per run."""
    videos = [video_in_review(world["artist"], world["program"]) for _ in range(3)]
    past = timezone.now() - dt.timedelta(minutes=1)
    VideoReview.objects.filter(video__in=videos).update(deadline_at=past)
    approve_overdue_reviews.delay()
    assert wait_for(lambda: Video.objects.filter(pk__in=[v.pk for v in videos], status=S.APPROVED).count() == 3)
    return [(world["artist"].email, "approved by deadline")] * 3


def reminder_job(client, world) -> list[tuple[str, str]]:
    video = video_in_review(world["artist"], world["program"])
    VideoReview.objects.filter(video=video).update(deadline_at=timezone.now() + dt.timedelta(hours=1))
    send_review_reminders.delay()
    assert wait_for(lambda: VideoReview.objects.get(video=video).reminder_sent_at is not None)
    return [(world["reviewer"].email, "A review deadline is near")]


def invitation(client, world) -> list[tuple[str, str]]:
    program = world["program"]
    invitations.invitation_send(
        program=program, cohort=program.cohorts.first(), email="new@example.com", actor=world["reviewer"]
    )
    return [("new@example.com", "You are invited")]


def sign_up(client, world) -> list[tuple[str, str]]:
    """allauth's messages (here the sign-up code) go through the same queue."""
    data = {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD}
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 302 and response["Location"] == reverse("account_email_verification_sent")
    return [("new@example.com", "Please Confirm Your Email Address")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action", [decide_on_the_page, deadline_job, reminder_job, sign_up])
def test_with_smtp_away_every_action_and_job_still_succeeds(client, world, settings, action):
    """In-process (the embedded default), the action is saved and answered; the failed send is only logged."""
    with smtp_server_down_at_first(settings) as smtp:
        action(client, world)
    assert smtp.messages == []


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action", [decide_on_the_page, deadline_job, reminder_job, invitation, sign_up])
def test_mail_queued_while_smtp_is_away_is_delivered_once_it_is_back(client, world, settings, action, celery_worker):
    with smtp_server_down_at_first(settings) as smtp, task_log() as log:
        expected = action(client, world)
        # Every message is tried and fails (connection refused), and waits for its retry...
        assert log.wait_until(lambda: log.count("RETRY") >= len(expected), seconds=30), log.events
        assert smtp.messages == []
        smtp.accept()  # ...SMTP is back
        assert smtp.wait_for(len(expected), seconds=60), f"{len(smtp.messages)} of {len(expected)} delivered"
        assert log.wait_until(log.idle, seconds=30)
    delivered = sorted((message["To"], message["Subject"]) for message in smtp.messages)
    assert len(delivered) == len(expected)
    for (to, subject), (expected_to, fragment) in zip(delivered, sorted(expected), strict=True):
        assert to == expected_to and fragment in subject, (to, subject)
    assert not any(state == "FAILURE" for _, _, state in log.events)
