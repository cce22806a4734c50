"""Demo direct uploads (masters sent from the browser straight to the bucket), in the states that last: taken in
as a video, refused by its bytes, cancelled by the artist, and one still uploading (expiry needs a real day to pass:
the tests show it).

Only with S3 (USE_S3=1): without a bucket the portal has no direct path, so there is nothing to show. They happen
today, at the end of the story: the bucket refuses requests signed at another time than its own (the story's
clock travels). The browser's part (the parts, the completion at the bucket) is played with the bucket's own API;
everything else runs through submissions.services.direct_uploads. Idempotent: an upload is known by its name.
"""

from django.core.files.storage import default_storage
from django.utils import timezone

from demo import testclips
from demo.story import Story, told
from programs.access import contributing_enrolment
from programs.models import Program
from submissions import bucket
from submissions.models import DirectUpload
from submissions.services import direct_uploads as services
from submissions.services import videos as video_services

# (artist index, file name, what happens, clip hue)
DEMO_DIRECT_UPLOADS = [
    (4, "murmuration-master.mp4", "taken in", 95),
    (5, "salt-flats-still.mp4", "refused", 0),
    (1, "lanterns-master-v2.mp4", "cancelled", 50),
    (2, "glacier-full-length.mp4", "uploading", 130),
]


def seed_direct_uploads(program: Program, people: dict, story: Story | None = None) -> int:
    """Seed the demo direct uploads of `program` (with S3 only); returns how many were added this time."""
    if not bucket.available():
        return 0
    added = 0
    with told(story) as story:
        for index, name, outcome, hue in DEMO_DIRECT_UPLOADS:
            artist = people["artists"][index]
            if DirectUpload.objects.filter(artist=artist, original_filename=name).exists():
                continue
            story.at(timezone.now(), lambda a=artist, n=name, o=outcome, h=hue: _send(program, a, n, o, h))
            added += 1
    return added


def _send(program: Program, artist, name: str, outcome: str, hue: int) -> None:
    data = b"\x89PNG\r\n\x1a\n" + bytes(4000) if outcome == "refused" else testclips.make_clip(seconds=3, hue=hue)
    provenance = video_services.Provenance(
        title=name.removesuffix(".mp4").replace("-", " ").capitalize(),
        prompt="The full-length master of an earlier test, sent straight to storage",
        model_name="Lumen",
        model_version="0.9.3",
    )
    upload, _created = services.direct_upload_start(
        enrolment=contributing_enrolment(artist, program), actor=artist, filename=name, size=len(data),
        content_type="video/mp4", last_modified=hue, provenance=provenance,
    )  # fmt: skip
    etag = _browser_sends_part(upload, data)
    if outcome == "cancelled":
        services.direct_upload_abort(upload=upload, actor=artist)
    if outcome not in ("taken in", "refused"):
        return  # cancelled, or still under way
    _browser_completes(upload, etag)
    upload = services.direct_upload_complete(upload=upload, actor=artist)
    if upload.status == DirectUpload.Status.COMPLETED:
        upload = services.direct_upload_process(upload_id=upload.pk)
        video_services.video_process(video_id=upload.video_id, claim="demo-seed")


def _client():
    return default_storage.connection.meta.client


def _browser_sends_part(upload: DirectUpload, data: bytes) -> str:
    answer = _client().upload_part(Bucket=default_storage.bucket_name, Key=upload.key, UploadId=upload.s3_upload_id,
                                   PartNumber=1, Body=data)  # fmt: skip
    return answer["ETag"]


def _browser_completes(upload: DirectUpload, etag: str) -> None:
    _client().complete_multipart_upload(
        Bucket=default_storage.bucket_name, Key=upload.key, UploadId=upload.s3_upload_id,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]},
    )  # fmt: skip
