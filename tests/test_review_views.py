"""The reviewer queue and review page, the artist's choices, the gallery and /verify/, through HTTP."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from submissions.models import Decision, Video, VideoReview
from submissions.services import approvals
from tests.approval_helpers import seen, setup_review, video_in_review
from tests.conftest import enrol, make_program, make_user
from tests.video_helpers import uploaded

S = Video.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(program):
    return make_user("lead@example.com", display_name="Lea Lead")


@pytest.fixture
def rules(program, reviewer, lead):
    return setup_review(program, safety=[reviewer], lead=[lead])


def publish(video, artist, reviewer, lead):
    approvals.review_decide(video_id=video.pk, reviewer=reviewer, outcome="approve")
    approvals.review_decide(video_id=video.pk, reviewer=lead, outcome="approve")
    approvals.video_publish(video_id=video.pk, artist=artist)


def test_the_queue_lists_what_waits_for_the_reviewer_oldest_deadline_first(client, program, artist, reviewer, rules):
    first, second = video_in_review(artist, program), video_in_review(artist, program)
    VideoReview.objects.filter(video=second).update(deadline_at=timezone.now() + dt.timedelta(hours=1))
    enrol(reviewer, program)
    video_in_review(reviewer, program)  # their own: never in their queue
    client.force_login(reviewer)
    response = client.get(reverse("submissions:review_queue"))
    assert response.status_code == 200
    assert [v.pk for v in response.context["page"].object_list] == [second.pk, first.pk]
    assert '<strong data-testid="waiting-count">2</strong>' in response.text


def test_the_queue_filters_by_program_and_state(client, program, artist, reviewer, rules):
    video = video_in_review(artist, program)
    other = make_program(slug="other")
    client.force_login(reviewer)
    assert client.get(reverse("submissions:review_queue"), {"program": other.pk}).context["page"].paginator.count == 0
    approvals.review_claim(video_id=video.pk, reviewer=reviewer)
    in_review = client.get(reverse("submissions:review_queue"), {"state": "in_review"}).context["page"]
    assert [v.pk for v in in_review.object_list] == [video.pk]
    assert (
        client.get(reverse("submissions:review_queue"), {"state": "pending_review"}).context["page"].paginator.count
        == 0
    )


def _queue_queries(client, reviewer) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("submissions:review_queue")).status_code == 200
    return len(queries)


def test_the_queue_makes_the_same_number_of_queries_for_5_or_200_waiting_videos(
    client, program, artist, reviewer, rules
):
    template = video_in_review(artist, program)
    client.force_login(reviewer)

    def add_waiting(count: int) -> None:
        for index in range(count):
            copy = Video.objects.create(
                program=program,
                enrolment=template.enrolment,
                artist=artist,
                status=S.PENDING_REVIEW,
                source=template.source,
                prompt=f"copy {index}",
                model_name="Lumen",
                poster=template.poster.name,
            )
            VideoReview.objects.create(
                video=copy,
                current_step=template.review.current_step,
                deadline_at=timezone.now() + dt.timedelta(days=index % 5),
            )

    add_waiting(4)
    _queue_queries(client, reviewer)  # the first request of a session also records it (allauth's user sessions)
    with_5 = _queue_queries(client, reviewer)
    add_waiting(195)
    with_200 = _queue_queries(client, reviewer)
    assert with_5 == with_200
    assert with_200 <= 16  # session, user, navigation, filters, count, rows: nothing per video


def test_claiming_opens_the_review_page_and_a_taken_video_says_who_has_it(
    client, program, artist, reviewer, lead, rules
):
    video = video_in_review(artist, program)
    client.force_login(reviewer)
    response = client.post(reverse("submissions:review_claim", args=[video.pk]))
    assert response["Location"] == reverse("submissions:review_video", args=[video.pk])
    page = client.get(response["Location"])
    assert "Reserved for you until" in page.text
    assert 'data-shortcut="a"' in page.text and 'data-shortcut="n"' in page.text

    second = make_user("second@example.com", display_name="Sid Second")
    rules["steps"][0].group.members.add(second)
    from programs.models import ProgramRole

    ProgramRole.objects.create(user=second, program=program, role=ProgramRole.Role.REVIEWER)
    client.force_login(second)
    response = client.post(reverse("submissions:review_claim", args=[video.pk]), follow=True)
    assert "Rita Reviewer is reviewing this video" in response.text


def test_an_htmx_decision_answers_with_a_confirmation_and_a_double_click_records_once(
    client, program, artist, reviewer, rules
):
    video = video_in_review(artist, program)
    client.force_login(reviewer)
    url = reverse("submissions:review_decide", args=[video.pk])
    form = {"outcome": "approve", **seen(video)}
    first = client.post(url, form, headers={"HX-Request": "true"})
    second = client.post(url, form, headers={"HX-Request": "true"})
    assert first.status_code == 200 and "Recorded: approve" in first.text
    assert second.status_code == 422 and 'role="alert"' in second.text  # the step has moved on: refused
    assert Decision.objects.filter(video=video).count() == 1


def test_a_rejection_without_a_rule_is_refused_through_the_page(client, program, artist, reviewer, rules):
    video = video_in_review(artist, program)
    client.force_login(reviewer)
    response = client.post(
        reverse("submissions:review_decide", args=[video.pk]),
        {"outcome": "reject", "note": "no", **seen(video)},
        follow=True,
    )
    assert "Cite the rule of the review policy" in response.text
    assert not Decision.objects.exists()
    video.refresh_from_db()
    assert video.status == S.PENDING_REVIEW


def test_next_video_claims_the_oldest_deadline(client, program, artist, reviewer, rules):
    later, sooner = video_in_review(artist, program), video_in_review(artist, program)
    VideoReview.objects.filter(video=sooner).update(deadline_at=timezone.now() + dt.timedelta(minutes=30))
    client.force_login(reviewer)
    response = client.post(reverse("submissions:review_next"))
    assert response["Location"] == reverse("submissions:review_video", args=[sooner.pk])
    assert later.pk != sooner.pk


def test_the_artist_sees_the_next_step_the_deadline_and_the_decisions(client, program, artist, reviewer, rules):
    video = video_in_review(artist, program)
    client.force_login(artist)
    page = client.get(reverse("submissions:video_detail", args=[video.pk])).text
    assert "Next decision: <strong>Safety</strong>" in page and "approved by deadline" in page
    approvals.review_decide(
        video_id=video.pk,
        reviewer=reviewer,
        outcome="reject",
        reason_code=rules["code"],
        note="A real face is recognisable.",
    )
    page = client.get(reverse("submissions:video_detail", args=[video.pk])).text
    assert "Rule 3.2: Depicts a real person without consent" in page
    assert "A real face is recognisable." in page
    assert "Appeal this rejection" in page


def test_the_artist_publishes_from_the_video_page_and_it_reaches_the_gallery(
    client, program, artist, reviewer, lead, rules
):
    video = video_in_review(artist, program)
    approvals.review_decide(video_id=video.pk, reviewer=reviewer, outcome="approve")
    approvals.review_decide(video_id=video.pk, reviewer=lead, outcome="approve")
    client.force_login(artist)
    assert "Publish to the gallery" in client.get(reverse("submissions:video_detail", args=[video.pk])).text
    client.post(reverse("submissions:video_publish", args=[video.pk]))
    client.logout()
    gallery = client.get(reverse("submissions:gallery")).text
    assert reverse("submissions:gallery_video", args=[video.public_id]) in gallery
    detail = client.get(reverse("submissions:gallery_video", args=[video.public_id])).text
    assert "Approved by reviewers" in detail and "Safety: approved" in detail and "Program lead: approved" in detail


def test_unpublishing_ends_public_access_to_the_page_and_the_file_at_once(
    client, program, artist, reviewer, lead, rules
):
    video = video_in_review(artist, program)
    publish(video, artist, reviewer, lead)
    file_url = reverse("submissions:gallery_file", args=[video.public_id])
    response = client.get(file_url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[4:8] == b"ftyp"
    seek = client.get(file_url, headers={"Range": "bytes=4-7"})  # players seek with ranges
    assert seek.status_code == 206 and b"".join(seek.streaming_content) == b"ftyp"
    client.force_login(artist)
    client.post(reverse("submissions:video_unpublish", args=[video.pk]))
    client.logout()
    assert client.get(file_url).status_code == 404
    assert client.get(file_url, headers={"Range": "bytes=4-7"}).status_code == 404
    assert client.get(reverse("submissions:gallery_video", args=[video.public_id])).status_code == 404


def test_staff_unpublish_with_a_reason_through_the_page(client, program, artist, reviewer, lead, staff, rules):
    video = video_in_review(artist, program)
    publish(video, artist, reviewer, lead)
    client.force_login(staff)
    client.post(reverse("submissions:video_unpublish", args=[video.pk]), {"reason": "Rights claim."})
    video.refresh_from_db()
    assert video.status == S.UNPUBLISHED
    assert video.events.last().reason == "Unpublished by staff: Rights claim."


def test_verify_confirms_published_files_and_says_nothing_of_others(client, program, artist, reviewer, lead, rules):
    published, waiting = video_in_review(artist, program), video_in_review(artist, program)
    publish(published, artist, reviewer, lead)
    yes = client.post(reverse("submissions:verify"), {"sha256": published.sha256.upper()}).text
    assert "Yes: published through Glasshouse" in yes and "Ada Artist" in yes
    no = client.post(reverse("submissions:verify"), {"sha256": waiting.sha256}).text
    assert "No published video matches" in no and "Ada Artist" not in no
    with published.file.open("rb") as handle:
        by_file = client.post(reverse("submissions:verify"), {"file": uploaded(handle.read(), "mine.mp4")}).text
    assert "Yes: published through Glasshouse" in by_file
    assert "64 hexadecimal" in client.post(reverse("submissions:verify"), {"sha256": "abc"}).text
