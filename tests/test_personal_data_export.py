"""/me/export/: a ZIP of everything about the person, built by a Celery task, kept 24 hours, only for its owner."""

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from accounts.models import DataExport
from accounts.personal_data import exports
from accounts.personal_data.archive import records_label, write_archive
from accounts.personal_data.records import KINDS, LEFT_OUT
from accounts.tasks import build_data_export, tidy_data_exports
from programs.models import AgreementAcceptance, AgreementVersion, TimeEntry
from programs.services.compensation import timeentry_log
from submissions.models import Screenshot, Video
from tests.conftest import make_user
from tests.personal_data_world import two_artists_with_everything

pytestmark = pytest.mark.django_db
S = DataExport.Status
OTHER_PEOPLE = ["OTTO-ONLY", "other@example.com", "Otto Other", "reviewer@example.com", "Rita Reviewer",
                "staff@example.com", "Sam Staff"]  # fmt: skip


@pytest.fixture
def world(program, artist, other_artist, reviewer, staff):
    return two_artists_with_everything(
        program, artist=artist, other_artist=other_artist, reviewer=reviewer, staff=staff
    )


def built_export(user, capture) -> DataExport:
    with capture(execute=True):
        export, started = exports.export_request(user=user)
    assert started
    export.refresh_from_db()
    return export


def open_zip(export: DataExport) -> zipfile.ZipFile:
    with default_storage.open(export.file.name, "rb") as stored:
        return zipfile.ZipFile(io.BytesIO(stored.read()))


def records(archive: zipfile.ZipFile, name: str) -> list[dict]:
    return json.loads(archive.read(f"{name}.json"))["records"]


def links_to_a_person(model) -> bool:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return any(
        field.related_model is user_model and (field.concrete or field.many_to_many) and not field.auto_created
        for field in model._meta.get_fields()
    )


# --- What the ZIP holds ----------------------------------------------------------------------------------
def test_every_model_that_links_to_a_person_is_exported_or_left_out_with_a_reason():
    linked = {model._meta.label for model in apps.get_models() if links_to_a_person(model)}
    exported = {kind.model._meta.label for kind in KINDS}
    unaccounted = linked - exported - set(LEFT_OUT)
    assert not unaccounted, f"linked to the user, but neither exported nor explained in LEFT_OUT: {unaccounted}"
    assert set(LEFT_OUT) <= linked - exported, "LEFT_OUT names a model that is exported or has no link to a user"
    assert all(reason.strip() for reason in LEFT_OUT.values())
    assert len({kind.name for kind in KINDS}) == len(KINDS)


def test_export_contains_every_record_kind_and_nothing_of_other_artists(
    world, artist, django_capture_on_commit_callbacks
):
    export = built_export(artist, django_capture_on_commit_callbacks)
    assert (export.status, export.progress) == (S.READY, 100)
    assert export.expires_at == export.ready_at + dt.timedelta(hours=24)
    archive = open_zip(export)
    names = set(archive.namelist())
    readme = archive.read("README.txt").decode()
    for kind in KINDS:
        assert {f"{kind.name}.json", f"{kind.name}.csv"} <= names, kind.name
        rows = records(archive, kind.name)
        assert rows, f"{kind.name} is empty: the world should hold a record of every kind"
        assert all(list(row) == list(kind.fields) for row in rows)
        table = list(csv.reader(io.StringIO(archive.read(f"{kind.name}.csv").decode("utf-8"))))
        assert table[0] == list(kind.fields) and len(table) == len(rows) + 1, kind.name
        assert f"{kind.name}.json, {kind.name}.csv ({records_label(len(rows))})" in readme
    everything = b"".join(archive.read(name) for name in names)
    assert b"ADA-OWN" in everything
    for text in OTHER_PEOPLE:
        assert text.encode() not in everything, f"{text!r} leaked into the artist's export"
    assert {row["id"] for row in records(archive, "videos")} == set(
        Video.objects.filter(artist=artist).values_list("pk", flat=True)
    )


def test_the_agreement_texts_are_byte_exact_and_screenshots_included(world, artist, django_capture_on_commit_callbacks):
    archive = open_zip(built_export(artist, django_capture_on_commit_callbacks))
    acceptance = AgreementAcceptance.objects.get(enrolment__user=artist)
    (row,) = records(archive, "agreement_acceptances")
    text = archive.read(row["text_file"])
    assert row["text_file"] == f"agreements/{acceptance.version.program.slug}-v1.txt"
    assert hashlib.sha256(text).hexdigest() == acceptance.content_hash == row["content_hash"]
    shot = Screenshot.objects.get(report__reporter=artist)
    (shot_row,) = records(archive, "screenshots")
    with default_storage.open(shot.file, "rb") as stored:
        assert archive.read(shot_row["file"]) == stored.read()


