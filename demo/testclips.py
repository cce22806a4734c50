"""Real, tiny video files made with PyAV, plus broken ones: for the tests and the demo data.

make_clip() encodes moving colour bars (and a tone) in milliseconds; the other helpers damage or fake files
the way real uploads go wrong: cut short, renamed, or not a video at all.
"""

import functools
import io
import math
import os
import struct
import tempfile
from pathlib import Path

import av
from PIL import Image, ImageDraw

CODECS = {"mp4": ("h264", "aac"), "mov": ("h264", "aac"), "webm": ("libvpx-vp9", "libopus"), "mkv": ("h264", "aac")}
# Tiny clips need no quality search: encode as fast as the codec allows.
FAST_ENCODING = {"h264": {"preset": "veryfast"}, "libvpx-vp9": {"deadline": "realtime", "cpu-used": "8"}}
MUXERS = {"mp4": "mp4", "mov": "mov", "webm": "webm", "mkv": "matroska"}


def make_clip(
    *,
    container: str = "mp4",
    seconds: float = 2,
    width: int = 320,
    height: int = 240,
    fps: int = 25,
    audio: bool = True,
    video_codec: str | None = None,
    faststart: bool = False,
    hue: int = 0,
) -> bytes:
    """Encode a short clip and return its bytes. `faststart` puts the MP4 index (moov) before the data."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, f"clip.{container}")
        write_clip(
            path,
            container=container,
            seconds=seconds,
            width=width,
            height=height,
            fps=fps,
            audio=audio,
            video_codec=video_codec,
            faststart=faststart,
            hue=hue,
        )
        return Path(path).read_bytes()


def write_clip(
    path: str,
    *,
    container: str = "mp4",
    seconds: float = 2,
    width: int = 320,
    height: int = 240,
    fps: int = 25,
    audio: bool = True,
    video_codec: str | None = None,
    faststart: bool = False,
    hue: int = 0,
) -> None:
    """Encode a clip straight to `path` (long clips never sit in memory), a keyframe every second as
    generation services and streaming exports write them."""
    vcodec, acodec = CODECS[container]
    vcodec = video_codec or vcodec
    options = {"movflags": "+faststart"} if faststart else {}
    with av.open(path, "w", format=MUXERS[container], options=options) as out:
        vstream = out.add_stream(vcodec, rate=fps)
        vstream.width, vstream.height, vstream.pix_fmt = width, height, "yuv420p"
        vstream.gop_size = fps
        vstream.options = FAST_ENCODING.get(vcodec, {})
        astream = out.add_stream(acodec, rate=48000, layout="mono") if audio else None
        frames = max(1, round(seconds * fps))
        for index in range(frames):
            frame = av.VideoFrame.from_image(_picture(index, width, height, hue))
            for packet in vstream.encode(frame):
                out.mux(packet)
        for packet in vstream.encode():
            out.mux(packet)
        if astream is not None:
            _encode_tone(out, astream, seconds)


def _picture(index: int, width: int, height: int, hue: int) -> Image.Image:
    # Hues past 255 change the green channel too, so every hue gives different bytes.
    image = Image.new("RGB", (width, height), ((hue + index * 7) % 256, (90 + 37 * (hue // 256)) % 256, 160))
    draw = ImageDraw.Draw(image)
    bar = max(4, width // 8)
    x = (index * 6) % max(1, width - bar)
    draw.rectangle([x, height // 4, x + bar, 3 * height // 4], fill=(250, 220, 40))
    return image


@functools.cache
def _two_seconds_of_tone(rate: int = 48000) -> bytes:
    """A 440 Hz tone as float32 samples; one second holds whole cycles, so it loops without a click."""
    second = struct.pack(f"{rate}f", *(0.2 * math.sin(2 * math.pi * 440 * k / rate) for k in range(rate)))
    return second + second


def _encode_tone(out, stream, seconds: float) -> None:
    rate, samples = 48000, 960 if stream.codec_context.name == "libopus" else 1024
    tone, width = _two_seconds_of_tone(rate), 4
    total, pts = int(rate * seconds), 0
    while pts < total:
        frame = av.AudioFrame(format="fltp", layout="mono", samples=samples)
        start = pts % rate
        frame.planes[0].update(tone[start * width : (start + samples) * width])
        frame.sample_rate, frame.pts = rate, pts
        pts += samples
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode():
        out.mux(packet)


def truncated_without_moov(**clip) -> bytes:
    """An MP4 cut short before its index: what an interrupted export leaves (moov is written last)."""
    data = make_clip(container="mp4", faststart=False, **clip)
    return data[: data.index(b"moov") - 4 - 64]


def truncated_data(**clip) -> bytes:
    """An MP4 that keeps its index (moov first) but lost the second half of its picture data."""
    data = make_clip(container="mp4", faststart=True, **clip)
    return data[: len(data) // 2]


def png_image(width: int = 64, height: int = 48) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def html_page() -> bytes:
    return b"<!DOCTYPE html>\n<html><head><title>not a video</title></head><body><p>Hello</p></body></html>\n"


def garbage(size: int = 64 * 1024, *, seed: int = 7) -> bytes:
    """Bytes that are no format at all (deterministic, so tests are repeatable)."""
    state, out = seed, bytearray()
    while len(out) < size:
        state = (state * 6364136223846793005 + 1442695040888963407) % 2**64
        out += state.to_bytes(8, "little")
    return bytes(out[:size])
