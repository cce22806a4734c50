"""Looking inside video files: content sniffing, probing with PyAV, poster and thumbnail frames.

Pure functions over a local file path; they know nothing of the database. Everything a person should read
is raised as InvalidMedia with a sentence written for the artist (a core.recorded.Said: the video keeps it, and
each reader reads it in their language). Work is bounded by a deadline.
"""

import io
import os
import struct
import time
from dataclasses import dataclass, field
from decimal import Decimal

import av
import av.error
from django.utils.translation import gettext_noop
from PIL import Image

from core.recorded import Said, Size
from submissions.models.videos import CONTAINER_LABELS, MiB, ProgramMediaPolicy

# FFmpeg writes its own complaints ("moov atom not found") to stderr; we report them ourselves. This sets
# FFmpeg's own level: PyAV's Python log callback (set_level) deadlocks with threaded decoding and a timeout.
av.logging.set_libav_level(av.logging.FATAL)

HEAD_BYTES = 4096
POSTER_MAX_WIDTH = 1280
THUMBNAIL_WIDTH = 320
# PyAV's demuxer names, by the container family that sniffing found.
DEMUXERS = {"mp4": "mov", "mov": "mov", "webm": "matroska", "mkv": "matroska"}


class InvalidMedia(Exception):
    """The file is not a video this program accepts. `said` is for the artist; `message`, in the active language."""

    def __init__(self, said: Said):
        super().__init__(said.english())
        self.said = said

    @property
    def message(self) -> str:
        return self.said.text()


class ProcessingTimeout(InvalidMedia):
    pass


@dataclass
class MediaReport:
    container: str
    duration_seconds: Decimal
    width: int
    height: int
    frame_rate: Decimal | None
    video_codec: str
    audio_codec: str
    bit_rate: int | None
    size_bytes: int
    # Filled only by a full analysis: JPEG bytes of the poster and of each thumbnail with its time.
    poster_jpeg: bytes = b""
    thumbnails: list[tuple[Decimal, bytes]] = field(default_factory=list)
    frames_decoded: int = 0


