"""The production stack end to end: `make prod` (nginx, gunicorn, the Celery workers per queue and beat) on
loopback against its own PostgreSQL database, two Redis databases and a SeaweedFS bucket, and one journey through
nginx: sign-in, an upload through the streamed path, a 300 MB master sent by real Chromium straight to the bucket
through nginx's bucket path (Uppy's multipart upload, one part failing once and sent again), processing by the real
video worker, review, publication, a ranged request on the published file, nginx's 413 for oversized bodies and a
404 for another artist's private media; the request id of the upload is found in the video worker's JSON log line.
Everything it started is stopped at the end, whatever happened.

    python .ci/prod_journey.py [--postgres postgres://postgres@127.0.0.1:5432/glasshouse_journey] \\
        [--redis redis://127.0.0.1:6379] [--redis-dbs 10,11] [--port 8480] [--command "make prod"] \\
        [--venv-bin /tmp/venv/bin --command deploy/prod]   # another environment, without make's venv step
"""

import argparse
import contextlib
import getpass
import http.client
import json
import os
import re
import secrets
import shlex
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = secrets.token_urlsafe(16)  # this run's people only
PROGRAM = "journey"
READY_SECONDS, PROCESSING_SECONDS = 120, 120
MASTER_BYTES, FAILED_PART = 300 * 1000 * 1000, 3  # the direct upload's size, and the part whose first PUT fails
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


# --- Services -----------------------------------------------------------------------------------------------
@contextlib.contextmanager
def fresh_database(url: str):
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def flushed_redis(*urls: str):
    import redis

    for url in urls:
        redis.Redis.from_url(url).flushdb()
    try:
        yield
    finally:
        for url in urls:
            redis.Redis.from_url(url).flushdb()


def stack_environment(args, folder: Path, s3, database_url: str) -> dict[str, str]:
    cache_db, broker_db = args.redis_dbs.split(",")
    origin = f"http://127.0.0.1:{args.port}"
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": origin,
        "SITE_URL": origin,
        "DATABASE_URL": database_url,
        "REDIS_URL": f"{args.redis}/{cache_db}",
        "CELERY_BROKER_URL": f"{args.redis}/{broker_db}",
        "USE_S3": "1",
        "S3_BUCKET": s3.bucket,
        "S3_ENDPOINT_URL": s3.endpoint,
        "S3_PUBLIC_ORIGIN": s3.endpoint,
        "S3_ACCESS_KEY_ID": s3.access_key,
        "S3_SECRET_ACCESS_KEY": s3.secret_key,
        "S3_UPLOAD_PROXY_PATH": "/_bucket",  # direct uploads through nginx, on the portal's origin
        "CLIENT_IP_HEADER": "X-Forwarded-For",
        "TRUSTED_PROXY_COUNT": "1",
        "STATIC_MANIFEST": "1",
        "LOG_FORMAT": "json",
        "MEDIA_ROOT": str(folder / "media"),
        "RUN_DIR": str(folder / "run"),
        "NGINX_LISTEN": f"127.0.0.1:{args.port}",
        "GUNICORN_BIND": f"127.0.0.1:{args.port + 1}",
        "NGINX_USER": getpass.getuser(),  # as root, nginx's workers run as this user and read the run's folders
        "GUNICORN_WORKERS": "2",
        "WORKER_CONCURRENCY": "1",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }


@contextlib.contextmanager
def running_stack(command: str, env: dict, log_path: Path):
    log = log_path.open("wb")
    process = subprocess.Popen(shlex.split(command), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)  # fmt: skip
    try:
        yield process
    finally:
        stop_group(process)
        nginx_pid = Path(env["RUN_DIR"]) / "nginx" / "nginx.pid"
        if nginx_pid.exists():  # honcho stops nginx; this only catches a master left behind by a failed start
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(nginx_pid.read_text()), signal.SIGQUIT)
        log.close()


def stop_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


