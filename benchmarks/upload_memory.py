"""Memory of the web process while it receives a 1 GB video upload.

Starts gunicorn (one sync worker, as in production) on loopback against a throw-away SQLite database and
media folder, signs in a demo artist, and sends a 1 GB upload to /videos/new/ as a browser would: a
multipart form whose file is a real MP4 clip followed by ~1 GB of padding in an MP4 `free` box, generated
on the fly (the sender never holds it either). It samples the worker's resident memory (VmRSS) every 10 ms
and reads the kernel's peak (VmHWM, reset just before the upload), then prints idle, peak and growth.

Two runs: a 1 GB upload the program accepts (streamed to disk, hashed, moved into storage, then checked by
the processing task, which runs in the same process when no broker is set: the worst case for memory), and
the same upload to a program whose limit is 100 MB (cut off while reading, drained, form shown again).

    .venv/bin/python benchmarks/upload_memory.py            # both runs, 1 GiB each
    .venv/bin/python benchmarks/upload_memory.py --size-mb 256

Exits with status 1 if the peak grows more than 50 MB over idle (the issue's budget).
"""

import argparse
import html
import http.client
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BUDGET_MB = 50
CHUNK = b"\0" * (1024 * 1024)
SETUP = """
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from programs.models import Program
from submissions.models import ProgramMediaPolicy
from tests.conftest import enrol, make_program, make_user
for slug, limit in (("big", 4 * 1024**3), ("small", 100 * 1024**2)):
    program = make_program(slug=slug, status=Program.Status.RUNNING)
    ProgramMediaPolicy.objects.create(program=program, max_size_bytes=limit)
artist = make_user("bench@example.com", display_name="Bench Artist")
enrol(artist, Program.objects.get(slug="big"))
enrol(artist, Program.objects.get(slug="small"))
session = import_module(settings.SESSION_ENGINE).SessionStore()
session[SESSION_KEY] = str(artist.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = artist.get_session_auth_hash()
session.save()
print("SESSION", session.session_key)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for {pid}")


def worker_pid(master: int) -> int:
    for _ in range(100):
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


class Sampler(threading.Thread):
    """Samples a process's VmRSS until stopped; keeps the highest value."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.samples, self._done = pid, 0, 0, threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.peak_kb = max(self.peak_kb, rss_kb(self.pid))
            self.samples += 1
            time.sleep(0.01)

    def stop(self) -> None:
        self._done.set()
        self.join()


@dataclass(frozen=True)
class Measured:
    idle_kb: int
    peak_kb: int
    seconds: float
    samples: int
    result: object


def measure_memory(pid: int, action) -> Measured:
    """The process's RSS at rest, then its peak while `action` runs: the kernel's high-water mark, reset first,
    and a sampler's highest reading, whichever is higher."""
    time.sleep(0.5)
    idle_kb = rss_kb(pid)
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # reset the kernel's peak (VmHWM) to now
    sampler = Sampler(pid)
    sampler.start()
    started = time.monotonic()
    try:
        result = action()
        seconds = time.monotonic() - started
    finally:
        sampler.stop()
    return Measured(idle_kb, max(rss_kb(pid, "VmHWM"), sampler.peak_kb), seconds, sampler.samples, result)


def video_prefix() -> bytes:
    """A real MP4 clip, made with PyAV like the tests do."""
    sys.path.insert(0, str(ROOT))
    from demo.testclips import make_clip

    return make_clip(seconds=2, width=320, height=240)


