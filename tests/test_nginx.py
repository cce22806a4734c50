"""The nginx configuration (deploy/nginx.conf.template, rendered by `manage.py nginx_conf`) run by Debian's nginx in
front of the live server, with local media: private files handed to nginx by X-Accel-Redirect with byte ranges,
nothing served from the internal prefix directly, static files from nginx, oversized bodies refused by nginx, the
request id set; and the TLS variant passes `nginx -t` with HSTS. .ci/run installs nginx; without it these skip.
"""

import http.client
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.s3 import free_ports
from tests.video_helpers import clip, make_video

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = [
    pytest.mark.skipif(not Path(NGINX).exists(), reason="needs Debian's nginx (apt-get install nginx; .ci/run does)"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("tasks_in_process"),
]
ACCEL = "/_private-media/"


def render(prefix: Path, monkeypatch, **env) -> Path:
    import getpass

    monkeypatch.setenv("NGINX_USER", getpass.getuser())
    monkeypatch.setenv("NGINX_ACCESS_LOG", str(prefix / "access.log"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    call_command("nginx_conf", prefix=str(prefix), stdout=open("/dev/null", "w"))  # noqa: SIM115
    return prefix / "nginx.conf"


@pytest.fixture
def nginx(live_server, settings, tmp_path, monkeypatch):
    """nginx on a free loopback port, proxying to the live server, with local media and its own static folder."""
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = ACCEL
    settings.STATIC_ROOT = tmp_path / "static"
    (settings.STATIC_ROOT / "css").mkdir(parents=True)
    (settings.STATIC_ROOT / "css" / "only-in-static-root.css").write_text("body { color: black; }\n")
    (port,) = free_ports(1)
    prefix = tmp_path / "nginx"
    render(prefix, monkeypatch, NGINX_LISTEN=f"127.0.0.1:{port}", GUNICORN_BIND=live_server.url.split("//")[1])
    process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", "nginx.conf"], stderr=subprocess.PIPE)
    try:
        _wait_for_port(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for_port(port: int, process: subprocess.Popen) -> None:
    for _ in range(100):
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode())
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nginx did not listen")


def fetch(port: int, path: str, *, session: str = "", method: str = "GET", **headers) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    if session:
        headers["Cookie"] = f"sessionid={session}"
    conn.putrequest(method, path)
    for name, value in headers.items():
        conn.putheader(name.replace("_", "-"), value)
    conn.endheaders()
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


def session_of(client, user) -> str:
    client.force_login(user)
    return client.cookies["sessionid"].value


@pytest.fixture
def video(artist, program):
    return make_video(artist, program, data=clip(hue=111))


def test_private_media_is_streamed_by_nginx_with_byte_ranges(nginx, client, artist, video):
    path = f"/videos/{video.pk}/media/video"
    whole = fetch(nginx, path, session=session_of(client, artist))
    assert whole.status == 200 and whole.body == video.file.open("rb").read()
    assert whole.headers["Content-Type"] == video.content_type
    assert whole.headers["X-Content-Type-Options"] == "nosniff"
    assert whole.headers["Cache-Control"] == "private, no-store"
    part = fetch(nginx, path, session=session_of(client, artist), Range="bytes=10-109")
    assert part.status == 206 and part.body == whole.body[10:110]
    assert part.headers["Content-Range"] == f"bytes 10-109/{len(whole.body)}"


def test_another_artists_private_media_is_404_and_the_internal_prefix_is_not_served(nginx, client, other_artist, video):
    assert fetch(nginx, f"/videos/{video.pk}/media/video", session=session_of(client, other_artist)).status == 404
    assert fetch(nginx, f"{ACCEL}{video.file.name}").status == 404


def test_static_files_come_from_nginx_and_every_answer_has_a_request_id(nginx):
    static = fetch(nginx, "/static/css/only-in-static-root.css")
    assert static.status == 200 and static.body == b"body { color: black; }\n"
    page = fetch(nginx, "/healthz")
    assert page.status == 200 and len(page.headers["X-Request-ID"]) == 32


@pytest.mark.parametrize(("path", "allowed"), [("/reports/new/", "form"), ("/videos/new/", "upload")])
def test_nginx_refuses_a_body_above_the_portals_limit_before_the_app(nginx, settings, path, allowed):
    from submissions.images import screenshots_request_bytes
    from submissions.uploads import FORM_OVERHEAD_BYTES

    limit = screenshots_request_bytes() if allowed == "form" else settings.UPLOAD_MAX_BYTES + FORM_OVERHEAD_BYTES
    refused = fetch(nginx, path, method="POST", Content_Length=str(limit + 1))
    assert refused.status == 413 and refused.headers["X-Refused-By"] == "proxy"


def test_the_tls_configuration_passes_nginxs_own_check_with_hsts(tmp_path, monkeypatch):
    key, certificate = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(key), "-out", str(certificate)], check=True, capture_output=True)  # fmt: skip
    (plain, tls) = free_ports(2)
    prefix = tmp_path / "nginx"
    conf = render(prefix, monkeypatch, NGINX_LISTEN=f"127.0.0.1:{plain}", NGINX_TLS_LISTEN=f"127.0.0.1:{tls}",
                  TLS_CERTIFICATE=str(certificate), TLS_CERTIFICATE_KEY=str(key))  # fmt: skip
    text = conf.read_text()
    assert "Strict-Transport-Security" in text and "return 301 https://" in text
    checked = subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", "nginx.conf"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
