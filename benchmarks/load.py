"""Load: 50 simulated people for 2 minutes through nginx to gunicorn + a Celery worker + beat on PostgreSQL and Redis.

Loopback only and bounded in time. It makes its own PostgreSQL database (dropped at the end) and uses two Redis
databases of the server given (flushed before and after), seeds the demo program plus artists, then runs:
artists browsing their pages and uploading small clips, reviewers claiming and deciding, the public reading the
home page, the transparency report (page and JSON), the gallery and static files. It prints errors and client-side
p50/p95/p99 per route class, and the server-side p95 from gunicorn's access log (which records each request's
time), and exits non-zero on any error. nginx runs with the repository's configuration (`manage.py nginx_conf`, as
`make prod` renders it) and serves the static files; `--no-nginx` sends the people straight to gunicorn instead.

    python benchmarks/load.py [--users 50] [--seconds 120] [--redis redis://127.0.0.1:6379] [--no-nginx] \\
        [--models 3:sync:1,3:gthread:4]   # gunicorn worker models, each run in turn on the same data
"""

import argparse
import contextlib
import getpass
import http.client
import io
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from _setup import ROOT, drop_database, use_fresh_database

DB_NAME = "glasshouse_load"
PROGRAM = "lumen-early-access"
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(M)s"  # method, path, status, request time in milliseconds
CLASSES = [  # (route class, pattern of the path); the first that matches
    ("static", r"^/static/"),
    ("upload", r"^/videos/new/"),
    ("review decide", r"^/review/(next|\d+/decide)/"),
    ("review page", r"^/review/"),
    ("artist page", r"^/(me|videos|reports)/"),
    ("report json", r"^/programs/[^/]+/transparency\.json"),
    ("report page", r"^/programs/[^/]+/transparency/"),
    ("gallery", r"^/gallery/"),
    ("public page", r"^/"),
]


def route_class(path: str) -> str:
    return next(name for name, pattern in CLASSES if re.match(pattern, path))


