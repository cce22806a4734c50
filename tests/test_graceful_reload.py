"""A graceful reload (gunicorn's HUP, as the README says to deploy) drops no request: those being answered finish
in the old workers, those waiting in the listen queue are answered by the new ones."""

import signal
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import make_program
from tests.gunicorn_server import database_url, get, gunicorn

REQUESTS = 40


@pytest.mark.django_db(transaction=True)
def test_in_flight_and_queued_requests_complete_across_a_hup(tmp_path):
    """With the worker model the README recommends (gthread)."""
    program = make_program(slug="reload")
    log = tmp_path / "gunicorn.log"
    env = {"DATABASE_URL": database_url(), "REDIS_URL": "", "CELERY_BROKER_URL": "", "MEDIA_ROOT": str(tmp_path)}
    args = ["--workers", "2", "--worker-class", "gthread", "--threads", "2", "--graceful-timeout", "30"]
    with gunicorn(env, *args, log_path=log) as (process, port):
        paths = [f"/programs/{program.slug}/transparency/", "/", f"/programs/{program.slug}/"]
        timings = []

        def fetch(number: int):
            started = time.monotonic()
            status = get(port, paths[number % len(paths)], timeout=60)[0]
            timings.append((started, time.monotonic()))
            return status

        with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
            futures = [pool.submit(fetch, n) for n in range(REQUESTS)]
            time.sleep(0.3)  # the first requests are being answered, the rest wait in the queue
            hup_at = time.monotonic()
            process.send_signal(signal.SIGHUP)
            statuses = [future.result() for future in futures]
        assert statuses == [200] * REQUESTS
        assert any(start < hup_at < end for start, end in timings), "no request was in flight at the reload"
        assert process.poll() is None
        assert get(port, "/healthz")[0] == 200
    text = log.read_text()
    assert "Hang up: Master" in text
    assert text.count("Booting worker") >= 4  # two at start, two after the reload
