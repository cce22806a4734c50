"""The demo as the public first sees it: a program a few months in, whose report shows real figures."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from accounts.models import DataExport
from portal.models import User
from programs.models import LedgerLine, TimeEntry
from submissions.models import Appeal, Video, VideoReview
from tests.conftest import DEMO_SEEDED_AT
from transparency.current import build, report_for
from transparency.models import TransparencyRelease, TransparencySnapshot

pytestmark = pytest.mark.django_db


def test_the_demo_report_shows_its_approval_figures_with_a_few_withheld(demo):
    approval = build(demo)["whole_program"]["approval"]
    shown = ["videos_submitted", "approved_by_reviewers", "approved_by_deadline", "changes_requested", "rejected"]
    shown += ["appealed", "published", "decision_hours_median", "decisions_inside_deadline_share"]
    assert all(approval[name] is not None for name in shown), {name: approval[name] for name in shown}
    assert all(reason["rejections"] for reason in approval["rejections_by_reason"].values())
    assert None in approval.values()  # and some cells from fewer than 5 artists are withheld, as in life
    # Reviewers took hours to days, not seconds; some deadlines were missed.
    assert Decimal("2") < Decimal(approval["decision_hours_median"]) < Decimal(approval["decision_hours_p90"])
    assert Decimal("0.5") < Decimal(approval["decisions_inside_deadline_share"]) < 1


def test_the_demo_public_report_is_its_first_release_with_months_of_figures(demo):
    """The public report is a release (see transparency.releases): the demo's covers the program's months
    since its first invitations, with figures in them, and its snapshot is a copy of it."""
    report = report_for(demo)
    release = TransparencyRelease.objects.get(program=demo)
    assert report == release.data == TransparencySnapshot.objects.get(program=demo).data
    months = [month for month in report["months"] if month["work"]["hours_logged"] not in (None, "0.00")]
    assert len(months) >= 3 and report["first_month"] <= "2026-08"
    assert report["whole_program"]["people"]["artists_active"] >= 5


def test_every_demo_video_has_a_history_in_the_past_in_order(demo):
    now = DEMO_SEEDED_AT
    for review in VideoReview.objects.select_related("video"):
        times = [review.opened_at, review.decided_at, review.published_at]
        assert all(t <= now for t in times if t), review.video.title
        if review.decided_at and review.approval_kind != VideoReview.ApprovalKind.WITHOUT_REVIEW:
            assert review.opened_at < review.decided_at, review.video.title  # (no review: approved on arrival)
    for video in Video.objects.all():
        events = list(video.events.order_by("pk").values_list("created_at", flat=True))
        assert events == sorted(events), video.title
    assert set(Appeal.objects.values_list("outcome", flat=True)) >= {"", "upheld", "overturned"}


def test_the_demo_has_a_ready_export_and_a_deleted_account_whose_money_stays(demo):
    ready = DataExport.objects.get(status=DataExport.Status.READY)
    assert ready.file and ready.expires_at > DEMO_SEEDED_AT
    deleted = User.objects.get(deleted_at__isnull=False)
    assert "haddad" not in deleted.email.lower() and deleted.display_name == ""
    assert TimeEntry.objects.filter(user=deleted, status="approved").count() == 6
    assert LedgerLine.objects.filter(user=deleted, kind="paid").exists()
    assert deleted.enrolments.get(program=demo).status == "left"
    call_command("seed_demo", force=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert User.objects.filter(deleted_at__isnull=False).count() == 1 and DataExport.objects.count() == 1