# --- A browser without JavaScript ---------------------------------------------------------------------------
class Browser:
    def __init__(self, port: int):
        self.port, self.cookies = port, {}

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        content = response.read()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, response.headers, content

    def get(self, path: str, **headers):
        return self.request("GET", path, headers=headers)

    def post(self, path: str, fields: dict, files: dict | None = None):
        boundary = "journey" + uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}.items()
        ]
        for name, (filename, data) in (files or {}).items():
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            parts.append(head.encode() + b"Content-Type: video/mp4\r\n\r\n" + data + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}",
                   "Referer": f"http://127.0.0.1:{self.port}{path}"}  # fmt: skip
        return self.request("POST", path, body, headers)

    def sign_in(self, email: str) -> None:
        self.get("/accounts/login/")
        status, headers, _ = self.post("/accounts/login/", {"login": email, "password": PASSWORD})
        check(status == 302 and headers["Location"] != "/accounts/login/", f"{email} signs in", status)

    def headers_only(self, method: str, path: str, content_length: int) -> tuple[int, dict]:
        """Announce a body of `content_length` bytes and send none: nginx refuses on the header alone."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.putrequest(method, path)
        conn.putheader("Content-Type", "application/octet-stream")
        conn.putheader("Content-Length", str(content_length))
        conn.endheaders()
        response = conn.getresponse()
        response.read()
        conn.close()
        return response.status, response.headers


def check(condition: bool, what: str, detail="") -> None:
    print(f"  {'ok' if condition else 'FAILED'}: {what}" + ("" if condition else f" ({detail})"), flush=True)
    if not condition:
        raise SystemExit(1)


# --- The journey --------------------------------------------------------------------------------------------
def seed() -> dict:
    """Two artists in a program with a one-step review and its reviewer, in the stack's database (migrated by
    `make prod`)."""
    import django

    django.setup()
    from allauth.account.models import EmailAddress

    from portal.models import User
    from programs.models import Cohort, Enrolment, Program, ProgramRole
    from submissions.models import ProgramMediaPolicy, ReviewerGroup, ReviewStep

    program = Program.objects.create(slug=PROGRAM, name="Journey", pitch="The journey.", tagline="Journey.",
                                     status=Program.Status.OPEN)  # fmt: skip
    cohort = Cohort.objects.create(program=program, name="First cohort", capacity=10)
    ProgramMediaPolicy.objects.create(program=program, max_size_bytes=512 * 1024 * 1024)  # room for the master
    people = {}
    for role in ("artist", "other", "reviewer"):
        email = f"{role}@journey.test"
        people[role] = User.objects.create_user(email=email, password=PASSWORD, display_name=role.title())
        EmailAddress.objects.create(user=people[role], email=email, verified=True, primary=True)
    for role in ("artist", "other"):
        Enrolment.objects.create(user=people[role], program=program, status=Enrolment.Status.ACTIVE, cohort=cohort)
    ProgramRole.objects.create(user=people["reviewer"], program=program, role=ProgramRole.Role.REVIEWER)
    group = ReviewerGroup.objects.create(program=program, name="Reviewers")
    group.members.set([people["reviewer"]])
    ReviewStep.objects.create(program=program, position=1, name="Review", group=group, approvals_required=1)
    return {role: user.email for role, user in people.items()}


def wait_until_ready(port: int, stack: subprocess.Popen) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if stack.poll() is not None:
            check(False, "make prod keeps running", f"exit {stack.returncode}")
        with contextlib.suppress(OSError):
            if Browser(port).get("/readyz")[0] == 200:
                return
        time.sleep(1)
    check(False, f"the stack answers /readyz through nginx within {READY_SECONDS} s")


def video_status(video_id: int) -> str:
    from submissions.models import Video

    return Video.objects.values_list("status", flat=True).get(pk=video_id)


def upload_and_process(port: int, emails: dict) -> tuple[Browser, int, str]:
    from demo.testclips import make_clip

    artist = Browser(port)
    artist.sign_in(emails["artist"])
    status, headers, _ = artist.get("/")
    check(re.fullmatch(r"[0-9a-f]{32}", headers.get("X-Request-ID", "")) is not None, "nginx's request id echoed")
    artist.get(f"/videos/new/?program={PROGRAM}")
    fields = {"title": "Journey clip", "prompt": "A glass city at dawn", "model_name": "Lumen"}
    status, headers, _ = artist.post(f"/videos/new/?program={PROGRAM}", fields, {"file": ("clip.mp4", make_clip())})
    match = re.fullmatch(r"/videos/(\d+)/", headers.get("Location", ""))
    check(status == 302 and match is not None, "the upload is received through nginx", status)
    video_id = int(match[1])
    deadline = time.monotonic() + PROCESSING_SECONDS
    while video_status(video_id) in ("uploaded", "processing") and time.monotonic() < deadline:
        time.sleep(0.5)
    check(video_status(video_id) == "pending_review", "the video worker processed it", video_status(video_id))
    return artist, video_id, headers["X-Request-ID"]


def master_file(folder: Path) -> Path:
    """A real clip grown to MASTER_BYTES with a top-level `free` box (which players and PyAV skip), written in
    chunks so this script never holds it either."""
    from demo.testclips import make_clip

    clip = make_clip(hue=200)
    path = folder / "journey master.mp4"
    filler = MASTER_BYTES - len(clip)
    with path.open("wb") as out:
        out.write(clip + filler.to_bytes(4, "big") + b"free")
        remaining, zeros = filler - 8, bytes(8 * 1024 * 1024)
        while remaining:
            out.write(zeros[: min(remaining, len(zeros))])
            remaining -= min(remaining, len(zeros))
    return path


def direct_upload_in_chromium(port: int, emails: dict, folder: Path) -> int:
    """Real Chromium sends the master through nginx's bucket path with Uppy; the first PUT of one part is cut."""
    from playwright.sync_api import expect, sync_playwright

    master = master_file(folder)
    puts: list[int] = []

    def cut_once(route):
        if route.request.method != "PUT":
            return route.continue_()
        number = int(re.search(r"partNumber=(\d+)", route.request.url)[1])
        puts.append(number)
        return (
            route.abort("connectionreset") if puts.count(number) == 1 and number == FAILED_PART else route.continue_()
        )

    origin = f"http://127.0.0.1:{port}"
    with sync_playwright() as playwright:
        flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=flags)
        try:
            page = browser.new_page()
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{origin}/accounts/login/")
            page.fill("input[name=login]", emails["artist"])
            page.fill("input[name=password]", PASSWORD)
            page.click("form button[type=submit]")
            expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
            page.route(re.compile(r".*/_bucket/.*[?&]uploadId=.*"), cut_once)
            page.goto(f"{origin}/videos/new/?program={PROGRAM}")
            page.get_by_label("Title").fill("Journey master")
            page.get_by_label("Prompt").fill("A glass harbour at dusk, one long take")
            page.get_by_label("Model", exact=True).fill("Lumen")
            page.get_by_label("Video file").set_input_files(str(master))
            started = time.monotonic()
            page.get_by_role("button", name="Upload", exact=True).click()
            page.wait_for_url(re.compile(r"/videos/\d+/$"), timeout=PROCESSING_SECONDS * 3000)
            seconds = time.monotonic() - started
            video_id = int(re.search(r"/videos/(\d+)/$", page.url)[1])
            check(not errors, "no script error on the upload page", errors)
        finally:
            browser.close()
    parts = -(-MASTER_BYTES // (16 * 1024 * 1024))
    check(sorted(puts) == sorted([*range(1, parts + 1), FAILED_PART]),
          f"Chromium sent the 300 MB master in {parts} parts through nginx, part {FAILED_PART} again after it failed",
          sorted(puts))  # fmt: skip
    print(f"  (sent, checked and taken in within {seconds:.0f} s)", flush=True)
    return video_id


def direct_upload_processed(video_id: int) -> None:
    from submissions.models import DirectUpload, Video

    deadline = time.monotonic() + PROCESSING_SECONDS
    while video_status(video_id) in ("uploaded", "processing") and time.monotonic() < deadline:
        time.sleep(0.5)
    video = Video.objects.get(pk=video_id)
    upload = DirectUpload.objects.get(video=video)
    check(video.status == "pending_review" and video.size_bytes == MASTER_BYTES,
          "the video worker hashed the master from the bucket and processed it", video.status)  # fmt: skip
    check(upload.status == "processed" and video.file.name == upload.key and video.sha256 == upload.sha256,
          "the video keeps the object the browser sent (no copy), with the hash streamed from the bucket")  # fmt: skip


def private_media(port: int, emails: dict, artist: Browser, video_id: int, s3_endpoint: str) -> None:
    status, headers, _ = artist.get(f"/videos/{video_id}/media/video")
    location = headers.get("Location", "")
    check(status == 302 and location.startswith(s3_endpoint), "the artist gets a short-lived bucket URL", status)
    other = Browser(port)
    other.sign_in(emails["other"])
    status, _, _ = other.get(f"/videos/{video_id}/media/video")
    check(status == 404, "another artist gets 404 for the private file", status)


def review_and_publish(port: int, emails: dict, artist: Browser, video_id: int) -> None:
    reviewer = Browser(port)
    reviewer.sign_in(emails["reviewer"])
    reviewer.post(f"/review/{video_id}/claim/", {})
    status, _, page = reviewer.get(f"/review/{video_id}/")
    hidden = dict(re.findall(rb'name="(step|version)" value="(\d*)"', page))
    fields = {"outcome": "approve", "reason_code": "", "note": "",
              "step": hidden.get(b"step", b"").decode(), "version": hidden.get(b"version", b"").decode()}  # fmt: skip
    status, headers, _ = reviewer.post(f"/review/{video_id}/decide/", fields)
    outcome = video_status(video_id)
    check(outcome == "approved", "the reviewer approves", f"{status} {outcome} {headers.get('Location')} {fields}")
    artist.get(f"/videos/{video_id}/")
    status, _, _ = artist.post(f"/videos/{video_id}/publish/", {})
    check(status == 302 and video_status(video_id) == "published", "the artist publishes", video_status(video_id))


def ranged_public_file(port: int, video_id: int) -> None:
    from submissions.models import Video

    public_id = Video.objects.values_list("public_id", flat=True).get(pk=video_id)
    status, headers, body = Browser(port).get(f"/gallery/{public_id}/video", Range="bytes=0-99")
    check(status == 206 and len(body) == 100, "a ranged request on the published file gets 206", status)
    check(headers["Content-Range"].startswith("bytes 0-99/"), "with its Content-Range", headers["Content-Range"])


def oversized_bodies(port: int) -> None:
    from django.conf import settings

    from submissions.images import screenshots_request_bytes
    from submissions.uploads import FORM_OVERHEAD_BYTES

    for path, limit in (("/reports/new/", screenshots_request_bytes()),
                        ("/videos/new/", settings.UPLOAD_MAX_BYTES + FORM_OVERHEAD_BYTES)):  # fmt: skip
        status, headers = Browser(port).headers_only("POST", path, limit + 1)
        check(status == 413 and headers.get("X-Refused-By") == "proxy", f"nginx answers 413 above {path}'s limit")


def request_id_in_worker_log(log_path: Path, request_id: str) -> None:
    """The upload's request id, set by nginx, is on the video worker's JSON line for the task the upload sent."""
    lines = [line.split("| ", 1)[1] for line in log_path.read_text(errors="replace").splitlines()
             if line[9:].startswith("worker_video") and "| {" in line]  # fmt: skip
    entries = [json.loads(line) for line in lines]
    found = [e for e in entries if e.get("request_id") == request_id and e.get("task", "").endswith("process_video")]
    check(bool(found), "the upload's request id reaches the video worker's log", f"{len(entries)} JSON lines")


def journey(port: int, emails: dict, s3_endpoint: str, log_path: Path) -> None:
    artist, _streamed, request_id = upload_and_process(port, emails)
    video_id = direct_upload_in_chromium(port, emails, log_path.parent)
    direct_upload_processed(video_id)
    private_media(port, emails, artist, video_id, s3_endpoint)
    review_and_publish(port, emails, artist, video_id)
    ranged_public_file(port, video_id)
    oversized_bodies(port)
    request_id_in_worker_log(log_path, request_id)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/glasshouse_journey")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379", help="a Redis server on loopback")
    parser.add_argument("--redis-dbs", default="10,11", help="the cache's and the broker's database numbers")
    parser.add_argument("--port", type=int, default=8480, help="nginx's port; gunicorn takes the next one")
    parser.add_argument("--command", default="make prod", help="what starts the stack")
    parser.add_argument("--venv-bin", help="the stack's Python environment (default: make prod's .venv)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped from outside: still stop what we started
    from tests.s3 import running_seaweedfs, weed_binary

    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="glasshouse-journey-"))
    log_path = folder / "stack.log"
    cache_db, broker_db = args.redis_dbs.split(",")
    (folder / "s3").mkdir()
    try:
        with (
            running_seaweedfs(weed_binary(), folder / "s3") as s3,
            fresh_database(args.postgres) as database_url,
            flushed_redis(f"{args.redis}/{cache_db}", f"{args.redis}/{broker_db}"),
        ):
            env = stack_environment(args, folder, s3, database_url)
            if args.venv_bin:
                env["VENV_BIN"] = args.venv_bin
            os.environ.update({key: value for key, value in env.items() if key != "PATH"})
            with running_stack(args.command, env, log_path) as stack:
                wait_until_ready(args.port, stack)
                print(f"  ok: the stack is up through nginx after {time.monotonic() - started:.0f} s", flush=True)
                journey(args.port, seed(), s3.endpoint, log_path)
    except BaseException:
        print(f"--- the stack's log ({log_path}), last lines:")
        print("\n".join(log_path.read_text(errors="replace").splitlines()[-80:]) if log_path.exists() else "none")
        raise
    print(f"Production journey passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
