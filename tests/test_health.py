"""/healthz (liveness: asks nothing else) and /readyz (readiness: each service up or down, details only in the log)."""

import logging
import time
from pathlib import Path

import pytest

from portal import health
from tests.fault_proxy import FaultProxy


@pytest.fixture(autouse=True)
def _fresh_readiness():
    health.forget()
    yield
    health.forget()


def test_liveness_answers_without_the_database_or_any_other_service(client):
    # No django_db mark: pytest-django refuses any database access in this test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_readiness_reports_every_service_up(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "up", "cache": "up", "broker": "up", "storage": "up"},
    }


@pytest.mark.django_db
def test_readiness_writes_nothing_to_storage(client, settings):
    for _ in range(3):
        health.forget()
        assert client.get("/readyz").status_code == 200
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(media.rglob("*"))


@pytest.mark.django_db
def test_readiness_reuses_a_fresh_result_for_a_flood_of_probes(client, settings, tmp_path):
    assert client.get("/readyz").status_code == 200
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": blocker}},
    }
    assert client.get("/readyz").status_code == 200  # the answer of a moment ago
    time.sleep(health.MEMO_SECONDS)
    assert client.get("/readyz").status_code == 503


@pytest.mark.django_db
def test_readiness_is_503_when_storage_is_unwritable(client, settings, tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": blocker}},
    }
    with caplog.at_level(logging.WARNING, logger="portal.health"):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "up", "cache": "up", "broker": "up", "storage": "down"}
    assert str(tmp_path) not in response.content.decode()
    assert str(tmp_path) in caplog.text  # the details are for the operator


@pytest.mark.django_db
def test_readiness_is_503_when_the_broker_is_unreachable(client, settings):
    with FaultProxy() as proxy:
        proxy.cut()
        settings.CELERY_BROKER_URL = proxy.url("redis", "/0")
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "down"
    assert str(proxy.port) not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("fault", ["cut", "hang"])
def test_readiness_answers_within_3_seconds_when_redis_is_cut_or_hung(client, settings, fault):
    with FaultProxy() as proxy:
        getattr(proxy, fault)()
        settings.CACHES = {
            "default": {
                "BACKEND": "core.cache.DegradingRedisCache",
                "LOCATION": proxy.url("redis", "/0"),
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
        settings.CELERY_BROKER_URL = proxy.url("redis", "/1")
        started = time.monotonic()
        response = client.get("/readyz")
        took = time.monotonic() - started
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["cache"] == checks["broker"] == "down"  # (the others only have to answer within the 2 s)
    assert took < 3


def bucket_keys(server) -> list[str]:
    listing = server.client().list_objects_v2(Bucket=server.bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


@pytest.mark.django_db
def test_readiness_asks_s3_about_the_bucket_without_writing_an_object(client, s3_media):
    before = bucket_keys(s3_media)
    for _ in range(3):
        health.forget()
        assert client.get("/readyz").json()["checks"]["storage"] == "up"
    assert bucket_keys(s3_media) == before


@pytest.mark.django_db
def test_readiness_is_503_when_the_bucket_is_missing(client, s3_media, settings):
    options = {**settings.STORAGES["default"]["OPTIONS"], "bucket_name": "no-such-bucket"}
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": options}}
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "down"
    assert "no-such-bucket" not in response.content.decode()
