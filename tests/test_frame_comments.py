"""Frame-level review: comments at a moment or over a range with a drawing, replies, resolution, citing them in a
decision (the artist's page and mail show them), internal comments, stills taken by the worker, versions compared.
Real clips, real database, tasks run in process."""

import importlib
import uuid

import pytest
from django.apps import apps
from django.core import mail
from django.urls import reverse

from submissions.models import FrameComment, ReviewPolicy, Video, VideoEvent
from submissions.services import approvals
from submissions.services import comments as services
from submissions.services.approvals import ReviewError
from submissions.services.comments import CommentError
from tests.approval_helpers import fresh_clip, seen, setup_review, video_in_review
from tests.comment_helpers import ARROW, BOX, comment_on, drawing
from tests.video_helpers import make_video

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules(program, reviewer):
    return setup_review(program, safety=[reviewer], lead=[reviewer], distinct_people=False)


@pytest.fixture
def video(artist, program, rules):
    return video_in_review(artist, program)


def post_comment(client, video, **fields):
    data = {"body": "The hand melts into the cup.", "at": "0.100", "until": "0.300", "back": "review"}
    return client.post(reverse("submissions:comment_add", args=[video.pk]), {**data, **fields}, follow=True)


def test_a_reviewer_comments_on_a_range_with_a_box_and_the_worker_takes_the_still(
    client, video, reviewer, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(client, video, drawing=drawing(BOX, ARROW))
    assert response.status_code == 200
    comment = FrameComment.objects.get()
    assert (str(comment.at_seconds), str(comment.until_seconds)) == ("0.100", "0.300")
    assert comment.drawing == [BOX, ARROW] and comment.timecode == "0:00.100\N{EN DASH}0:00.300"
    assert comment.still.name.endswith(f"comment-{comment.pk}.jpg")
    still = client.get(reverse("submissions:comment_still", args=[comment.pk]))
    assert still.status_code == 200 and b"".join(still.streaming_content)[:2] == b"\xff\xd8"
    page = client.get(reverse("submissions:review_video", args=[video.pk])).content.decode()
    assert "The hand melts into the cup." in page and "0:00.100\N{EN DASH}0:00.300" in page
    # The drawing over the still, in the SVG's 1000 units, made once when the comment was written.
    assert '<rect x="250.0" y="250.0" width="500.0" height="400.0"' in page
    assert (
        '<line x1="100.0" y1="900.0" x2="400.0" y2="500.0" class="drawing-line" marker-end="url(#drawing-arrowhead)">'
        in page
    )
    assert page.count('id="drawing-arrowhead"') == 1 and comment.drawing_svg in page


def test_a_drawing_written_before_its_svg_was_stored_gets_it_from_the_migration(video, reviewer):
    migration = importlib.import_module("submissions.migrations.0016_frame_comment_drawing_svg")
    stroke = {"shape": "stroke", "points": [[0.1, 0.2], [0.3001, 0.4]]}
    comment = comment_on(video, reviewer, shapes=(BOX, stroke))
    plain = comment_on(video, reviewer, shapes=())
    FrameComment.objects.update(drawing_svg="")
    migration.draw_the_stored_drawings(apps, None)
    comment.refresh_from_db()
    plain.refresh_from_db()
    assert comment.drawing_svg == (
        '<rect x="250.0" y="250.0" width="500.0" height="400.0" class="drawing-line"></rect>'
        '<polyline points="100.0,200.0 300.1,400.0" class="drawing-line"></polyline>'
    )
    assert plain.drawing_svg == ""


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"at": "5.000", "until": ""}, "is outside the video"),
        ({"at": "0.300", "until": "0.100"}, "before it starts"),
        ({"at": "0.100", "until": "9.000"}, "after the end of the video"),
        ({"at": "-1"}, "is outside the video"),
        ({"at": "soon"}, "is not a time in seconds"),
        ({"at": ""}, "Choose the moment"),
        ({"drawing": drawing({"shape": "stroke", "points": [[0.5, 0.5]] * 10_000})}, "points"),
        ({"drawing": drawing({"shape": "circle", "x": 0.5, "y": 0.5, "r": 0.1})}, "only freehand strokes"),
        ({"drawing": drawing({**BOX, "onclick": "x"})}, "only freehand strokes"),
        ({"drawing": drawing({"shape": "box", "x": 0.8, "y": 0.2, "w": 0.5, "h": 0.1})}, "inside the frame"),
        ({"drawing": drawing({"shape": "arrow", "from": [0, 0], "to": [2, 1]})}, "outside the frame"),
        ({"drawing": drawing({"shape": "arrow", "from": [0, 0], "to": ["a", 1]})}, "not a number"),
        ({"drawing": "[" * 300_000}, "too large"),
        ({"drawing": "{not json"}, "could not be read"),
        ({"body": "  "}, "Write the comment"),
        ({"body": "x" * 4001}, "at most 4000 characters"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_stored(client, video, reviewer, fields, message):
    client.force_login(reviewer)
    response = post_comment(client, video, **fields)
    assert message in response.content.decode()
    assert not FrameComment.objects.exists()


def test_htmx_refusal_answers_422_with_the_message(client, video, reviewer):
    client.force_login(reviewer)
    url = reverse("submissions:comment_add", args=[video.pk])
    response = client.post(url, {"body": "x", "at": "0.3", "until": "0.1"}, headers={"HX-Request": "true"})
    assert response.status_code == 422 and "before it starts" in response.content.decode()


def test_a_double_submit_records_one_comment(client, video, reviewer):
    client.force_login(reviewer)
    key = str(uuid.uuid4())
    post_comment(client, video, submit_key=key)
    post_comment(client, video, submit_key=key)
    assert FrameComment.objects.count() == 1
    thread = FrameComment.objects.get()
    for _ in range(2):
        client.post(reverse("submissions:comment_reply", args=[thread.pk]), {"body": "And here.", "submit_key": key})
    assert thread.replies.count() == 1


def test_request_changes_cites_comments_the_artist_sees_with_frames_and_in_the_mail(
    client, video, artist, reviewer, rules, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        cited = comment_on(video, reviewer, body="The cup melts.", at="0.100", until="0.300")
        other = comment_on(video, reviewer, body="Nice light here.", at="0.200", shapes=())
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("submissions:review_decide", args=[video.pk]),
            {"outcome": "request_changes", "reason_code": rules["code"].pk, "note": "See the frames."}
            | {"cite": [cited.pk]}
            | seen(video),
        )
    video.refresh_from_db()
    assert video.status == Video.Status.CHANGES_REQUESTED
    decision = video.decisions.get()
    assert list(decision.cited_comments.all()) == [cited]
    assert "0:00.100\N{EN DASH}0:00.300: The cup melts." in mail.outbox[-1].body
    assert "Nice light here." not in mail.outbox[-1].body

    client.force_login(artist)
    page = client.get(reverse("submissions:video_detail", args=[video.pk])).content.decode()
    assert "What to change, frame by frame" in page and "Cited in a decision" in page
    assert reverse("submissions:comment_still", args=[cited.pk]) in page and "<rect" in page
    assert "Nice light here." in page  # every thread the artist may read is listed; the cited one is marked
    assert client.get(reverse("submissions:comment_still", args=[other.pk])).status_code == 200


def test_internal_comments_are_for_reviewers_and_staff_only(client, video, artist, other_artist, reviewer, staff):
    internal = comment_on(video, reviewer, body="Check the licence of the soundtrack.", internal=True)
    public = comment_on(video, reviewer, body="Shorten the fade.")
    url = reverse("submissions:video_detail", args=[video.pk])
    client.force_login(artist)
    page = client.get(url).content.decode()
    assert "Shorten the fade." in page and "Check the licence" not in page
    assert client.get(reverse("submissions:comment_still", args=[internal.pk])).status_code == 404
    reply = client.post(reverse("submissions:comment_reply", args=[internal.pk]), {"body": "Hello?"})
    assert reply.status_code == 404 and internal.replies.count() == 0
    for who in (reviewer, staff):
        client.force_login(who)
        page = client.get(url).content.decode()
        assert "Check the licence" in page and "Internal: reviewers and staff only" in page
    client.force_login(other_artist)
    assert client.get(reverse("submissions:comment_still", args=[public.pk])).status_code == 404
    assert client.post(reverse("submissions:comment_reply", args=[public.pk]), {"body": "Hi"}).status_code == 404


def test_an_internal_comment_cannot_be_cited_and_nothing_is_recorded(video, reviewer, rules):
    internal = comment_on(video, reviewer, internal=True)
    with pytest.raises(ReviewError, match="internal comment cannot be cited"):
        approvals.review_decide(
            video_id=video.pk,
            reviewer=reviewer,
            outcome="reject",
            reason_code=rules["code"],
            note="No.",
            cited_comment_ids=[internal.pk],
        )
    video.refresh_from_db()
    assert video.status == Video.Status.PENDING_REVIEW and not video.decisions.exists()


def test_a_comment_of_another_video_cannot_be_cited(artist, program, video, reviewer, rules):
    elsewhere = comment_on(video_in_review(artist, program), reviewer)
    with pytest.raises(ReviewError, match="only comments on this video"):
        approvals.review_decide(
            video_id=video.pk,
            reviewer=reviewer,
            outcome="request_changes",
            reason_code=rules["code"],
            note="Fix it.",
            cited_comment_ids=[elsewhere.pk],
        )
    assert not video.decisions.exists()


def test_the_artist_replies_but_neither_starts_threads_nor_resolves(client, video, artist, reviewer):
    thread = comment_on(video, reviewer)
    with pytest.raises(CommentError, match="Only the video's reviewers"):
        comment_on(video, artist)
    client.force_login(artist)
    client.post(reverse("submissions:comment_reply", args=[thread.pk]), {"body": "Fixed in the next version."})
    assert thread.replies.get().author == artist
    response = client.post(reverse("submissions:comment_resolve", args=[thread.pk]), {"resolved": "1"}, follow=True)
    assert "mark comments resolved" in response.content.decode()
    thread.refresh_from_db()
    assert not thread.is_resolved


def test_threads_show_in_the_order_of_the_video_with_their_replies_and_who_wrote_them(
    client, video, artist, reviewer, program
):
    later = comment_on(video, reviewer, body="Later in the clip.", at="0.300")
    first = comment_on(video, reviewer, body="First at this frame.", at="0.100")
    second = comment_on(video, reviewer, body="Second at this frame.", at="0.100")
    services.comment_reply(parent_id=first.pk, author=artist, body="Fixed.\nSee the next version.")
    services.comment_reply(parent_id=first.pk, author=reviewer, body="Thanks.")
    client.force_login(reviewer)
    url = reverse("submissions:review_video", args=[video.pk])
    page = client.get(url).content.decode()
    positions = [page.index(f'id="comment-{thread.pk}"') for thread in (first, second, later)]
    assert positions == sorted(positions)
    assert "<strong>Ada Artist (artist):</strong> Fixed.<br>See the next version.</li>" in page
    assert page.index("Fixed.<br>") < page.index("<strong>Rita Reviewer:</strong> Thanks.</li>") < positions[1]
    ReviewPolicy.objects.filter(program=program).update(blind_review=True)
    page = client.get(url).content.decode()
    assert "<strong>The artist:</strong> Fixed." in page and "Ada Artist" not in page


def test_resolving_and_reopening_is_written_in_the_history(client, video, reviewer):
    thread = comment_on(video, reviewer, at="0.2")
    client.force_login(reviewer)
    client.post(reverse("submissions:comment_resolve", args=[thread.pk]), {"resolved": "1"})
    thread.refresh_from_db()
    assert thread.is_resolved and thread.resolved_by == reviewer
    client.post(reverse("submissions:comment_resolve", args=[thread.pk]), {"resolved": "0"})
    thread.refresh_from_db()
    assert not thread.is_resolved
    reasons = list(VideoEvent.objects.filter(video=video).values_list("reason", flat=True))
    assert "Comment at 0:00.200 resolved." in reasons and "Comment at 0:00.200 opened again." in reasons


def test_a_new_version_stacks_and_the_compare_view_shows_the_old_comments_and_their_state(
    client, program, artist, reviewer, rules, video
):
    fixed = comment_on(video, reviewer, body="The cup melts.")
    open_one = comment_on(video, reviewer, body="The sky flickers.", at="0.2", shapes=())
    approvals.review_decide(
        video_id=video.pk,
        reviewer=reviewer,
        outcome="request_changes",
        reason_code=rules["code"],
        note="See the frames.",
        cited_comment_ids=[fixed.pk, open_one.pk],
    )
    new = make_video(artist, program, data=fresh_clip())
    approvals.review_link_new_version(new_video=new, old_video=video, artist=artist)
    services.comment_set_resolved(comment_id=fixed.pk, actor=reviewer, resolved=True)
    client.force_login(artist)
    page = client.get(reverse("submissions:video_detail", args=[new.pk])).content.decode()
    assert "Version 1" in page and "Version 2" in page
    compare = client.get(reverse("submissions:video_compare", args=[new.pk])).content.decode()
    assert reverse("submissions:video_file", args=[video.pk]) in compare
    assert reverse("submissions:video_file", args=[new.pk]) in compare
    assert compare.index("The cup melts.") < compare.index("The sky flickers.")
    assert compare.count("badge-resolved") == 1 and compare.count("badge-open") == 1
    lonely = client.get(reverse("submissions:video_compare", args=[video.pk])).content.decode()
    assert "no earlier version" in lonely


def test_an_approval_cites_no_comments(video, reviewer):
    thread = comment_on(video, reviewer)
    with pytest.raises(ReviewError, match="An approval cites no comments"):
        approvals.review_decide(video_id=video.pk, reviewer=reviewer, outcome="approve", cited_comment_ids=[thread.pk])
