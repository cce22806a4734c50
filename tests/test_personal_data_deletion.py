"""/me/delete/: personal data erased or anonymised; money, hours, decisions and reports kept, so totals hold."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.usersessions.models import UserSession
from django.contrib.auth import SESSION_KEY
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from accounts.models import DataExport
from accounts.personal_data import exports
from accounts.personal_data.deletion import account_delete
from portal.models import User
from programs.models import (
    AgreementAcceptance,
    Application,
    ConsentRecord,
    Credit,
    Enrolment,
    EnrolmentEvent,
    Invitation,
    LedgerLine,
    ProgramRole,
    TimeEntry,
)
from programs.services import compensation as comp
from submissions.models import BugReport, Decision, Feedback, ReportNotice, Screenshot, Video, VideoEvent, VideoSigning
from submissions.services import approvals
from tests.approval_helpers import setup_review, video_in_review
from tests.conftest import PASSWORD
from tests.personal_data_world import two_artists_with_everything
from tests.transparency_world import seed_report_world
from transparency.current import build
from transparency.report import compute

pytestmark = pytest.mark.django_db
E = Enrolment.Status


# --- Deletion keeps the report's totals ------------------------------------------------------------------
def flatten(value, path: str = "") -> dict[str, object]:
    if isinstance(value, dict):
        return {k: v for key, item in value.items() for k, v in flatten(item, f"{path}/{key}").items()}
    if isinstance(value, list) and value and isinstance(value[0], dict) and "month" in value[0]:
        return {k: v for item in value for k, v in flatten(item, f"{path}/{item['month']}").items()}
    return {path: value}


@pytest.fixture
def transparency_program(program, staff, reviewer):
    """The report world, plus videos of its first artist: published, rejected and appealed, still in review."""
    people = seed_report_world(program, staff)
    rules = setup_review(program, safety=[reviewer], lead=[reviewer], distinct_people=False)
    leaver = people[0]
    for person in (leaver, people[1]):
        published = video_in_review(person, program)
        for _ in range(2):
            approvals.review_decide(video_id=published.pk, reviewer=reviewer, outcome="approve")
        approvals.video_publish(video_id=published.pk, artist=person)
        rejected = video_in_review(person, program)
        approvals.review_decide(
            video_id=rejected.pk, reviewer=reviewer, outcome="reject", reason_code=rules["code"], note="A real person."
        )
        approvals.video_appeal(video_id=rejected.pk, artist=person, statement="It is me in the video.")
    video_in_review(leaver, program)
    return leaver


def raw_cells(program, now) -> dict[tuple, object]:
    """Every figure before suppression: (period, figure, dimension) -> value."""
    return {key: cell.value for key, cell in compute(program, now=now).cells.items()}


def test_deletion_keeps_totals(program, transparency_program, django_capture_on_commit_callbacks):
    leaver = transparency_program
    assert TimeEntry.objects.filter(user=leaver, status="approved").exists()
    assert LedgerLine.objects.filter(user=leaver).exists() and BugReport.objects.filter(reporter=leaver).exists()
    assert Decision.objects.filter(video__artist=leaver).count() == 3 and Feedback.objects.filter(author=leaver)
    now = timezone.now()
    report_before, cells_before = flatten(build(program, now=now)), raw_cells(program, now)
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=leaver)
    now = timezone.now()
    report_after, cells_after = flatten(build(program, now=now)), raw_cells(program, now)

    month = f"{timezone.localdate():%Y-%m}"
    # Money, work and approval figures are untouched; the artist moved from active to left, nothing else.
    changed = {key for key in cells_before.keys() | cells_after.keys() if cells_before.get(key) != cells_after.get(key)}
    assert changed == {("all", "artists_active", ""), (month, "artists_active", ""), ("all", "artists_left", "")}
    for period in ("all", month):
        assert cells_after[(period, "artists_active", "")] == cells_before[(period, "artists_active", "")] - 1
    assert cells_after[("all", "artists_left", "")] == cells_before[("all", "artists_left", "")] + 1
    # The published report: "left" stays "fewer than 5" either side, so only the active counts show the move.
    changed = {path for path in report_before.keys() | report_after.keys()
               if report_before.get(path) != report_after.get(path)} - {"/generated_at"}  # fmt: skip
    assert changed == {"/whole_program/people/artists_active", f"/months/{month}/people/artists_active"}


# --- What is erased, what is kept --------------------------------------------------------------------------
@pytest.fixture
def world(program, artist, other_artist, reviewer, staff):
    return two_artists_with_everything(
        program, artist=artist, other_artist=other_artist, reviewer=reviewer, staff=staff
    )


def test_personal_data_is_erased_and_contributions_kept(world, artist, django_capture_on_commit_callbacks):
    mine = world["mine"]
    with django_capture_on_commit_callbacks(execute=True):
        exports.export_request(user=artist)
    export = DataExport.objects.get(user=artist)
    files = [export.file.name, *Video.objects.filter(artist=artist).values_list("file", flat=True),
             *Screenshot.objects.filter(report__reporter=artist).values_list("file", flat=True),
             *VideoSigning.objects.filter(video__artist=artist).values_list("file", flat=True)]  # fmt: skip
    assert VideoSigning.objects.filter(video__artist=artist).exists()
    assert all(default_storage.exists(name) for name in files)
    kept = {model: model.objects.filter(**{field: artist}).count() for model, field in (
        (LedgerLine, "user"), (Credit, "user"), (TimeEntry, "user"), (Decision, "video__artist"),
        (Video, "artist"), (Feedback, "author"))}  # fmt: skip

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=artist)

    user = User.objects.get(pk=artist.pk)
    row = " ".join(str(getattr(user, f.attname)) for f in User._meta.concrete_fields)
    for personal in ("artist@example.com", "Ada Artist", "Ada"):
        assert personal not in row
    assert user.is_deleted and not user.is_active and not user.has_usable_password() and user.public_credit
    assert str(user) == "Deleted account" and user.email.endswith("@deleted.invalid")
    assert not EmailAddress.objects.filter(user=user) and not EmailAddress.objects.filter(email="artist@example.com")
    assert not Authenticator.objects.filter(user=user) and not UserSession.objects.filter(user=user)
    assert not ProgramRole.objects.filter(user=user) and not DataExport.objects.filter(user=user)
    assert not any(default_storage.exists(name) for name in files), "files left in storage"
    assert {model: model.objects.filter(**{field: user}).count() for model, field in (
        (LedgerLine, "user"), (Credit, "user"), (TimeEntry, "user"), (Decision, "video__artist"),
        (Video, "artist"), (Feedback, "author"))} == kept  # fmt: skip

    place = Enrolment.objects.get(user=user, program=world["rules"]["code"].program)
    assert place.status == E.LEFT
    assert EnrolmentEvent.objects.filter(enrolment=place, to_status=E.LEFT, actor=user,
                                         reason="The artist deleted their account.").exists()  # fmt: skip
    consent = ConsentRecord.objects.filter(user=user).order_by("-version").first()
    assert (consent.training, consent.marketing, consent.showcase, consent.ip_address) == (False, False, False, None)
    assert not AgreementAcceptance.objects.filter(enrolment__user=user).exclude(ip_address=None)
    assert Application.objects.get(user=user).statement == ""
    (invitation,) = Invitation.objects.filter(user=user)
    assert invitation.status == Invitation.Status.DECLINED and "artist@example.com" not in invitation.email

    published, pending = Video.objects.get(pk=mine["published"].pk), Video.objects.get(pk=mine["pending"].pk)
    assert (published.status, pending.status) == (Video.Status.UNPUBLISHED, Video.Status.WITHDRAWN)
    assert not published.file and not published.poster and not published.thumbnails.exists()
    signing = published.signings.get()  # the hash of the copy stays; the copy and what it said of the artist go
    assert (signing.file.name, signing.claims, signing.manifest) == ("", {}, {}) and signing.sha256
    assert VideoEvent.objects.filter(video=published, to_status="unpublished", reason__contains="deleted").exists()
    assert published.review.published_at is not None  # it was published: the public record says so
    assert not BugReport.objects.filter(pk=mine["draft"].pk) and BugReport.objects.filter(pk=mine["report"].pk)
    assert not Screenshot.objects.filter(report__reporter=user) and not ReportNotice.objects.filter(user=user)


def test_other_people_keep_everything(world, artist, other_artist, django_capture_on_commit_callbacks):
    theirs = world["theirs"]
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=artist)
    other = User.objects.get(pk=other_artist.pk)
    assert other.is_active and other.email == "other@example.com"
    assert Video.objects.get(pk=theirs["published"].pk).status == Video.Status.PUBLISHED
    assert default_storage.exists(Video.objects.get(pk=theirs["published"].pk).file.name)
    assert Screenshot.objects.filter(report__reporter=other).exists()
    assert Enrolment.objects.get(user=other, program=theirs["report"].program).status == E.ACTIVE


# --- The pages --------------------------------------------------------------------------------------------
def reauthenticate_with_password(client) -> None:
    response = client.post(f"{reverse('account_reauthenticate')}?next={reverse('personal_data:delete')}",
                           {"password": PASSWORD})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == reverse("personal_data:delete")


def test_deleting_through_the_page_signs_out_and_login_no_longer_works(client, artist):
    client.force_login(artist)
    page = client.get(reverse("personal_data:delete")).text
    assert "What is kept, without your name" in page and "Confirm it is me" in page
    assert 'name="email"' not in page  # no form before re-authentication
    reauthenticate_with_password(client)
    assert 'name="email"' in client.get(reverse("personal_data:delete")).text
    response = client.post(reverse("personal_data:delete_confirm"), {"email": " Artist@Example.com "})
    assert response.status_code == 302 and response["Location"] == reverse("personal_data:deleted")
    assert SESSION_KEY not in client.session
    assert "Your account is deleted" in client.get(reverse("personal_data:deleted")).text
    assert User.objects.get(pk=artist.pk).is_deleted
    assert not client.login(email="artist@example.com", password=PASSWORD)
    response = client.post(reverse("account_login"), {"login": "artist@example.com", "password": PASSWORD})
    assert response.status_code == 200 and SESSION_KEY not in client.session


def test_the_email_can_sign_up_again_as_a_new_account(client, artist):
    account_delete(user=artist)
    response = client.post(
        reverse("account_signup"), {"email": "artist@example.com", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    newcomer = User.objects.get(email="artist@example.com")
    assert newcomer.pk != artist.pk and not newcomer.is_deleted


def test_a_wrong_email_is_refused_and_nothing_changes(client, artist):
    client.force_login(artist)
    reauthenticate_with_password(client)
    response = client.post(reverse("personal_data:delete_confirm"), {"email": "someone@example.com"})
    assert response.status_code == 400
    assert "That is not this account&#x27;s email address. Nothing was deleted." in response.text
    artist.refresh_from_db()
    assert artist.is_active and not artist.is_deleted and artist.email == "artist@example.com"
    assert Enrolment.objects.get(user=artist).status == E.ACTIVE


def test_get_deletes_nothing_and_confirming_needs_post(client, artist):
    client.force_login(artist)
    reauthenticate_with_password(client)
    assert client.get(reverse("personal_data:delete")).status_code == 200
    assert client.get(reverse("personal_data:delete_confirm"), {"email": artist.email}).status_code == 405
    artist.refresh_from_db()
    assert artist.is_active and not artist.is_deleted


def test_deleting_needs_a_fresh_confirmation_of_identity(client, artist):
    client.force_login(artist)
    response = client.post(reverse("personal_data:delete_confirm"), {"email": artist.email}, follow=True)
    assert "Confirm it is you first" in response.text
    artist.refresh_from_db()
    assert artist.is_active and not artist.is_deleted


def test_an_account_with_totp_must_confirm_with_it_not_the_password(client, artist):
    secret = generate_totp_secret()
    TOTP.activate(artist, secret)
    client.force_login(artist)
    page = client.get(reverse("personal_data:delete")).text
    assert f"{reverse('mfa_reauthenticate')}?next=" in page and "your second factor" in page
    client.post(f"{reverse('account_reauthenticate')}?next=/me/delete/", {"password": PASSWORD})
    client.post(reverse("personal_data:delete_confirm"), {"email": artist.email})
    artist.refresh_from_db()
    assert not artist.is_deleted, "a password alone deleted an account protected by TOTP"
    code = format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))
    response = client.post(f"{reverse('mfa_reauthenticate')}?next=/me/delete/", {"code": code})
    assert response.status_code == 302 and response["Location"] == reverse("personal_data:delete")
    response = client.post(reverse("personal_data:delete_confirm"), {"email": artist.email})
    assert response["Location"] == reverse("personal_data:deleted")
    assert User.objects.get(pk=artist.pk).is_deleted and not Authenticator.objects.filter(user_id=artist.pk)


def test_nobody_can_delete_someone_elses_account(client, artist, other_artist):
    """The page acts on the signed-in person only: naming another account's email is a wrong confirmation."""
    client.force_login(other_artist)
    reauthenticate_with_password(client)
    response = client.post(reverse("personal_data:delete_confirm"), {"email": artist.email, "user": artist.pk})
    assert response.status_code == 400
    assert User.objects.filter(is_active=True, deleted_at=None).filter(pk__in=[artist.pk, other_artist.pk]).count() == 2
    client.logout()
    assert client.post(reverse("personal_data:delete_confirm"), {"email": artist.email}).status_code == 302
    assert not User.objects.get(pk=artist.pk).is_deleted


def test_deleting_twice_is_refused(artist):
    account_delete(user=artist)
    from accounts.personal_data.deletion import AccountDeletionRefused

    with pytest.raises(AccountDeletionRefused):
        account_delete(user=User.objects.get(pk=artist.pk))


def test_the_page_says_how_much_money_deleting_would_give_up(client, artist, program, staff, rate_card):
    client.force_login(artist)
    assert 'id="still-owed"' not in client.get(reverse("personal_data:delete")).text
    comp.award_record(
        user=artist, program=program, title="Bug of the month", amount="40.00", currency="EUR",
        reason="The clearest report this month.", idempotency_key="owed-award", actor=staff,
    )  # fmt: skip
    page = client.get(reverse("personal_data:delete")).text
    assert 'id="still-owed"' in page and "€40.00 in Lumen" in page