def request(port: int, method: str, path: str, cookie: str, body_parts=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    conn.putrequest(method, path)
    for name, value in {"Cookie": cookie, **(headers or {})}.items():
        conn.putheader(name, value)
    conn.endheaders()
    for part in body_parts or []:
        if isinstance(part, tuple):  # (count, chunk): send the same chunk `count` times
            for _ in range(part[0]):
                conn.send(part[1])
        else:
            conn.send(part)
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    return response, payload


def upload_body(csrf: str, prefix: bytes, padding_mb: int) -> tuple[list, int]:
    """A multipart form whose file is `prefix` followed by a `free` box of `padding_mb` MiB of zeros."""
    boundary = uuid.uuid4().hex
    fields = {
        "csrfmiddlewaretoken": csrf,
        "title": "Benchmark",
        "prompt": "A 1 GB upload",
        "model_name": "Lumen",
        "generation_settings": "",
    }
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.mp4"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()
    padding = padding_mb * len(CHUNK)
    free_box = struct.pack(">I4s", 8 + padding, b"free")
    tail = f"\r\n--{boundary}--\r\n".encode()
    parts = [head, prefix, free_box, (padding_mb, CHUNK), tail]
    length = len(head) + len(prefix) + len(free_box) + padding + len(tail)
    return parts, length, boundary


def run_upload(port: int, pid: int, cookie: str, program: str, prefix: bytes, size_mb: int) -> dict:
    response, page = request(port, "GET", f"/videos/new/?program={program}", cookie)
    csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    csrf_cookie = response.getheader("Set-Cookie", "").split("csrftoken=")[-1].split(";")[0]
    cookie_with_csrf = f"{cookie}; csrftoken={csrf_cookie}" if csrf_cookie else cookie
    parts, length, boundary = upload_body(csrf, prefix, size_mb)
    headers = {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(length),
        "Referer": f"http://127.0.0.1:{port}/videos/new/",
        "Origin": f"http://127.0.0.1:{port}",
    }
    measured = measure_memory(
        pid, lambda: request(port, "POST", f"/videos/new/?program={program}", cookie_with_csrf, parts, headers)
    )
    response, page = measured.result
    outcome = f"{response.status} {response.getheader('Location') or ''}".strip()
    if response.status == 400:
        message = re.search(rb'class="errorlist"[^>]*><li>([^<]+)', page)
        outcome += f" ({html.unescape(message.group(1).decode()) if message else 'form shown again'})"
    return {
        "bytes": length,
        "seconds": measured.seconds,
        "idle_mb": measured.idle_kb / 1024,
        "peak_mb": measured.peak_kb / 1024,
        "samples": measured.samples,
        "outcome": outcome,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="padding in MiB (default 1024: a 1 GiB upload)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="glasshouse-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        "TMPDIR": str(folder),  # where Django's upload handler streams the temporary file
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-" + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "127.0.0.1",
        "CELERY_BROKER_URL": "",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PYTHONPATH": str(ROOT),
    }
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    setup = subprocess.run([*manage, "shell", "-c", SETUP], env=env, check=True, cwd=ROOT, capture_output=True)
    session_key = re.search(rb"SESSION (\w+)", setup.stdout).group(1).decode()
    cookie = f"sessionid={session_key}"
    port = free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(PYTHON).parent)) or "gunicorn"
    log = (folder / "gunicorn.log").open("wb")
    server = subprocess.Popen(
        [gunicorn, "portal.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "900"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    status = 0
    try:
        pid = worker_pid(server.pid)
        for _ in range(100):
            try:
                request(port, "GET", "/healthz", cookie)
                break
            except OSError:
                time.sleep(0.1)
        for _ in range(3):  # warm up: import every view, template and PyAV, as a worker that has served pages
            request(port, "GET", "/videos/new/?program=big", cookie)
            request(port, "GET", "/videos/", cookie)
        prefix = video_prefix()
        print(f"gunicorn worker pid {pid}, upload of {args.size_mb} MiB + a {len(prefix)} byte clip\n")
        for label, program in (("accepted (limit 4 GiB)", "big"), ("refused (limit 100 MiB)", "small")):
            result = run_upload(port, pid, cookie, program, prefix, args.size_mb)
            growth = result["peak_mb"] - result["idle_mb"]
            within = growth <= BUDGET_MB
            status |= 0 if within else 1
            print(f"{label}: {result['bytes'] / 1024**3:.2f} GiB in {result['seconds']:.1f} s -> {result['outcome']}")
            print(
                f"  worker RSS idle {result['idle_mb']:.1f} MB, peak {result['peak_mb']:.1f} MB, "
                f"growth {growth:.1f} MB ({'within' if within else 'OVER'} the {BUDGET_MB} MB budget; "
                f"{result['samples']} samples)"
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
