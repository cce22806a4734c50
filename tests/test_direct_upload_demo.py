"""The demo's direct uploads: with S3, the lasting states through the real services against SeaweedFS, idempotent;
without S3 there are none (the portal has no direct path)."""

import pytest

from demo.direct_uploads import DEMO_DIRECT_UPLOADS, seed_direct_uploads
from demo.program import seed_program
from demo.users import demo_people
from submissions.models import DirectUpload


@pytest.mark.services
@pytest.mark.django_db
def test_the_demo_shows_every_state_and_seeding_twice_adds_nothing(s3_media, tasks_in_process):
    people = demo_people()
    program = seed_program(people)
    assert seed_direct_uploads(program, people) == len(DEMO_DIRECT_UPLOADS)
    assert seed_direct_uploads(program, people) == 0
    uploads = {u.original_filename: u for u in DirectUpload.objects.filter(program=program)}
    assert {u.status for u in uploads.values()} == {"processed", "rejected", "aborted", "started"}
    taken = uploads["murmuration-master.mp4"]
    assert taken.video.status == "pending_review" and taken.video.file.name == taken.key
    assert "PNG image" in uploads["salt-flats-still.mp4"].reason


@pytest.mark.django_db
def test_without_s3_the_demo_has_no_direct_uploads():
    people = demo_people()
    assert seed_direct_uploads(seed_program(people), people) == 0
