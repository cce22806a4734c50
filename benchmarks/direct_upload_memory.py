"""Memory of the web process while a 1 GB master goes straight to the bucket (the direct upload path).

Starts SeaweedFS (as the tests do) and gunicorn (one worker, USE_S3=1, a Redis broker so the processing task is only
queued, as in production where the video worker runs it), signs in an artist, and plays the browser's part: the
JSON start request, then for each 16 MiB part a signing request to the portal and a PUT of the part to the bucket,
the completion at the bucket, and the portal's completion (which checks the stored object: HEAD, ranged GET). The
master is a real MP4 clip followed by ~1 GiB of padding in an MP4 `free` box, generated part by part. The web
worker's resident memory (VmRSS) is sampled every 10 ms and its kernel peak (VmHWM, reset before the upload) read.

    .venv/bin/python benchmarks/direct_upload_memory.py --broker redis://127.0.0.1:6379/14   # flushed before use
    .venv/bin/python benchmarks/direct_upload_memory.py --size-mb 256 --broker ...

Exits with status 1 if the peak grows more than 50 MB over idle (the issue's budget).
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.upload_memory import SETUP, free_port, measure_memory, video_prefix, worker_pid  # noqa: E402
from tests.s3 import running_seaweedfs, weed_binary  # noqa: E402

BUDGET_MB = 50
PART = 16 * 1024 * 1024


class Portal:
    """The browser's side of the portal: the session cookie, the CSRF token, JSON POSTs."""

    def __init__(self, port: int, session: str):
        self.port, self.cookies = port, {"sessionid": session}

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict | bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        origin = f"http://127.0.0.1:{self.port}"
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers = {"Cookie": cookie, "Origin": origin, "Referer": f"{origin}/videos/new/"}
        if body is not None:
            headers |= {"Content-Type": "application/json", "X-CSRFToken": self.cookies.get("csrftoken", "")}
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        is_json = response.headers.get("Content-Type", "").startswith("application/json")
        return response.status, json.loads(payload) if is_json else payload


def to_bucket(method: str, url: str, body: bytes = b"") -> tuple[int, dict, bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)
    conn.request(method, f"{parts.path}?{parts.query}", body=body or None)
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    return response.status, dict(response.headers), payload


def master_part(number: int, prefix: bytes, total: int) -> bytes:
    """Part `number` of the master: the clip and the `free` box header, then zeros up to `total` bytes."""
    head = prefix + struct.pack(">I4s", total - len(prefix), b"free")
    start, end = (number - 1) * PART, min(number * PART, total)
    data = bytearray(end - start)
    if start < len(head):
        piece = head[start:end]
        data[: len(piece)] = piece
    return bytes(data)


def upload(portal: Portal, prefix: bytes, total: int) -> str:
    status, started = portal.call("POST", "/videos/direct/?program=big", {
        "filename": "master.mp4", "size": total, "type": "video/mp4", "last_modified": 1,
        "fields": {"title": "Benchmark master", "prompt": "A 1 GB master", "model_name": "Lumen"},
    })  # fmt: skip
    assert status == 200, started
    etags = []
    for number in range(1, -(-total // started["part_size"]) + 1):
        _, signed = portal.call("POST", started["sign_url"], {"operation": "upload_part", "part_number": number})
        status, headers, body = to_bucket("PUT", signed["url"], master_part(number, prefix, total))
        assert status == 200, body
        etags.append(headers["ETag"])
    xml = "".join(f"<Part><PartNumber>{n}</PartNumber><ETag>{e}</ETag></Part>" for n, e in enumerate(etags, 1))
    _, signed = portal.call("POST", started["sign_url"], {"operation": "complete"})
    status, _, body = to_bucket(
        "POST", signed["url"], f"<CompleteMultipartUpload>{xml}</CompleteMultipartUpload>".encode()
    )
    assert status == 200, body
    status, done = portal.call("POST", started["complete_url"], {})
    assert status == 200, done
    return f"{len(etags)} parts, portal says {done['status']}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="padding in MiB (default 1024: a 1 GiB master)")
    parser.add_argument("--broker", required=True, help="a Redis database for the queued task (it is flushed)")
    args = parser.parse_args()
    import redis

    redis.Redis.from_url(args.broker).flushdb()
    folder = Path(tempfile.mkdtemp(prefix="glasshouse-bench-direct-"))
    (folder / "s3").mkdir()
    status = 0
    try:
        with running_seaweedfs(weed_binary(), folder / "s3") as s3:
            status = measure(args, folder, s3)
    finally:
        redis.Redis.from_url(args.broker).flushdb()
        shutil.rmtree(folder, ignore_errors=True)
    return status


def measure(args, folder: Path, s3) -> int:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "DEBUG": "0", "SECRET_KEY": "benchmark-" + uuid.uuid4().hex, "ALLOWED_HOSTS": "127.0.0.1",
        "CELERY_BROKER_URL": args.broker, "USE_S3": "1", "S3_BUCKET": s3.bucket, "S3_ENDPOINT_URL": s3.endpoint,
        "S3_ACCESS_KEY_ID": s3.access_key, "S3_SECRET_ACCESS_KEY": s3.secret_key, "UPLOAD_MAX_BYTES": str(4 * 1024**3),
        "DJANGO_SETTINGS_MODULE": "portal.settings", "PYTHONPATH": str(ROOT),
    }  # fmt: skip
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    setup = subprocess.run([*manage, "shell", "-c", SETUP], env=env, check=True, cwd=ROOT, capture_output=True)
    session = re.search(rb"SESSION (\w+)", setup.stdout).group(1).decode()
    port = free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    log = (folder / "gunicorn.log").open("wb")
    command = [gunicorn, "portal.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "300"]
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        pid = worker_pid(server.pid)
        portal = Portal(port, session)
        for _ in range(100):
            try:
                portal.call("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        for _ in range(3):  # warm up: every view, template and boto3 client, as a worker that has served pages
            portal.call("GET", "/videos/new/?program=big")
            portal.call("GET", "/videos/")
        prefix = video_prefix()
        total = len(prefix) + 8 + args.size_mb * 1024 * 1024
        measured = measure_memory(pid, lambda: upload(portal, prefix, total))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    growth = (measured.peak_kb - measured.idle_kb) / 1024
    within = growth <= BUDGET_MB
    print(f"direct upload of {total / 1024**3:.2f} GiB in {measured.seconds:.1f} s ({measured.result})")
    print(f"  web worker RSS idle {measured.idle_kb / 1024:.1f} MB, peak {measured.peak_kb / 1024:.1f} MB, "
          f"growth {growth:.1f} MB ({'within' if within else 'OVER'} the {BUDGET_MB} MB budget; "
          f"{measured.samples} samples)")  # fmt: skip
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