def sniff_container(head: bytes) -> str | None:
    """The container family from the first bytes (never from the filename), or None."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand == b"qt  ":
            return "mov"
        if brand.startswith(b"3g"):
            return "3gp"
        if brand in (b"M4A ", b"M4B ", b"F4A "):
            return "audio"
        return "mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm" if b"webm" in head[:64] else "mkv"
    return None


def describe_non_video(head: bytes) -> Said:
    """Why a file that is not a video was refused, naming what it looks like when that is clear."""
    looks_like = {
        b"\x89PNG": gettext_noop("a PNG image"),
        b"\xff\xd8\xff": gettext_noop("a JPEG image"),
        b"GIF8": gettext_noop("a GIF image"),
        b"%PDF": gettext_noop("a PDF document"),
        b"PK\x03\x04": gettext_noop("a ZIP archive"),
        b"RIFF": gettext_noop("a RIFF file (WAV or AVI)"),
    }
    for magic, what in looks_like.items():
        if head.startswith(magic):
            return Said(
                gettext_noop("This file is not a video: it is %(what)s. Upload an MP4, MOV or WebM video."),
                what=Said(what),
            )
    if head[8:12] == b"WEBP":
        return Said(gettext_noop("This file is not a video: it is a WebP image. Upload an MP4, MOV or WebM video."))
    text = head.lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html", b"<?xml", b"<svg")):
        return Said(
            gettext_noop(
                "This file is not a video: it is a web page or XML document. Upload an MP4, MOV or WebM video."
            )
        )
    return Said(
        gettext_noop(
            "This file is not a video we can read (its content is not MP4, MOV or WebM, whatever its name says)."
        )
    )


def mp4_top_level_boxes(path: str) -> list[bytes]:
    """The types of the top-level boxes of an MP4/MOV file, read from their headers only."""
    boxes = []
    size_total = os.path.getsize(path)
    with open(path, "rb") as handle:
        offset = 0
        while offset + 8 <= size_total and len(boxes) < 10_000:
            handle.seek(offset)
            size, kind = struct.unpack(">I4s", handle.read(8))
            if size == 1:
                size = struct.unpack(">Q", handle.read(8))[0]
            elif size == 0:
                size = size_total - offset
            if size < 8:
                break
            boxes.append(kind)
            offset += size
    return boxes


def analyse(path: str, *, policy: ProgramMediaPolicy, full: bool, deadline: float) -> MediaReport:
    """Check the file against the program's policy and describe it. `full` also decodes a bounded sample
    (proving the data decodes and reaches its stated end) and takes the poster and thumbnails. Raises InvalidMedia."""
    size = os.path.getsize(path)
    if size == 0:
        raise InvalidMedia(Said(gettext_noop("The file is empty (0 bytes).")))
    if size > policy.max_size_bytes:
        raise InvalidMedia(
            Said(
                gettext_noop("The file is %(size).1f MB; this program accepts files up to %(limit)s."),
                size=size / MiB,
                limit=Size(policy.max_size_bytes),
            )
        )
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    container = sniff_container(head)
    if container is None:
        raise InvalidMedia(describe_non_video(head))
    if container not in policy.accepted_containers:
        label = CONTAINER_LABELS.get(container, container.upper())
        raise InvalidMedia(
            Said(
                gettext_noop("This program does not accept %(label)s files. Accepted: %(accepted)s."),
                label=label,
                accepted=policy.accepted_containers_label,
            )
        )
    if container in ("mp4", "mov") and b"moov" not in mp4_top_level_boxes(path):
        raise InvalidMedia(
            Said(
                gettext_noop(
                    "This video is incomplete: it has no 'moov' index, which usually means the upload or the export "
                    "was cut short. Export it again and upload the whole file."
                )
            )
        )
    try:
        with av.open(path, timeout=max(1.0, deadline - time.monotonic())) as media:
            report = _describe(media, container=container, size=size)
            _check_policy(report, policy)
            if full:
                _sample(media, report, deadline=deadline)
    except av.error.FFmpegError as exc:
        raise InvalidMedia(
            Said(
                gettext_noop(
                    "This file could not be read as a video: it is damaged or not really a %(container)s file "
                    "(%(why)s)."
                ),
                container=CONTAINER_LABELS.get(container, container),
                why=exc.strerror or Said(gettext_noop("unreadable data")),
            )
        ) from exc
    return report


def _describe(media, *, container: str, size: int) -> MediaReport:
    if not media.format.name.startswith(DEMUXERS[container]):
        raise InvalidMedia(
            Said(gettext_noop("This file's content does not match its container; it is not a video we can read."))
        )
    if not media.streams.video:
        raise InvalidMedia(Said(gettext_noop("This file has no video track.")))
    video = media.streams.video[0]
    audio = media.streams.audio[0] if media.streams.audio else None
    if media.duration is not None:
        duration = Decimal(media.duration) / Decimal(av.time_base)
    elif video.duration is not None and video.time_base is not None:
        duration = Decimal(video.duration * video.time_base.numerator) / Decimal(video.time_base.denominator)
    else:
        raise InvalidMedia(Said(gettext_noop("This file does not say how long it lasts, so it cannot be checked.")))
    rate = video.average_rate or video.guessed_rate
    return MediaReport(
        container=container,
        duration_seconds=duration.quantize(Decimal("0.001")),
        width=video.codec_context.width,
        height=video.codec_context.height,
        frame_rate=Decimal(rate.numerator / rate.denominator).quantize(Decimal("0.001")) if rate else None,
        video_codec=video.codec_context.name,
        audio_codec=audio.codec_context.name if audio else "",
        bit_rate=media.bit_rate or None,
        size_bytes=size,
    )


def _check_policy(report: MediaReport, policy: ProgramMediaPolicy) -> None:
    if report.duration_seconds > policy.max_duration_seconds:
        raise InvalidMedia(
            Said(
                gettext_noop("The video lasts %(seconds).1f s; this program accepts at most %(max)s s."),
                seconds=report.duration_seconds,
                max=policy.max_duration_seconds,
            )
        )
    if not report.width or not report.height:
        raise InvalidMedia(Said(gettext_noop("The video track has no picture size, so it cannot be played.")))
    long_side, short_side = max(report.width, report.height), min(report.width, report.height)
    if long_side > max(policy.max_width, policy.max_height) or short_side > min(policy.max_width, policy.max_height):
        raise InvalidMedia(
            Said(
                gettext_noop(
                    "The video is %(width)sx%(height)s; this program accepts at most "
                    "%(max_width)sx%(max_height)s (either orientation)."
                ),
                width=report.width,
                height=report.height,
                max_width=policy.max_width,
                max_height=policy.max_height,
            )
        )
    if report.video_codec not in policy.accepted_video_codecs:
        raise InvalidMedia(
            Said(
                gettext_noop("The video is encoded with %(codec)s; this program accepts %(accepted)s."),
                codec=report.video_codec,
                accepted=", ".join(policy.accepted_video_codecs),
            )
        )
    if report.audio_codec and report.audio_codec not in policy.accepted_audio_codecs:
        raise InvalidMedia(
            Said(
                gettext_noop("The sound is encoded with %(codec)s; this program accepts %(accepted)s (or no sound)."),
                codec=report.audio_codec,
                accepted=", ".join(policy.accepted_audio_codecs),
            )
        )


def _sample(media, report: MediaReport, *, deadline: float) -> None:
    """Decode a bounded sample instead of every frame, so the cost does not grow with the clip's length.

    Decodes the keyframes of the first, the middle and the last group of pictures, each alone, and reads the
    packets of the last group to the end of the file, so a file cut short after its index is still caught.
    Those three frames are the stills (the middle one is also the poster): decoding on to exact times would cost
    up to a whole group of pictures each.
    """
    stream = media.streams.video[0]
    pictures: dict[int, tuple[Decimal, av.VideoFrame]] = {}  # keyframe pts: (time, frame), each decoded once
    last = _check_whole(media, stream, report, pictures, deadline=deadline)  # first: a cut file is told so
    first = _keyframe(media, stream, Decimal(0), pictures, report, deadline=deadline)
    if first is None:
        raise InvalidMedia(Said(gettext_noop("No picture could be decoded from this video.")))
    middle = _keyframe(media, stream, report.duration_seconds / 2, pictures, report, deadline=deadline) or first
    report.poster_jpeg = jpeg_of_frame(middle[1], max_width=POSTER_MAX_WIDTH)
    stills: dict[Decimal, bytes] = {}
    for at, frame in (first, middle, last or middle):
        if at not in stills:
            stills[at] = jpeg_of_frame(frame, max_width=THUMBNAIL_WIDTH)
        report.thumbnails.append((at.quantize(Decimal("0.001")), stills[at]))


def _keyframe(media, stream, at: Decimal, pictures: dict, report: MediaReport, *, deadline: float):
    """(time, frame) of the keyframe at or before `at` seconds, or None when nothing decodes there."""
    _check_deadline(deadline)
    media.seek(int(at * av.time_base), backward=True)
    for packet in media.demux(stream):
        if not packet.size:
            continue
        if packet.pts not in pictures:
            frames = _decode_alone(stream, packet)
            if not frames:
                return None
            report.frames_decoded += 1
            pictures[packet.pts] = (Decimal(str(frames[0].time or 0)), frames[0])
        return pictures[packet.pts]
    return None


def _decode_alone(stream, packet) -> list:
    """Decode one keyframe without the packets after it: a decoder that holds pictures back to reorder them
    (B-frames) gives it out when told the input has ended. The next seek makes the decoder ready again."""
    return packet.decode() or stream.codec_context.decode(None)


def _check_whole(media, stream, report: MediaReport, pictures: dict, *, deadline: float):
    """Decode the last keyframe and read the last group's packets to the end: a file cut short after its index
    (moov) keeps its stated length but its data stops early. Returns (time, frame) of that keyframe, or None."""
    stream_seconds = _stream_seconds(stream) or report.duration_seconds
    last_end, landed = Decimal(0), None
    media.seek(int(stream_seconds * av.time_base), backward=True)
    for packet in _packets_while_readable(media, stream):
        _check_deadline(deadline)
        if landed is None:
            landed = packet.pts
            if landed not in pictures:  # a damaged keyframe raises here, and the file is refused as damaged
                frames = _decode_alone(stream, packet)
                report.frames_decoded += len(frames[:1])
                if frames:
                    pictures[landed] = (Decimal(str(frames[0].time or 0)), frames[0])
        end = Decimal((packet.pts + (packet.duration or 0)) * stream.time_base.numerator)
        last_end = max(last_end, end / stream.time_base.denominator)
    if stream_seconds - last_end > max(Decimal("0.5"), stream_seconds / 10):
        raise InvalidMedia(
            Said(
                gettext_noop(
                    "This video is truncated: its picture stops at %(end).1f s although it says it lasts "
                    "%(seconds).1f s. Export it again and upload the whole file."
                ),
                end=last_end,
                seconds=stream_seconds,
            )
        )
    return pictures.get(landed)


def _packets_while_readable(media, stream):
    """The stream's packets with data, until the end of the file or until the data cannot be read."""
    packets = media.demux(stream)
    while True:
        try:
            packet = next(packets)
        except (StopIteration, av.error.FFmpegError):
            return  # where the data stops, the truncation check says so
        if packet.is_corrupt:
            return
        if packet.pts is not None and packet.size:
            yield packet