def test_decisions_and_history_name_nobody_but_you(world, artist, django_capture_on_commit_callbacks):
    archive = open_zip(built_export(artist, django_capture_on_commit_callbacks))
    decisions = records(archive, "decisions")
    assert {d["outcome"] for d in decisions} == {"approve", "reject"}
    rejection = next(d for d in decisions if d["outcome"] == "reject")
    assert (rejection["reason_code"], rejection["note"]) == ("3.2", "ADA-OWN real person")
    actors = {row["actor"] for name in ("video_events", "enrolment_events", "bug_report_events") for row in
              records(archive, name)}  # fmt: skip
    assert actors <= {"you", "staff", "system"} and "staff" in actors and "you" in actors
    assert "reviewer" not in json.dumps(decisions)
    assert records(archive, "appeals")[0]["statement"] == "ADA-OWN it is me"


def test_money_is_exact_and_csv_cells_cannot_run_as_formulas(
    program, artist, rate_card, django_capture_on_commit_callbacks
):
    timeentry_log(user=artist, program=program, worked_on=timezone.localdate(), minutes=45, category="testing",
                  note='=HYPERLINK("http://evil.example")')  # fmt: skip
    archive = open_zip(built_export(artist, django_capture_on_commit_callbacks))
    (entry,) = records(archive, "time_entries")
    assert entry["note"] == '=HYPERLINK("http://evil.example")' and entry["hours"] == "0.75"
    table = list(csv.DictReader(io.StringIO(archive.read("time_entries.csv").decode())))
    assert table[0]["note"] == '\'=HYPERLINK("http://evil.example")'


def test_amounts_are_exported_with_their_currencys_decimals(world, artist, django_capture_on_commit_callbacks):
    archive = open_zip(built_export(artist, django_capture_on_commit_callbacks))
    prize = next(line for line in records(archive, "ledger") if "prize" in line["label"])
    assert (prize["amount"], prize["currency"]) == ("50.00", "EUR")  # stored with three decimals, EUR has two
    assert {
        credit["amount"].count(".") and len(credit["amount"].split(".")[1]) for credit in records(archive, "credits")
    } == {2}


# --- The task -------------------------------------------------------------------------------------------------
def test_a_double_request_starts_one_export(artist):
    first, started = exports.export_request(user=artist)
    again, started_again = exports.export_request(user=artist)
    assert started and not started_again and again.pk == first.pk
    assert DataExport.objects.filter(user=artist).count() == 1
    with pytest.raises(IntegrityError):  # the database holds the rule too, for requests that race
        DataExport.objects.create(user=artist)


def test_the_task_builds_once_and_a_repeat_does_nothing(artist):
    export, _ = exports.export_request(user=artist)
    assert build_data_export.delay(export.pk).get() == S.READY
    assert build_data_export.delay(export.pk).get() == "nothing to do"
    export.refresh_from_db()
    assert export.status == S.READY and default_storage.exists(export.file.name)
    assert export.sha256 == hashlib.sha256(default_storage.open(export.file.name).read()).hexdigest()


def test_progress_rises_through_the_record_kinds(artist):
    seen = []
    write_archive(artist, io.BytesIO(), progress=lambda percent, stage: seen.append((percent, stage)))
    percents = [percent for percent, _ in seen]
    assert percents == sorted(percents) and percents[0] == 0 and percents[-1] < 100
    assert len(seen) == len(KINDS) + 2 and any("ledger" in stage for _, stage in seen)


def test_progress_is_recorded_only_for_the_task_that_claimed_it(artist):
    export, _ = exports.export_request(user=artist)
    assert exports.export_claim(export_id=export.pk, claim="task-1") is not None
    assert exports.export_claim(export_id=export.pk, claim="task-2") is None
    exports.export_progress(export_id=export.pk, claim="task-2", percent=50, stage="Collecting videos")
    exports.export_progress(export_id=export.pk, claim="task-1", percent=40, stage="Collecting ledger")
    export.refresh_from_db()
    assert (export.status, export.progress, export.stage) == (S.BUILDING, 40, "Collecting ledger")


