"""Errors go to Sentry only when SENTRY_DSN is set: an unhandled view error reaches a Sentry-compatible endpoint
(a local HTTP server here) from a separate process, tagged with the request id; without a DSN nothing is set up."""

import http.server
import json
import subprocess
import sys
import threading
import zlib
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db  # the suite's autouse fixtures restore a group row
ROOT = Path(__file__).resolve().parent.parent
RAISING_REQUEST = """
import django
django.setup()
from django.test import Client, override_settings
from django.urls import include, path
import sentry_sdk

def boom(request):
    raise RuntimeError("a view failed for the Sentry test")

urlpatterns = [path("boom/", boom), path("", include("portal.urls"))]  # the error page links home
with override_settings(ROOT_URLCONF=__name__):
    Client(raise_request_exception=False).get("/boom/", HTTP_X_REQUEST_ID="sentry-test-request-0001")
sentry_sdk.flush(timeout=10)
"""


class Envelopes(http.server.BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_endpoint():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Envelopes)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Envelopes.received = []
    yield f"http://publickey@127.0.0.1:{server.server_address[1]}/42", Envelopes.received
    server.shutdown()


def events(envelopes: list[bytes]) -> list[dict]:
    found = []
    for envelope in envelopes:
        lines = envelope.split(b"\n")
        for header, item in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                found.append(json.loads(item))
    return found


def test_an_unhandled_view_error_is_reported_with_its_request_id(sentry_endpoint, tmp_path):
    pytest.importorskip("sentry_sdk", reason="sentry-sdk is in requirements.txt; install the lock file")
    dsn, received = sentry_endpoint
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "portal.settings", "SENTRY_DSN": dsn,
           "SENTRY_ENVIRONMENT": "test", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}  # fmt: skip
    run = subprocess.run([sys.executable, "-c", RAISING_REQUEST], cwd=ROOT, env=env, capture_output=True, timeout=60)
    assert run.returncode == 0, run.stderr.decode()
    (event,) = [event for event in events(received) if event.get("exception")]
    assert event["exception"]["values"][-1]["value"] == "a view failed for the Sentry test"
    assert event["environment"] == "test" and event["tags"]["request_id"] == "sentry-test-request-0001"
    assert "user" not in event or not event["user"].get("ip_address")  # no personal data leaves


def test_without_a_dsn_sentry_is_not_set_up():
    from django.conf import settings

    assert not settings.SENTRY_DSN
    sentry_sdk = sys.modules.get("sentry_sdk")
    assert sentry_sdk is None or not sentry_sdk.get_client().is_active()
