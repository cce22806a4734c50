"""Two workers signing the same published copy again at once record one signing and leave one new signed file
(PostgreSQL's row locks)."""

import threading

import pytest
from django.core.files.storage import default_storage
from django.db import connection, connections

from programs.services.consent import consent_set
from submissions.services import approvals
from submissions.services.credentials import credentials_sign
from submissions.storage import sha256_of
from tests.approval_helpers import setup_review, video_in_review

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_signings_at_once_record_one(program, artist, reviewer):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks: set DATABASE_URL (the services run of .ci/run does)")
    setup_review(program, safety=[reviewer], lead=[reviewer], distinct_people=False)
    video = video_in_review(artist, program)
    for _ in range(2):
        approvals.review_decide(video_id=video.pk, reviewer=reviewer, outcome="approve")
    approvals.video_publish(video_id=video.pk, artist=artist)  # commits: signing 1 runs in-process
    consent_set(user=artist, program=program, training=True, marketing=False, showcase=False)
    start, results = threading.Barrier(2), []

    def sign():
        start.wait()
        try:
            results.append(credentials_sign(video_id=video.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 2 and sum(result is not None for result in results) == 1, results
    assert list(video.signings.values_list("number", flat=True)) == [2, 1]
    signed = sorted(name for name in default_storage.listdir(video.storage_name(""))[1] if name.startswith("signed-"))
    assert signed == sorted(signing.file.name.rsplit("/", 1)[1] for signing in video.signings.all()), signed
    newest = video.signings.first()
    assert sha256_of(default_storage.path(newest.file.name)) == newest.sha256
