"""The same comment form sent twice at the same moment (a double submit racing itself): one comment (PostgreSQL)."""

import threading
import uuid

import pytest
from django.db import connection, connections

from submissions.models import FrameComment
from tests.approval_helpers import setup_review, video_in_review
from tests.comment_helpers import comment_on

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_double_submit_racing_itself_records_one_comment(program, artist, reviewer):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's concurrent transactions: set DATABASE_URL (the services run of .ci/run does)")
    setup_review(program, safety=[reviewer], lead=[reviewer], distinct_people=False)
    video = video_in_review(artist, program)
    for _ in range(10):
        key = uuid.uuid4()
        start = threading.Barrier(2)
        made: list[int] = []

        def send(key=key, start=start, made=made):
            start.wait()
            try:
                made.append(comment_on(video, reviewer, body="Twice?", submit_key=key).pk)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert len(made) == 2 and made[0] == made[1]
        assert FrameComment.objects.filter(submit_key=key).count() == 1
