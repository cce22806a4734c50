"""Signing time of Content Credentials against the file's size, and its ratio to a plain copy of the file.

Signs with the demo signer (made in a throw-away media folder) exactly as the worker does
(submissions.credentials.assets.sign_file: read the file, hash every byte outside the manifest, write the signed
copy), then reads the copy back with the portal's trust anchor as /verify/ does. Two files:

- a 10 s 1080p H.264 clip made with PyAV at 8 Mbit/s (about 10 MB, the rate of a generated clip; the frames
  are noise, so the encoder spends its whole budget);
- about 1 GB: the same clip followed by a second `mdat` box of ~1 GB (media data the C2PA hash must cover, unlike
  padding in a `free` box, which the hash skips).

For each: a plain file copy (shutil.copyfile), signing, and reading back, median of --runs (the 1 GB file once
unless --runs-large says otherwise). The page cache is warm for every step alike.

    .venv/bin/python benchmarks/c2pa_signing.py
    .venv/bin/python benchmarks/c2pa_signing.py --large-mb 256 --runs 3
"""

import argparse
import os
import shutil
import struct
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHUNK = 8 * 1024 * 1024

from benchmarks._setup import median_seconds  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--runs-large", type=int, default=1)
    parser.add_argument("--large-mb", type=int, default=1024)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="c2pa-bench-") as folder:
        work = Path(folder)
        os.environ.update(DJANGO_SETTINGS_MODULE="portal.settings", MEDIA_ROOT=str(work / "media"))
        os.environ.setdefault("SECRET_KEY", "benchmark-only")
        import django

        django.setup()
        started = time.perf_counter()
        clip = work / "clip-1080p.mp4"
        _make_clip(clip)
        print(f"made the 10 s 1080p clip in {time.perf_counter() - started:.1f} s")
        large = work / "large.mp4"
        _with_media_data(clip, large, args.large_mb * 1024 * 1024)
        print(f"{'file':<24}{'size':>12}{'copy s':>10}{'sign s':>10}{'read s':>10}{'sign/copy':>11}{'MB/s sign':>11}")
        for label, path, runs in (("10 s 1080p clip", clip, args.runs), ("clip + media data", large, args.runs_large)):
            _measure(label, path, runs, work)


def _make_clip(target: Path, *, seconds: int = 10, fps: int = 25) -> None:
    import av
    from PIL import Image

    pictures = [Image.frombytes("RGB", (1920, 1080), os.urandom(1920 * 1080 * 3)) for _ in range(8)]
    with av.open(str(target), "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 1920, 1080, "yuv420p"
        stream.bit_rate = 8_000_000
        stream.options = {"preset": "ultrafast", "maxrate": "8M", "bufsize": "16M"}
        for index in range(seconds * fps):
            for packet in stream.encode(av.VideoFrame.from_image(pictures[index % len(pictures)])):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def _with_media_data(clip: Path, target: Path, size: int) -> None:
    """The clip, then one more `mdat` box of `size` bytes (a 64-bit size: it may pass 4 GiB)."""
    block = os.urandom(CHUNK)
    with open(target, "wb") as out:
        out.write(clip.read_bytes())
        out.write(struct.pack(">I4sQ", 1, b"mdat", size + 16))
        left = size
        while left > 0:
            out.write(block[: min(left, CHUNK)])
            left -= CHUNK


def _measure(label: str, path: Path, runs: int, work: Path) -> None:
    from submissions.credentials.assets import read_file, sign_file
    from submissions.credentials.keys import signing_material

    material = signing_material()
    manifest = _manifest()
    copy_target, signed = work / "copy.mp4", work / "signed.mp4"
    copy_s = median_seconds(lambda: shutil.copyfile(path, copy_target), runs=runs, warmup=0)
    copy_target.unlink()
    sign_s = median_seconds(
        lambda: sign_file(
            source=str(path),
            target=str(signed),
            content_type="video/mp4",
            manifest=manifest,
            material=material,
            ingredient=False,
        ),
        runs=runs,
        warmup=0,
    )
    read = read_file(str(signed), trust_anchor_pem=material.trust_anchor_pem, content_type="video/mp4")
    assert read.state == "trusted", read.reasons
    read_s = median_seconds(
        lambda: read_file(str(signed), trust_anchor_pem=material.trust_anchor_pem, content_type="video/mp4"),
        runs=runs,
        warmup=0,
    )
    size = path.stat().st_size
    signed.unlink()
    print(
        f"{label:<24}{size / 1e6:>10.1f}MB{copy_s:>10.3f}{sign_s:>10.3f}{read_s:>10.3f}"
        f"{sign_s / copy_s:>10.1f}x{size / 1e6 / sign_s:>11.0f}"
    )


def _manifest() -> dict:
    from submissions.credentials.manifest import manifest_from

    return manifest_from(
        {
            "title": "Benchmark clip",
            "artist": "Benchmark artist",
            "program": "Benchmark program",
            "program_url": "http://127.0.0.1:8000/programs/benchmark/",
            "page_url": "http://127.0.0.1:8000/gallery/00000000-0000-0000-0000-000000000000/",
            "model": {"name": "Lumen", "version": "1.0"},
            "training": dict.fromkeys(
                ("data_mining", "ai_training", "ai_generative_training", "ai_inference"), "notAllowed"
            ),
        }
    )


if __name__ == "__main__":
    main()
