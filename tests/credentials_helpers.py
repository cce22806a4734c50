"""Published videos with real Content Credentials, and files damaged the ways /verify/ must handle."""

import struct

from submissions.models import Video
from submissions.services import approvals
from tests.approval_helpers import fresh_clip, setup_review
from tests.video_helpers import make_video

TRAINED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
C2PA_UUID = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")


def publish(artist, program, reviewer, capture, *, data: bytes | None = None, **extra) -> Video:
    """A real clip through review and publication; the signing task runs when the publication commits."""
    if not program.review_steps.exists():
        setup_review(program, safety=[reviewer], lead=[reviewer], distinct_people=False)
    video = make_video(artist, program, data=data or fresh_clip(), **extra)
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


def provider_signed(data: bytes, folder) -> bytes:
    """`data` signed by a generation service of its own (its own CA, which the portal does not know)."""
    import io

    import c2pa

    from submissions.credentials import keys

    paths = {part: folder / name for part, name in keys.DEMO_FILES.items()}
    keys._write_demo_signer(folder, paths)
    info = c2pa.C2paSignerInfo(
        alg=b"es256", sign_cert=paths["certs"].read_bytes(), private_key=paths["key"].read_bytes(), ta_url=None
    )
    manifest = {
        "claim_generator_info": [{"name": "Lumen render farm"}],
        "assertions": [
            {"label": "c2pa.actions", "data": {"actions": [{"action": "c2pa.created", "digitalSourceType": TRAINED}]}}
        ],
    }
    out = io.BytesIO()
    with c2pa.Signer.from_info(info) as signer, c2pa.Builder(manifest) as builder:
        builder.sign(signer, "video/mp4", io.BytesIO(data), out)
    return out.getvalue()


def remuxed(data: bytes) -> bytes:
    """The same pictures and sound in a new MP4 (what most re-encoding tools and sites do): credentials gone."""
    import io

    import av

    out = io.BytesIO()
    with av.open(io.BytesIO(data)) as source, av.open(out, "w", format="mp4") as target:
        streams = {s.index: target.add_stream_from_template(s) for s in source.streams if s.type in ("video", "audio")}
        for packet in source.demux():
            if packet.stream.index in streams and packet.dts is not None:
                packet.stream = streams[packet.stream.index]
                target.mux(packet)
    return out.getvalue()
