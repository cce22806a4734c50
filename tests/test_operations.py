"""Operations guards: the demo loader refuses on a real site, and `check --deploy` refuses a placeholder key."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from portal.checks import example_secret_keys
from portal.models import User

ROOT = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug_or_force_and_loads_nothing(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match=r"DEBUG=1.*--force"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.filter(email__endswith="@demo.glasshouse.test").exists()


@pytest.mark.django_db
def test_seed_demo_runs_with_debug_on(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo program ready" in out.getvalue()
    assert User.objects.filter(email__endswith="@demo.glasshouse.test").exists()


def test_the_example_environment_has_a_placeholder_key():
    assert example_secret_keys(), "the check compares against .env.production.example's SECRET_KEY"


@pytest.mark.parametrize(
    "key",
    [
        *sorted(example_secret_keys()),
        "change-me",
        "CHANGEME-" + "x" * 60,
        "replace-with-a-real-secret-key-of-at-least-fifty-characters-0123456789",
        "django-insecure-embedded-default-do-not-use-in-production",
    ],
)
def test_check_deploy_fails_on_a_placeholder_secret_key(settings, key):
    settings.SECRET_KEY = key
    with pytest.raises(SystemCheckError, match=r"portal\.E001"):
        call_command("check", deploy=True, tags=["security"], stdout=io.StringIO(), stderr=io.StringIO())


def test_check_deploy_accepts_a_random_key(settings):
    settings.SECRET_KEY = "k7Qw2-Zr9uVb1XyTn4Lm8PsD0aHf3JcGe6RtYi5OoKvBnMx2WqS7zA9dFgHjKlPo"
    out = io.StringIO()
    call_command("check", deploy=True, tags=["security"], fail_level="ERROR", stdout=out, stderr=io.StringIO())
    assert "portal.E001" not in out.getvalue()


def test_boto3_and_botocore_are_pinned_for_run_time():
    runtime = (ROOT / "requirements.txt").read_text()
    for package in ("boto3", "botocore"):
        assert re.search(rf"^{package}==\S+$", runtime, re.M), f"{package} must be pinned in requirements.txt"
