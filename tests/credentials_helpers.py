"""Published videos with real Content Credentials, and files damaged the ways /verify/ must handle."""

import struct

from submissions.models import Video
from submissions.services import approvals
from tests.approval_helpers import setup_review, video_in_review

C2PA_UUID = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")


def publish(artist, program, reviewer, capture, **extra) -> Video:
    """A real clip through review and publication; the signing task runs when the publication commits."""
    if not program.review_steps.exists():
        setup_review(program, safety=[reviewer], lead=[reviewer], distinct_people=False)
    video = video_in_review(artist, program, **extra)
    for _ in range(2):
        approvals.review_decide(video_id=video.pk, reviewer=reviewer, outcome="approve")
    with capture(execute=True):
        approvals.video_publish(video_id=video.pk, artist=artist)
    video.refresh_from_db()
    return video


def top_level_boxes(data: bytes) -> list[tuple[int, int, bytes]]:
    """(offset, size, type) of each top-level MP4 box."""
    boxes, offset = [], 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
        size = size or len(data) - offset
        boxes.append((offset, size, kind))
        offset += size
    return boxes


def manifest_box(data: bytes) -> bytes:
    """The C2PA manifest store box (a `uuid` box with C2PA's id) of a signed MP4."""
    for offset, size, kind in top_level_boxes(data):
        if kind == b"uuid" and data[offset + 8 : offset + 24] == C2PA_UUID:
            return data[offset : offset + size]
    raise AssertionError("no C2PA box in this file")


def with_box_after_ftyp(data: bytes, box: bytes) -> bytes:
    """`data` with `box` inserted after its ftyp box: another file's manifest transplanted into this one."""
    offset, size, kind = top_level_boxes(data)[0]
    assert kind == b"ftyp"
    return data[: offset + size] + box + data[offset + size :]


def corrupt_manifest(data: bytes) -> bytes:
    """The signed file with the middle of its manifest store overwritten: the box stays, its content is garbage."""
    box = manifest_box(data)
    start = data.index(box)
    middle = start + len(box) // 2
    return data[:middle] + b"\xff" * 64 + data[middle + 64 :]
