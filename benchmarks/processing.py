"""Benchmark: processing an uploaded video (probe, sample check, poster, stills) against its floor.

For a 10 s 1080p, a 60 s 720p and a 10-minute 720p clip (real H.264+AAC MP4 files made with PyAV as the demo's
test clips are, a keyframe every second, cached in a temporary folder between runs), it times, in the same run:

- project: `submissions.media.analyse(full=True)`, what the processing task does with the file;
- floor: open the file, decode its first frame, seek to the middle and decode one frame there;
- full decode: decode every frame (what processing did before), for the 10 s and 60 s clips only.

It also times the SHA-256 of each file, once, read in one streaming pass: processing reuses the hash the upload
handler computed while the bytes arrived, and hashes only files dropped in through the API, while downloading them.

Prints the medians and ratios; exits 1 if the project time of any clip exceeds 2x its floor, or if the
10-minute clip costs more than 2x the 10 s one relative to its floor (processing must not grow with duration).

    .venv/bin/python benchmarks/processing.py
    BENCH_CLIPS=/tmp/my-clips BENCH_RUNS=9 .venv/bin/python benchmarks/processing.py
"""

import hashlib
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

import django

django.setup()

import av  # noqa: E402

from benchmarks._setup import median_seconds  # noqa: E402
from demo import testclips  # noqa: E402
from programs.models import Program  # noqa: E402
from submissions import media  # noqa: E402
from submissions.models import ProgramMediaPolicy  # noqa: E402

CLIPS = {  # name: (seconds, width, height)
    "10 s 1080p": (10, 1920, 1080),
    "60 s 720p": (60, 1280, 720),
    "10 min 720p": (600, 1280, 720),
}
FULL_DECODE_UP_TO = 60  # seconds; decoding 10 minutes of every frame only proves the point at length
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
MAX_RATIO = 2.0
FOLDER = Path(os.environ.get("BENCH_CLIPS", Path(tempfile.gettempdir()) / "glasshouse-bench-clips"))


def clip_path(name: str) -> Path:
    seconds, width, height = CLIPS[name]
    path = FOLDER / f"clip-{seconds}s-{width}x{height}.mp4"
    if not path.exists():
        FOLDER.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial.mp4")
        print(f"encoding the {name} clip once into {path} ...", flush=True)
        testclips.write_clip(str(partial), seconds=seconds, width=width, height=height)
        partial.rename(path)
    return path


def floor(path: Path) -> None:
    """The least any check can do: open, decode the first frame, seek to the middle and decode one frame."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        next(container.decode(stream))
        container.seek(container.duration // 2)
        next(container.decode(stream))


def full_decode(path: Path) -> None:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for _ in container.decode(stream):
            pass


def project(path: Path, policy: ProgramMediaPolicy) -> media.MediaReport:
    return media.analyse(str(path), policy=policy, full=True, deadline=time.monotonic() + 600)


def sha256(path: Path) -> None:
    with open(path, "rb") as handle:
        digest = hashlib.sha256()
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)


def alternating_medians(*works) -> list[float]:
    """Median seconds of each, run in turn, so that the load of a busy machine hits each alike."""
    timings = {work: [] for work in works}
    for run in range(RUNS + 2):
        for work in works:
            started = time.perf_counter()
            work()
            if run >= 2:  # two warm-up rounds
                timings[work].append(time.perf_counter() - started)
    return [statistics.median(timings[work]) for work in works]


def main() -> int:
    policy = ProgramMediaPolicy(program=Program(slug="benchmark"), max_duration_seconds=3600)
    rows, failed = [], False
    for name, (seconds, _, _) in CLIPS.items():
        path = clip_path(name)
        report = project(path, policy)
        assert report.poster_jpeg and len(report.thumbnails) == 3
        floor_s, project_s = alternating_medians(lambda p=path: floor(p), lambda p=path: project(p, policy))
        full_s = None
        if seconds <= FULL_DECODE_UP_TO:
            full_s = median_seconds(lambda p=path: full_decode(p), runs=3, warmup=0)
        hash_s = median_seconds(lambda p=path: sha256(p), runs=3, warmup=1)
        rows.append((name, path.stat().st_size, project_s, floor_s, full_s, hash_s, report.frames_decoded))
        failed |= project_s > MAX_RATIO * floor_s
    header = f"{'clip':<12} {'size':>9} {'project':>9} {'floor':>8} {'ratio':>6} {'full decode':>12} {'frames':>7}"
    print(f"{header} {'sha256':>8}")
    for name, size, project_s, floor_s, full_s, hash_s, frames in rows:
        full = f"{full_s * 1000:9.0f} ms" if full_s is not None else "  (skipped)"
        print(
            f"{name:<12} {size / 2**20:6.1f} MB {project_s * 1000:6.1f} ms {floor_s * 1000:5.1f} ms "
            f"{project_s / floor_s:5.2f}x {full} {frames:>7} {hash_s * 1000:5.0f} ms"
        )
    short, long = rows[0][2] / rows[0][3], rows[-1][2] / rows[-1][3]
    growth = Decimal(long / short).quantize(Decimal("0.01"))
    print(f"10 min vs 10 s, each relative to its floor: {growth}x (bound {MAX_RATIO}x per clip)")
    if failed or growth > MAX_RATIO:
        print("FAIL: processing is more than 2x its floor, or grows with duration")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
