"""Direct uploads through nginx (S3_UPLOAD_PROXY_PATH): the browser's presigned requests stay on the portal's origin
and nginx passes them to a real SeaweedFS unchanged, so no CORS is needed on the bucket. Only the upload prefix is
passed; parts above the part limit get 413 from nginx; the portal's cookies are not sent to the bucket."""

import http.client
import subprocess
from pathlib import Path

import pytest

from submissions.services import direct_uploads as services
from tests.s3 import free_ports
from tests.test_direct_uploads import MiB, padded_clip, start
from tests.test_nginx import NGINX, _wait_for_port, fetch, render

pytestmark = [
    pytest.mark.skipif(not Path(NGINX).exists(), reason="needs Debian's nginx (apt-get install nginx; .ci/run does)"),
    pytest.mark.services,
    pytest.mark.django_db,
]
PROXY = "/_bucket"


@pytest.fixture
def nginx_bucket(settings, s3_media, tmp_path, monkeypatch):
    settings.S3_UPLOAD_PROXY_PATH = PROXY
    settings.DIRECT_UPLOAD_PART_BYTES = 5 * MiB
    port, upstream = free_ports(2)
    prefix = tmp_path / "nginx"
    conf = render(prefix, monkeypatch, NGINX_LISTEN=f"127.0.0.1:{port}", GUNICORN_BIND=f"127.0.0.1:{upstream}")
    assert f"location ^~ {PROXY}/{s3_media.bucket}/uploads/" in conf.read_text()
    process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", "nginx.conf"], stderr=subprocess.PIPE)
    try:
        _wait_for_port(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def send(port: int, method: str, path: str, body: bytes = b"", **headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=body or None, headers=headers)
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


def test_parts_go_through_nginx_to_the_bucket_on_the_portals_origin(nginx_bucket, s3_media, artist, program):
    data = padded_clip(11 * MiB, hue=140)
    upload = start(artist, program, data)
    etags = []
    for number in (1, 2, 3):
        url = services.direct_upload_sign(upload=upload, actor=artist, operation="upload_part", part_number=number)
        assert url.startswith(f"{PROXY}/{s3_media.bucket}/uploads/")  # relative: the page's own origin
        chunk = data[(number - 1) * upload.part_size : number * upload.part_size]
        answer = send(nginx_bucket, "PUT", url, chunk, Cookie="sessionid=secret")
        assert answer.status == 200, answer.body
        etags.append(answer.headers["ETag"])
    listed = send(nginx_bucket, "GET", services.direct_upload_sign(upload=upload, actor=artist, operation="list_parts"))
    assert listed.status == 200 and listed.body.count(b"<PartNumber>") == 3
    xml = "".join(f"<Part><PartNumber>{n}</PartNumber><ETag>{e}</ETag></Part>" for n, e in enumerate(etags, 1))
    url = services.direct_upload_sign(upload=upload, actor=artist, operation="complete")
    done = send(nginx_bucket, "POST", url, f"<CompleteMultipartUpload>{xml}</CompleteMultipartUpload>".encode())
    assert done.status == 200, done.body
    stored = s3_media.client().get_object(Bucket=s3_media.bucket, Key=upload.key)["Body"].read()
    assert stored == data


def test_only_the_upload_prefix_is_passed_and_parts_are_bounded(nginx_bucket, s3_media, artist, program):
    s3_media.client().put_object(Bucket=s3_media.bucket, Key="videos/secret/original.mp4", Body=b"x")
    outside = fetch(nginx_bucket, f"{PROXY}/{s3_media.bucket}/videos/secret/original.mp4")
    assert outside.status != 200 and outside.body != b"x"  # not the bucket's: the portal's own 404 (or 502 here)
    upload = start(artist, program, padded_clip(11 * MiB, hue=141))
    url = services.direct_upload_sign(upload=upload, actor=artist, operation="upload_part", part_number=1)
    refused = fetch(nginx_bucket, url, method="PUT", Content_Length=str(7 * MiB))
    assert refused.status == 413
