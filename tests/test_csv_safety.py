"""Every CSV the portal writes goes through core.csv: no cell a spreadsheet could run as a formula.

A hostile artist (name, signup address, award title, reasons and notes that start like formulas) is walked
through every CSV view and export of the project; every cell of every file is checked.
"""

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.personal_data.archive import write_archive
from core.csv import FORMULA_START, safe_cell
from programs.models import LedgerLine, PayoutRun
from programs.services import compensation, payout_runs
from tests.conftest import enrol, make_rate_card, make_user
from transparency.services import transparency_snapshot_publish

pytestmark = pytest.mark.django_db
HOSTILE_EMAIL = "=cmd|'/Ccalc'!A0@evil.test"
HOSTILE = ['=HYPERLINK("http://evil.test")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\tTAB", "\rCR"]
NUMBER = re.compile(r"-?\d+(\.\d+)?")


@pytest.mark.parametrize("value", [*HOSTILE, HOSTILE_EMAIL])
def test_a_cell_that_starts_like_a_formula_is_neutralised(value):
    assert safe_cell(value) == f"'{value}"


@pytest.mark.parametrize("value", ["-30.00", "12", "0.5", "Ada", "", None, True])
def test_numbers_and_plain_text_stay_as_they_are(value):
    assert safe_cell(value) == {None: "", True: "true"}.get(value, value)


def assert_safe(rows: list[list[str]], where: str) -> None:
    assert rows, f"{where} wrote nothing"
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_START) or NUMBER.fullmatch(cell), f"{where}: unsafe cell {cell!r}"


def read(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))


@pytest.fixture
def hostile(program, staff, superuser):
    make_rate_card(program)
    villain = make_user(HOSTILE_EMAIL, display_name=HOSTILE[0])
    enrol(villain, program)
    today = timezone.localdate()
    for n, title in enumerate(HOSTILE):
        compensation.award_record(user=villain, program=program, title=title, amount="10.00", reason=HOSTILE[-n],
                                  idempotency_key=f"h{n}", actor=staff)  # fmt: skip
    entry = compensation.timeentry_log(user=villain, program=program, worked_on=today, minutes=60,
                                       category="testing", note=HOSTILE[2])  # fmt: skip
    compensation.timeentry_approve(entry=entry, actor=staff)
    line = LedgerLine.objects.filter(user=villain).first()
    compensation.line_reverse(line=line, reason=HOSTILE[3], actor=staff)
    run = payout_runs.payoutrun_confirm(run=payout_runs.payoutrun_create(program=program, currency="EUR",
                                                                         actor=staff), actor=staff)  # fmt: skip
    snapshot = transparency_snapshot_publish(program=program, actor=staff)
    return {"villain": villain, "run": run, "snapshot": snapshot, "today": today}


def _csv_views(program, hostile):
    today, run = hostile["today"], hostile["run"]
    month = {"slug": program.slug, "year": today.year, "month": today.month}
    return {
        "compensation:statement_csv": (hostile["villain"], reverse("compensation:statement_csv", kwargs=month)),
        "programs:payoutrun_csv": ("staff", reverse("programs:payoutrun_csv", args=[program.slug, run.pk])),
        "transparency:report_csv": (None, reverse("transparency:report_csv", args=[program.slug])),
        "transparency:snapshot_csv": (
            None,
            reverse("transparency:snapshot_csv", args=[program.slug, hostile["snapshot"].published_on]),
        ),
    }


def _named_csv_routes() -> set[str]:
    """Every URL pattern of the project whose route ends in .csv, by its namespaced name."""
    found = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and str(pattern.pattern).endswith(".csv"):
                found.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return found


def test_every_csv_view_neutralises_hostile_cells(client, program, staff, hostile):
    views = _csv_views(program, hostile)
    assert _named_csv_routes() == set(views), "a new CSV view must be walked here"
    for name, (who, url) in views.items():
        if who is not None:
            client.force_login(staff if who == "staff" else who)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv"), name
        rows = read(response.content)
        assert_safe(rows, name)
        client.logout()


def test_the_payout_csv_names_the_hostile_payee_safely(client, program, staff, hostile):
    client.force_login(staff)
    rows = read(client.get(reverse("programs:payoutrun_csv", args=[program.slug, hostile["run"].pk])).content)
    villain_row = next(row for row in rows if "evil.test" in row[3])
    assert villain_row[2:4] == [f"'{HOSTILE[0]}", f"'{hostile['villain'].email}"]


def test_the_admin_payout_export_neutralises_hostile_cells(client, superuser, hostile):
    client.force_login(superuser)
    changelist = reverse("admin:programs_payoutrun_changelist")
    response = client.post(changelist, {"action": "export_csv", "_selected_action": [hostile["run"].pk]})
    assert response["Content-Type"].startswith("text/csv")
    assert_safe(read(response.content), "admin payout export")
    assert PayoutRun.objects.filter(status="confirmed").count() == 1


def test_the_personal_data_export_neutralises_hostile_cells(hostile):
    target = io.BytesIO()
    write_archive(hostile["villain"], target, progress=lambda *_: None)
    with zipfile.ZipFile(target) as archive:
        names = [name for name in archive.namelist() if name.endswith(".csv")]
        assert "profile.csv" in names and "credits.csv" in names
        for name in names:
            assert_safe(read(archive.read(name)) or [[""]], name)
        assert f"'{hostile['villain'].email}" in archive.read("profile.csv").decode()


def test_nothing_writes_csv_except_through_portal_csv():
    root = Path(settings.BASE_DIR)
    offenders = []
    for app in ("portal", "programs", "submissions"):
        for path in (root / app).rglob("*.py"):
            if path == root / "portal" / "csv.py":
                continue
            text = path.read_text(encoding="utf-8")
            if re.search(r"csv\.writer\(|DictWriter|text/csv", text):
                offenders.append(str(path.relative_to(root)))
    assert offenders == [], "write CSV through core.csv (csv_response or SafeWriter)"
