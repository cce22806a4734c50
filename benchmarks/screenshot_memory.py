"""Memory of a web worker while it takes the screenshots of one bug report.

Makes five 6240 x 6240 screenshots (39 megapixels each, under the 40 MP cap and the 8 MB limit) as PNG and as
JPEG, then, for each case, starts a fresh Python process that imports the portal, resets the kernel's peak
(VmHWM), runs the report form's screenshot field on the files (exactly what a POST to /reports/new/ does) and
prints its resident memory before and at the peak, the time taken and what the field answered.

    .venv/bin/python benchmarks/screenshot_memory.py                     # this tree
    .venv/bin/python benchmarks/screenshot_memory.py --code /work/main   # another checkout, to compare

Exits with status 1 if any case grows the process by more than 300 MB.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIDE = 6240
BUDGET_MB = 300
CASES = {"five PNG": ("png", 5), "five JPEG": ("jpg", 5), "two PNG": ("png", 2), "two JPEG": ("jpg", 2)}

CHILD = r"""
import io, json, os, sys, time
sys.path.insert(0, sys.argv[1])
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from submissions.forms.reports import ScreenshotsField
from django import forms

def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024

files = [SimpleUploadedFile(os.path.basename(p), open(p, "rb").read()) for p in sys.argv[2:]]
with open("/proc/self/clear_refs", "w") as refs:
    refs.write("5")  # reset VmHWM to the current resident size
before = status("VmRSS:")
start = time.perf_counter()
try:
    stored = ScreenshotsField().clean(files)
    answer = "accepted: " + ", ".join(f"{s.width}x{s.height}" for s in stored)
except forms.ValidationError as error:
    answer = "refused: " + " ".join(error.messages)[:140]
print(json.dumps({"before": before, "peak": status("VmHWM:"), "seconds": time.perf_counter() - start,
                  "answer": answer}))
"""


def make_screenshots(folder: Path) -> dict[str, Path]:
    from PIL import Image, ImageDraw

    image = Image.merge(
        "RGB",
        [
            Image.linear_gradient("L").resize((SIDE, SIDE)),
            Image.linear_gradient("L").rotate(90).resize((SIDE, SIDE)),
            Image.new("L", (SIDE, SIDE), 90),
        ],
    )
    draw = ImageDraw.Draw(image)
    for x in range(0, SIDE, 97):  # a window grid, so the files are not trivially small
        draw.line([(x, 0), (SIDE - x, SIDE)], fill=(255, 255, 255), width=3)
    paths = {"png": folder / "shot.png", "jpg": folder / "shot.jpg"}
    image.save(paths["png"], optimize=False, compress_level=6)
    image.save(paths["jpg"], quality=88)
    return paths


def run_case(code: Path, path: Path, count: int) -> dict:
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": "sqlite:////tmp/screenshot-memory-bench.sqlite3"}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(code), *[str(path)] * count],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=code,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose code to measure")
    args = parser.parse_args()
    worst = 0.0
    with tempfile.TemporaryDirectory() as folder:
        paths = make_screenshots(Path(folder))
        sizes = {kind: path.stat().st_size / 1024**2 for kind, path in paths.items()}
        print(f"code: {args.code}; {SIDE}x{SIDE} PNG {sizes['png']:.1f} MB, JPEG {sizes['jpg']:.1f} MB")
        for name, (kind, count) in CASES.items():
            result = run_case(args.code, paths[kind], count)
            growth = result["peak"] - result["before"]
            worst = max(worst, growth)
            print(
                f"{name:10} before {result['before']:6.0f} MB  peak {result['peak']:6.0f} MB  "
                f"growth {growth:6.0f} MB  {result['seconds']:5.1f} s  {result['answer']}"
            )
    print(f"worst growth {worst:.0f} MB (bound {BUDGET_MB} MB)")
    return 0 if worst <= BUDGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
