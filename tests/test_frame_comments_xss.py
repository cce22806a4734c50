"""The XSS corpus goes through frame comments and replies: the review page, the artist's page, the comparison of
versions and the decision mail render none of it as markup."""

import pytest
from django.core import mail
from django.urls import reverse

from submissions.services import approvals
from submissions.services import comments as comment_services
from tests.approval_helpers import fresh_clip, setup_review, video_in_review
from tests.comment_helpers import comment_on
from tests.test_report_xss import PAYLOADS, assert_inert
from tests.video_helpers import make_video

pytestmark = pytest.mark.django_db


def test_no_comment_text_becomes_markup(client, program, artist, reviewer, django_capture_on_commit_callbacks):
    rules = setup_review(program, safety=[reviewer], lead=[reviewer], distinct_people=False)
    video = video_in_review(artist, program)
    threads = [comment_on(video, reviewer, body=payload, at=f"0.{i % 4}") for i, payload in enumerate(PAYLOADS)]
    for thread, payload in zip(threads, reversed(PAYLOADS), strict=True):
        comment_services.comment_reply(parent_id=thread.pk, author=artist, body=payload)
    with django_capture_on_commit_callbacks(execute=True):
        approvals.review_decide(
            video_id=video.pk,
            reviewer=reviewer,
            outcome="request_changes",
            reason_code=rules["code"],
            note="See the frames.",
            cited_comment_ids=[t.pk for t in threads],
        )
    new = make_video(artist, program, data=fresh_clip())
    approvals.review_link_new_version(new_video=new, old_video=video, artist=artist)
    client.force_login(reviewer)
    assert_inert(client.get(reverse("submissions:review_video", args=[video.pk])).content.decode(), "review page")
    client.force_login(artist)
    for name, pk in (("submissions:video_detail", video.pk), ("submissions:video_compare", new.pk)):
        html = client.get(reverse(name, args=[pk])).content.decode()
        assert_inert(html, name)
    body = mail.outbox[-1].body
    assert all(payload in body for payload in PAYLOADS)  # a plain-text mail carries the text as written
    for html, _kind in mail.outbox[-1].alternatives:  # the HTML part made from it escapes it
        assert_inert(html, "mail")