# --- Seeding (in this process, on the load database) ----------------------------------------------------------
def seed(artists: int) -> dict:
    """The demo program, `artists` more artists who accepted its agreement, and a session for each person."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from portal.models import User
    from programs.access import current_agreement
    from programs.models import Enrolment, Program, ProgramRole
    from programs.services.agreements import record_acceptance

    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115 (a throwaway database)
    program = Program.objects.get(slug=PROGRAM)
    agreement, cohort = current_agreement(program), program.cohorts.first()
    people = []
    for number in range(artists):
        user = User.objects.create_user(email=f"load-artist-{number}@load.test", display_name=f"Load artist {number}")
        user.set_unusable_password()  # signed in through a session below: no password hashing under load
        user.save(update_fields=["password"])
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        enrolment = Enrolment.objects.create(user=user, program=program, status=Enrolment.Status.ACTIVE, cohort=cohort)
        if agreement is not None:
            record_acceptance(enrolment, agreement, ip_address="127.0.0.1", user_agent="load")
        people.append(user)
    reviewers = list(User.objects.filter(program_roles__program=program, program_roles__role=ProgramRole.Role.REVIEWER))

    def session_for(user) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    return {
        "artists": [session_for(user) for user in people],
        "reviewers": [session_for(user) for user in reviewers],
    }


def make_clips(count: int) -> list[bytes]:
    from demo.testclips import make_clip

    return [make_clip(seconds=1, width=160, height=120, hue=(number * 37) % 360) for number in range(count)]


# --- Processes --------------------------------------------------------------------------------------------------
def start(name: str, command: list[str], env: dict, folder: Path) -> subprocess.Popen:
    log = open(folder / f"{name}.log", "a")  # noqa: SIM115 (the child keeps it)
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def start_nginx(env: dict, folder: Path, port: int, gunicorn_port: int) -> subprocess.Popen:
    """nginx in front, configured as `make prod` configures it, on `port` (static files collected first)."""
    nginx_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{gunicorn_port}", "NGINX_LISTEN": f"127.0.0.1:{port}",
                 "NGINX_ACCESS_LOG": str(folder / "nginx-access.log"), "NGINX_USER": getpass.getuser()}  # fmt: skip
    prefix = folder / "nginx"
    for command in (["collectstatic", "--noinput", "--verbosity", "0"], ["nginx_conf", "--prefix", str(prefix)]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=nginx_env, check=True, stdout=subprocess.DEVNULL
        )
    return start("nginx", ["/usr/sbin/nginx", "-p", str(prefix), "-c", "nginx.conf"], nginx_env, folder)


def start_background(env: dict, folder: Path) -> dict[str, subprocess.Popen]:
    celery = [sys.executable, "-m", "celery", "-A", "portal"]
    return {
        "worker": start("worker", [*celery, "worker", "--loglevel=warning", "--concurrency", "2"], env, folder),
        "beat": start(
            "beat", [*celery, "beat", "--loglevel=warning", "--schedule", str(folder / "beat-schedule")], env, folder
        ),
    }


def start_gunicorn(env: dict, folder: Path, port: int, model: "Model") -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{port}",
               "--workers", str(model.workers), "--worker-class", model.worker_class,
               "--threads", str(model.threads), "--timeout", "120",
               "--access-logfile", str(folder / "access.log"), "--access-logformat", ACCESS_FORMAT]  # fmt: skip
    return start("gunicorn", command, env, folder)


def stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


# --- Simulated people -------------------------------------------------------------------------------------------
class Person:
    """One browser: its own cookies, one request at a time, a pause between pages."""

    def __init__(self, port: int, results: list, session: str = ""):
        self.port, self.results = port, results
        self.cookies = {"sessionid": session} if session else {}

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> tuple[int, str]:
        headers = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            status = response.status
            for value in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            location = response.headers.get("Location", "")
            conn.close()
        except OSError as exc:
            status, text, location = 0, f"{type(exc).__name__}: {exc}", ""
        elapsed = time.perf_counter() - started
        signed_out = status == 302 and location.startswith("/accounts/login/")  # the session did not hold
        self.results.append((route_class(path), method, path, -status if signed_out else status, elapsed))
        return status, location or text

    def get(self, path: str) -> tuple[int, str]:
        return self.request("GET", path)

    def post(self, path: str, fields: dict, files: dict | None = None) -> tuple[int, str]:
        token = self.cookies.get("csrftoken", "")
        boundary = "----load" + os.urandom(8).hex()
        parts = []
        for name, value in {"csrfmiddlewaretoken": token, **fields}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, data) in (files or {}).items():
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            parts.append(head.encode() + b"Content-Type: video/mp4\r\n\r\n" + data + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "X-CSRFToken": token,
                   "Referer": f"http://127.0.0.1:{self.port}{path}"}  # fmt: skip
        return self.request("POST", path, body, headers)


def public_visit(person: Person, rng: random.Random) -> None:
    page = rng.choice(["/", f"/programs/{PROGRAM}/", f"/programs/{PROGRAM}/transparency/",
                       f"/programs/{PROGRAM}/transparency.json", "/gallery/", "/programs/"])  # fmt: skip
    status, text = person.get(page)
    if page == "/gallery/" and status == 200:
        videos = re.findall(r'href="(/gallery/[0-9a-f-]{36}/)"', text)
        if videos:
            person.get(rng.choice(videos))
    if rng.random() < 0.3:
        person.get("/static/css/glasshouse.css")


def artist_visit(person: Person, rng: random.Random, clips: list[bytes]) -> None:
    page = rng.choice(["/me/", "/videos/", "/me/compensation/", "/reports/"])
    status, text = person.get(page)
    if page == "/videos/" and status == 200:
        videos = re.findall(r'href="(/videos/\d+/)"', text)
        if videos:
            person.get(rng.choice(videos))
    if rng.random() < 0.15:
        person.get(f"/videos/new/?program={PROGRAM}")
        fields = {"title": "Load clip", "prompt": "A glass city at dawn", "model_name": "Lumen",
                  "consent_training": "", "consent_marketing": "", "consent_showcase": ""}  # fmt: skip
        person.post(f"/videos/new/?program={PROGRAM}", fields, {"file": ("clip.mp4", rng.choice(clips))})


def reviewer_visit(person: Person, rng: random.Random) -> None:
    person.get("/review/")
    status, location = person.post("/review/next/", {})
    match = re.match(r"^/review/(\d+)/$", location) if status == 302 else None
    if match:
        person.get(location)
        person.post(f"/review/{match[1]}/decide/", {"outcome": "approve", "reason_code": "", "note": ""})


def run_person(kind: str, person: Person, until: float, seed_value: int, clips: list[bytes]) -> None:
    rng = random.Random(seed_value)
    person.get("/")  # a first page, for the CSRF cookie
    while time.monotonic() < until:
        if kind == "public":
            public_visit(person, rng)
        elif kind == "artist":
            artist_visit(person, rng, clips)
        else:
            reviewer_visit(person, rng)
        time.sleep(rng.uniform(1.0, 3.0))  # reading the page


# --- Figures ----------------------------------------------------------------------------------------------------
def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def is_error(status: int) -> bool:
    """No answer (0), a server error, a refusal, or sent to the login page (negative)."""
    return status <= 0 or status >= 500 or status in (400, 403, 404, 405)


def report(results: list, server_times: list[tuple[str, float]], seconds: float) -> int:
    by_class, server = defaultdict(list), defaultdict(list)
    errors = [r for r in results if is_error(r[3])]
    for name, _, _, _, elapsed in results:
        by_class[name].append(elapsed * 1000)
    for name, milliseconds in server_times:
        server[name].append(milliseconds)
    print(f"{len(results)} requests in {seconds:.0f} s ({len(results) / seconds:.1f}/s), {len(errors)} errors")
    print(f"{'route class':<14} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'server p95':>11}")
    rows = [(name, by_class[name], server.get(name, [])) for name, _ in CLASSES if by_class.get(name)]
    rows.append(("all", [v for _, values, _ in rows for v in values], [v for _, _, values in rows for v in values]))
    for name, values, on_server in rows:
        print(f"{name:<14} {len(values):>6} {statistics.median(values):>8.0f} {percentile(values, 0.95):>8.0f} "
              f"{percentile(values, 0.99):>8.0f} {percentile(on_server, 0.95):>11.0f}")  # fmt: skip
    for name, method, path, status, _ in errors[:20]:
        print(f"  error: {status} {method} {path} ({name})")
    return len(errors)


def server_times(access_log: Path, skip_lines: int) -> list[tuple[str, float]]:
    """(route class, milliseconds) of each request gunicorn logged after the first `skip_lines` (the warm-up)."""
    times = []
    for line in access_log.read_text().splitlines()[skip_lines:]:
        parts = line.split()
        if len(parts) == 4 and parts[3].isdigit():
            times.append((route_class(parts[1]), float(parts[3])))
    return times


@dataclass(frozen=True)
class Model:
    """A gunicorn worker model, written workers:class:threads (e.g. 3:sync:1, 3:gthread:4)."""

    workers: int
    worker_class: str
    threads: int

    @classmethod
    def parse(cls, text: str) -> "Model":
        workers, worker_class, threads = text.split(":")
        return cls(int(workers), worker_class, int(threads))

    def __str__(self) -> str:
        return f"{self.workers} {self.worker_class} worker(s) x {self.threads} thread(s)"


def warm_up(port: int, sessions: dict) -> None:
    """Each worker loads its templates and URLs before the clock starts (a cold first request takes seconds)."""
    people = [Person(port, []), Person(port, [], sessions["artists"][0]), Person(port, [], sessions["reviewers"][0])]
    for _ in range(4):
        for person, path in zip(people, ["/", "/me/", "/review/"], strict=True):
            person.get(path)
        for path in ("/gallery/", f"/programs/{PROGRAM}/", f"/programs/{PROGRAM}/transparency/", "/videos/"):
            people[1].get(path)


def wait_ready(port: int, folder: Path) -> None:
    deadline = time.monotonic() + 120
    while Person(port, []).get("/readyz")[0] != 200:
        if time.monotonic() > deadline:
            raise SystemExit(f"the services did not become ready; logs in {folder}")
        time.sleep(0.5)


def run_load(port: int, args, sessions: dict, clips: list[bytes], mix: tuple[int, int, int]) -> list:
    artists, reviewers, public = mix
    results: list = []
    until = time.monotonic() + args.seconds
    kinds = ["artist"] * artists + ["reviewer"] * reviewers + ["public"] * public
    threads = []
    for number, kind in enumerate(kinds):
        pool = {"artist": sessions["artists"], "reviewer": sessions["reviewers"]}.get(kind)
        person = Person(port, results, pool[number % len(pool)] if pool else "")
        thread = threading.Thread(target=run_person, args=(kind, person, until, number, clips), daemon=True)
        threads.append(thread)
        thread.start()
        time.sleep(0.05)  # people arrive over a few seconds
    for thread in threads:
        thread.join(timeout=args.seconds + 120)
    return results


def run_model(model: Model, env: dict, folder: Path, args, sessions: dict, clips: list[bytes], mix) -> int:
    gunicorn_port = 8790 + os.getpid() % 100
    port = gunicorn_port if args.no_nginx else gunicorn_port + 100
    log = folder / "access.log"
    log.unlink(missing_ok=True)
    server = start_gunicorn(env, folder, gunicorn_port, model)
    proxy = [] if args.no_nginx else [start_nginx(env, folder, port, gunicorn_port)]
    try:
        wait_ready(port, folder)
        warm_up(port, sessions)
        time.sleep(1)  # the access log is written after each response
        skip = len(log.read_text().splitlines())
        results = run_load(port, args, sessions, clips, mix)
        time.sleep(1)
        load = os.getloadavg()
        front = "straight to gunicorn" if args.no_nginx else "through nginx"
        print(f"\n== {front}, gunicorn {model}; load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
              f"(1/5/15 min) on {os.cpu_count()} CPUs")  # fmt: skip
        return report(results, server_times(log, skip), args.seconds)
    finally:
        stop(*proxy, server)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379", help="a Redis server on loopback")
    parser.add_argument("--no-nginx", action="store_true", help="people talk to gunicorn directly")
    parser.add_argument("--models", default="5:gthread:4", help="gunicorn worker models to run in turn (default: "
                        "deploy/gunicorn.conf.py on 2 cores), e.g. "
                        "3:sync:1,3:gthread:4 (workers:class:threads)")  # fmt: skip
    args = parser.parse_args()
    if urllib.parse.urlsplit(args.redis).hostname not in ("127.0.0.1", "localhost"):
        parser.error("--redis must be on loopback")
    artists, reviewers = args.users * 2 // 5, max(1, args.users // 10)
    mix = (artists, reviewers, args.users - artists - reviewers)
    cache_url, broker_url = f"{args.redis}/13", f"{args.redis}/14"
    os.environ.update(REDIS_URL=cache_url, CELERY_BROKER_URL=broker_url)
    folder = Path(tempfile.mkdtemp(prefix="glasshouse-load-"))
    os.environ["MEDIA_ROOT"] = str(folder / "media")  # the seeded clips go where the server reads them
    os.environ["SECRET_KEY"] = "load-" + "x" * 50  # the sessions made here must be valid for the server
    started = time.monotonic()
    use_fresh_database(DB_NAME)
    import redis
    from django.db import connections

    for url in (cache_url, broker_url):
        redis.Redis.from_url(url).flushdb()
    env = {**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1", "FILE_UPLOAD_TEMP_DIR": str(folder)}
    errors = 0
    background = []
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # the demo's mail goes to the console
            sessions = seed(artists)
        clips = make_clips(24)
        connections.close_all()
        print(f"Seeded in {time.monotonic() - started:.0f} s: {mix[0]} artists, {mix[1]} reviewers, {mix[2]} public "
              f"visitors for {args.seconds} s; logs in {folder}")  # fmt: skip
        background = list(start_background(env, folder).values())
        for model in map(Model.parse, args.models.split(",")):
            errors += run_model(model, env, folder, args, sessions, clips, mix)
    finally:
        stop(*background)
        drop_database(DB_NAME)
        for url in (cache_url, broker_url):
            redis.Redis.from_url(url).flushdb()
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
