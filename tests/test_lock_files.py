"""The lock files pin what requirements*.txt name, at the same versions, each with hashes: a requirement changed
without `make lock` fails here rather than install something else in CI."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db  # the suite's autouse fixtures restore a group row
PIN = re.compile(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", re.MULTILINE)


def pins(path: Path) -> dict[str, str]:
    return {name.lower().replace("_", "-"): version for name, version in PIN.findall(path.read_text())}


@pytest.mark.parametrize(
    ("requirements", "lock"),
    [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")],
)
def test_every_requirement_is_locked_at_its_version(requirements, lock):
    wanted, locked = pins(ROOT / requirements), pins(ROOT / lock)
    assert wanted, requirements
    assert {name: locked.get(name) for name in wanted} == wanted


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_locked_package_carries_a_hash(lock):
    entries = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / lock).read_text())
    packages = [entry for entry in entries if PIN.match(entry)]
    assert packages and all("--hash=sha256:" in entry for entry in packages)


def test_the_production_lock_agrees_with_the_development_lock():
    production, development = pins(ROOT / "requirements.lock"), pins(ROOT / "requirements-dev.lock")
    assert {name: development.get(name) for name in production} == production