def _check_deadline(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise ProcessingTimeout(Said(gettext_noop("The video took too long to process, so it could not be checked.")))


def _stream_seconds(stream) -> Decimal | None:
    if stream.duration is None or stream.time_base is None:
        return None
    return Decimal(stream.duration * stream.time_base.numerator) / Decimal(stream.time_base.denominator)


def jpeg_of_frame(frame: av.VideoFrame, *, max_width: int) -> bytes:
    """A decoded frame as a JPEG no wider than `max_width`. FFmpeg scales and converts it to RGB, and Pillow reads
    that picture in place: frame.to_image() copied it and cost several times the decoding of the frame."""
    width, height = frame.width, frame.height
    if width > max_width:
        width, height = max_width, max(2, round(height * max_width / width))
    rgb = frame.reformat(width=width, height=height, format="rgb24", interpolation="FAST_BILINEAR")
    plane = rgb.planes[0]
    image = Image.frombuffer("RGB", (width, height), plane, "raw", "RGB", plane.line_size, 1)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def frame_jpeg_at(path: str, at_seconds: Decimal, *, max_width: int, deadline: float) -> bytes | None:
    """The frame shown at `at_seconds` (the last one starting at or before it) as a JPEG, or None when nothing
    decodes there. Decodes from the keyframe before that time: at most one group of pictures."""
    at = float(at_seconds)
    with av.open(path) as media:
        stream = media.streams.video[0]
        media.seek(int(at_seconds * av.time_base), backward=True)
        shown = None
        for frame in media.decode(stream):
            _check_deadline(deadline)
            if frame.time is None:
                continue
            if frame.time > at + 1e-6 and shown is not None:
                break
            shown = frame
        return jpeg_of_frame(shown, max_width=max_width) if shown is not None else None