def test_a_failed_build_is_recorded_for_the_person(world, artist, django_capture_on_commit_callbacks):
    AgreementVersion.objects.filter(acceptances__enrolment__user=artist).update(body="Edited after acceptance.")
    with django_capture_on_commit_callbacks(execute=True):
        export, _ = exports.export_request(user=artist)
    export.refresh_from_db()
    assert export.status == S.FAILED and not export.file and "Prepare a new one" in export.error
    assert not default_storage.exists(f"exports/{export.token}/{exports.ARCHIVE_NAME}")


def test_exports_expire_after_24_hours_and_their_files_are_deleted(client, artist, django_capture_on_commit_callbacks):
    export = built_export(artist, django_capture_on_commit_callbacks)
    name = export.file.name
    client.force_login(artist)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=23, minutes=59), tick=False):
        assert tidy_data_exports.delay().get()["expired"] == 0
    with time_machine.travel(timezone.now() + dt.timedelta(hours=24, minutes=1), tick=False):
        response = client.get(reverse("personal_data:export_download", args=[export.pk]))
        assert response.status_code == 410 and "This export has expired" in response.text
        with django_capture_on_commit_callbacks(execute=True):
            assert tidy_data_exports.delay().get()["expired"] == 1
    export.refresh_from_db()
    assert export.status == S.EXPIRED and not export.file and not default_storage.exists(name)
    assert client.get(reverse("personal_data:export_download", args=[export.pk])).status_code == 410


def test_stalled_builds_fail_and_lost_ones_are_sent_again(artist, other_artist):
    stalled, _ = exports.export_request(user=artist)
    exports.export_claim(export_id=stalled.pk, claim="dead-worker")
    lost, _ = exports.export_request(user=other_artist)
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1), tick=False):
        assert tidy_data_exports.delay().get() == {"expired": 0, "failed": 1, "requeued": 1}
    stalled.refresh_from_db()
    assert stalled.status == S.FAILED and "took far longer" in stalled.error
    assert DataExport.objects.get(pk=lost.pk).status == S.QUEUED  # sent again; the task claims it when it runs


# --- The pages -------------------------------------------------------------------------------------------
def test_the_page_polls_while_an_export_is_prepared_and_offers_the_download_when_ready(client, artist):
    export, _ = exports.export_request(user=artist)  # the task runs after commit, which this test never does
    client.force_login(artist)
    page = client.get(reverse("personal_data:export")).text
    status_url = reverse("personal_data:export_status", args=[export.pk])
    assert f'hx-get="{status_url}"' in page and "<progress" in page and "Reload to see how far it is" in page
    exports.export_build(export_id=export.pk, claim="test")
    row = client.get(status_url, HTTP_HX_REQUEST="true").text
    assert row.strip().startswith("<tr") and "hx-get" not in row
    assert reverse("personal_data:export_download", args=[export.pk]) in row and "Ready to download" in row


def test_requesting_twice_from_the_page_starts_one_export(client, artist):
    client.force_login(artist)
    client.post(reverse("personal_data:export_request"))
    response = client.post(reverse("personal_data:export_request"), follow=True)
    assert "already being prepared" in response.text
    assert DataExport.objects.filter(user=artist).count() == 1
    assert client.get(reverse("personal_data:export_request")).status_code == 405


def test_only_the_owner_can_download(client, artist, other_artist, staff, django_capture_on_commit_callbacks):
    export = built_export(artist, django_capture_on_commit_callbacks)
    url = reverse("personal_data:export_download", args=[export.pk])
    client.force_login(artist)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment") and response["Cache-Control"] == "private, no-store"
    assert zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).read("profile.json")
    for outsider in (other_artist, staff, make_user("root@example.com", is_staff=True, is_superuser=True)):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.get(reverse("personal_data:export_status", args=[export.pk])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_an_unfinished_export_cannot_be_downloaded(client, artist):
    export, _ = exports.export_request(user=artist)
    client.force_login(artist)
    response = client.get(reverse("personal_data:export_download", args=[export.pk]))
    assert response.status_code == 404 and "still being prepared" in response.text


def test_the_dashboard_links_to_my_data(client, artist):
    client.force_login(artist)
    page = client.get(reverse("dashboard")).text
    assert reverse("personal_data:export") in page and reverse("personal_data:delete") in page


def test_time_entries_of_the_export_are_the_persons_only(world, artist, django_capture_on_commit_callbacks):
    archive = open_zip(built_export(artist, django_capture_on_commit_callbacks))
    assert {row["id"] for row in records(archive, "time_entries")} == set(
        TimeEntry.objects.filter(user=artist).values_list("pk", flat=True)
    )
