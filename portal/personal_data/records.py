"""What a person's data export holds: one record kind per file, each with stable field names.

Every kind lists the rows of one model that are about the person (their own records, and the history, decisions
and answers on those records). Other people are never named: an `actor` column says "you", "staff" (program
staff or a reviewer, whoever it was) or "system". Records a person made in a staff or reviewer role are about
other people and are left out; tests/test_personal_data_export.py walks every model with a link to the user and
checks that each is either a kind here or listed in LEFT_OUT with the reason.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.core.files.storage import default_storage
from django.db.models import Model, Q

from portal.models import User
from programs.models import (
    AgreementAcceptance,
    Application,
    ApplicationEvent,
    ConsentRecord,
    Credit,
    Enrolment,
    EnrolmentEvent,
    Invitation,
    InvitationEvent,
    LedgerLine,
    PayoutRunItem,
    PendingCredit,
    ProgramRole,
    TimeEntry,
    TimeEntryEvent,
    TrustedPublisher,
)
from programs.models.agreements import content_hash
from submissions.models import (
    Appeal,
    BugReport,
    BugReportEvent,
    BugReportResponse,
    Decision,
    Feedback,
    FeedbackEvent,
    FeedbackResponse,
    MeToo,
    ReportNotice,
    Screenshot,
    Video,
    VideoEvent,
    VideoReview,
)

Row = dict[str, object]
Compute = Callable[[object, User], object]


@dataclass(frozen=True)
class RecordKind:
    """One file pair of the export, `<name>.json` and `<name>.csv`: a field is the record's attribute of that name,
    unless `computed` says how to derive it (from the record and the person)."""

    name: str
    model: type[Model]
    description: str
    fields: tuple[str, ...]
    query: Callable[[User], Iterable]
    computed: dict[str, Compute] = field(default_factory=dict)

    def rows(self, user: User) -> list[Row]:
        return [
            {name: self.computed[name](record, user) if name in self.computed else getattr(record, name)
             for name in self.fields}
            for record in self.query(user)
        ]  # fmt: skip


def actor(actor_id: int | None, user: User) -> str:
    """Who did it, without naming anyone else."""
    if actor_id is None:
        return "system"
    return "you" if actor_id == user.pk else "staff"


def agreement_path(acceptance: AgreementAcceptance) -> str:
    return f"agreements/{acceptance.version.program.slug}-v{acceptance.version.version}.txt"


def screenshot_path(shot: Screenshot) -> str:
    return f"screenshots/report-{shot.report_id}-{shot.pk}.{shot.extension}"


def acceptances_of(user: User):
    return (
        AgreementAcceptance.objects.filter(enrolment__user=user)
        .select_related("version__program")
        .order_by("accepted_at", "pk")
    )


def agreement_texts(user: User) -> Iterable[tuple[str, bytes]]:
    """Each accepted version's text, byte for byte as accepted: its SHA-256 is the recorded content_hash."""
    written = set()
    for acceptance in acceptances_of(user):
        path = agreement_path(acceptance)
        if path in written:
            continue
        body = acceptance.version.body
        if content_hash(body) != acceptance.content_hash:
            raise RuntimeError(f"Agreement version {acceptance.version_id} no longer matches its accepted hash.")
        written.add(path)
        yield path, body.encode("utf-8")


def screenshots_of(user: User):
    return Screenshot.objects.filter(report__reporter=user).order_by("report_id", "pk")


def _stored_screenshot(shot: Screenshot, _user: User) -> str:
    return screenshot_path(shot) if shot.file and default_storage.exists(shot.file) else ""


def via(path: str, default: object = None) -> Compute:
    """A field read along a path of attributes, e.g. via("program.slug"); `default` where a link is empty."""

    def read(record, _user: User) -> object:
        value = record
        for name in path.split("."):
            value = getattr(value, name)
            if value is None:
                return default
        return value

    return read


def _actor(record, user: User) -> str:
    return actor(record.actor_id, user)


def _author(record, user: User) -> str:
    return actor(record.author_id, user)


def _text_file(acceptance: AgreementAcceptance, _user: User) -> str:
    return agreement_path(acceptance)


PROGRAM, COHORT = via("program.slug"), via("cohort.name", "")
EVENT = "from_status to_status reason actor created_at"
REPORT_EVENT = "kind from_status to_status reason actor created_at"
RESPONSE = "author from_staff body created_at"


def _kind(name, model, description, fields: str, query, **computed) -> RecordKind:
    return RecordKind(name, model, description, tuple(fields.split()), query, computed)


KINDS: tuple[RecordKind, ...] = (
    # The account
    _kind("profile", User, "Your account: email, names, how you are credited, when you joined.",
          "email display_name credit_name credit_anonymous public_credit date_joined last_login staff_admin_access",
          lambda user: [user], staff_admin_access=via("is_staff")),
    _kind("email_addresses", EmailAddress, "The email addresses on your account and whether each is verified.",
          "email verified primary", lambda user: EmailAddress.objects.filter(user=user).order_by("pk")),
    _kind("second_factors", Authenticator, "Your second factors (authenticator app, recovery codes, passkeys): "
          "their kind and dates only, never their secrets.", "type created_at last_used_at",
          lambda user: Authenticator.objects.filter(user=user).order_by("pk")),
    _kind("sessions", UserSession, "Where you are signed in: address, browser, first and last seen.",
          "ip_address user_agent created_at last_seen_at",
          lambda user: UserSession.objects.filter(user=user).order_by("created_at"),
          ip_address=via("ip")),
    _kind("roles", ProgramRole, "Your reviewer or staff roles in programs.", "program role created_at",
          lambda user: ProgramRole.objects.filter(user=user).select_related("program").order_by("pk"),
          program=PROGRAM),
    # Joining programs
    _kind("applications", Application, "Your applications to programs, with your answers and the decision.",
          "id program status cohort portfolio_links statement answers decision_reason decided_at created_at",
          lambda user: Application.objects.filter(user=user).select_related("program", "cohort").order_by("pk"),
          program=PROGRAM, cohort=COHORT),
    _kind("application_events", ApplicationEvent, "Every change of your applications' status.",
          f"application_id {EVENT}",
          lambda user: ApplicationEvent.objects.filter(application__user=user).order_by("application_id", "pk"),
          actor=_actor),
    _kind("invitations", Invitation, "Invitations addressed to you (the secret link is left out).",
          "id program cohort email status message expires_at created_at sent_count closed_at close_reason",
          lambda user: Invitation.objects.filter(Q(user=user) | Q(email__iexact=user.email))
          .select_related("program", "cohort").order_by("pk"),
          program=PROGRAM, cohort=COHORT, status=via("state")),
    _kind("invitation_events", InvitationEvent, "Every change of the status of invitations addressed to you.",
          f"invitation_id {EVENT}",
          lambda user: InvitationEvent.objects.filter(
              Q(invitation__user=user) | Q(invitation__email__iexact=user.email)).order_by("invitation_id", "pk"),
          actor=_actor),
    _kind("enrolments", Enrolment, "Your places in programs and their status.",
          "id program cohort status created_at status_changed_at",
          lambda user: Enrolment.objects.filter(user=user).select_related("program", "cohort").order_by("pk"),
          program=PROGRAM, cohort=COHORT),
    _kind("enrolment_events", EnrolmentEvent, "Every change of your enrolments' status, with the reason.",
          f"enrolment_id program {EVENT}",
          lambda user: EnrolmentEvent.objects.filter(enrolment__user=user).select_related("enrolment__program")
          .order_by("enrolment_id", "created_at", "pk"),
          program=via("enrolment.program.slug"), actor=_actor),
    _kind("agreement_acceptances", AgreementAcceptance, "Each agreement version you accepted, with its SHA-256; the "
          "text you accepted is in the file named in text_file.",
          "id program version title content_hash accepted_at ip_address user_agent text_file", acceptances_of,
          program=via("version.program.slug"),
          version=via("version.version"), title=via("version.title"),
          text_file=_text_file),
    _kind("trusted_publisher", TrustedPublisher, "Exemptions from review granted to you, and their revocation.",
          "program reason granted_at revoked_at revoke_reason",
          lambda user: TrustedPublisher.objects.filter(enrolment__user=user).select_related("enrolment__program")
          .order_by("granted_at", "pk"),
          program=via("enrolment.program.slug")),
    _kind("consent_history", ConsentRecord, "Every version of your consent choices per program (the newest is in "
          "force).", "program version training marketing showcase wording_version created_at ip_address",
          lambda user: ConsentRecord.objects.filter(user=user).select_related("program")
          .order_by("program_id", "version"),
          program=PROGRAM),
    # Videos
    _kind("videos", Video, "Your videos: provenance (prompt, model, settings, notes), consent choices, what the file "
          "check found, and status. The video files themselves are not included.",
          "id public_id program title status source external_id prompt model_name model_version generation_settings "
          "notes consent_training consent_marketing consent_showcase original_filename size_bytes sha256 container "
          "duration_seconds width height frame_rate video_codec audio_codec invalid_reason created_at "
          "status_changed_at processed_at",
          lambda user: Video.objects.filter(artist=user).select_related("program").order_by("pk"), program=PROGRAM),
    _kind("video_events", VideoEvent, "Every status event of your videos, with reasons, reason codes and notes.",
          "video_id from_status to_status reason reason_code note actor created_at",
          lambda user: VideoEvent.objects.filter(video__artist=user).order_by("video_id", "created_at", "pk"),
          actor=_actor),
    _kind("video_reviews", VideoReview, "Where each video stood in review: deadline, decision time, how it was "
          "approved, publication.", "video_id opened_at deadline_at decided_at deadline_missed approval_kind "
          "replaces_video_id published_at unpublished_by_staff",
          lambda user: VideoReview.objects.filter(video__artist=user).order_by("video_id"),
          replaces_video_id=via("replaces_id")),
    _kind("decisions", Decision, "Each review decision on your videos: step, outcome, reason code and note. Reviewers "
          "are not named.", "video_id step outcome reason_code reason_title note created_at",
          lambda user: Decision.objects.filter(video__artist=user).select_related("step", "reason_code")
          .order_by("video_id", "created_at", "pk"),
          step=via("step.name"),
          reason_code=via("reason_code.code", ""),
          reason_title=via("reason_code.title", "")),
    _kind("appeals", Appeal, "Your appeals of rejections and their outcome.",
          "video_id statement created_at deadline_at outcome note decided_at",
          lambda user: Appeal.objects.filter(video__artist=user).order_by("video_id")),
    # Bug reports and feedback
    _kind("bug_reports", BugReport, "Your bug reports, drafts included.",
          "id program title what_happened steps_to_reproduce expected_result actual_result artist_severity "
          "final_severity model_version prompt generation_settings video_id video_timecode status duplicate_of_id "
          "accepted_at credit_id created_at submitted_at status_changed_at",
          lambda user: BugReport.objects.filter(reporter=user).select_related("program").order_by("pk"),
          program=PROGRAM),
    _kind("bug_report_events", BugReportEvent, "Every change of your bug reports (status, severity, credit).",
          f"report_id {REPORT_EVENT}",
          lambda user: BugReportEvent.objects.filter(report__reporter=user).order_by("report_id", "created_at", "pk"),
          actor=_actor),
    _kind("bug_report_responses", BugReportResponse, "The messages on your bug reports: staff responses and your "
          "answers.", f"report_id {RESPONSE}",
          lambda user: BugReportResponse.objects.filter(report__reporter=user)
          .order_by("report_id", "created_at", "pk"),
          author=_author),
    _kind("screenshots", Screenshot, "The screenshots of your bug reports; each image is in the file named in file.",
          "id report_id file content_type width height size_bytes original_name created_at", screenshots_of,
          file=_stored_screenshot),
    _kind("feedback", Feedback, "Your feedback.",
          "id program kind body video_id video_timecode status accepted_at credit_id created_at status_changed_at",
          lambda user: Feedback.objects.filter(author=user).select_related("program").order_by("pk"),
          program=PROGRAM),
    _kind("feedback_events", FeedbackEvent, "Every change of your feedback's status.", f"feedback_id {REPORT_EVENT}",
          lambda user: FeedbackEvent.objects.filter(feedback__author=user)
          .order_by("feedback_id", "created_at", "pk"),
          actor=_actor),
    _kind("feedback_responses", FeedbackResponse, "The messages on your feedback: staff responses and your answers.",
          f"feedback_id {RESPONSE}",
          lambda user: FeedbackResponse.objects.filter(feedback__author=user)
          .order_by("feedback_id", "created_at", "pk"),
          author=_author),
    _kind("me_toos", MeToo, "Bug reports of others you said you hit too, with your note.",
          "report_id note created_at", lambda user: MeToo.objects.filter(user=user).order_by("created_at", "pk")),
    _kind("notices", ReportNotice, "The notices the portal sent you about your reports and feedback.",
          "id bug_report_id feedback_id subject message created_at read_at emailed_at",
          lambda user: ReportNotice.objects.filter(user=user).order_by("created_at", "pk")),
    # Hours and money
    _kind("time_entries", TimeEntry, "The hours you logged and their status.",
          "id program worked_on minutes hours category note status corrects_id created_at status_changed_at",
          lambda user: TimeEntry.objects.filter(user=user).select_related("program").order_by("worked_on", "pk"),
          program=PROGRAM),
    _kind("time_entry_events", TimeEntryEvent, "Every change of your time entries' status, with the reason.",
          f"entry_id {EVENT}",
          lambda user: TimeEntryEvent.objects.filter(entry__user=user).order_by("entry_id", "created_at", "pk"),
          actor=_actor),
    _kind("credits", Credit, "Contributions that earned money (accepted reports and feedback, approved and "
          "showcased videos, awards), priced by the rate card version named.",
          "id program kind severity source_label source_url reason occurred_on amount currency rate_card_version "
          "created_at",
          lambda user: Credit.objects.filter(user=user).select_related("program", "rate_card")
          .order_by("occurred_on", "pk"),
          program=PROGRAM, rate_card_version=via("rate_card.version")),
    _kind("pending_credits", PendingCredit, "Credits your contributions earned that the ledger could not book yet "
          "(retried automatically; once booked they are in credits).",
          "id program kind source_label source_url occurred_on status attempts created_at credit_id",
          lambda user: PendingCredit.objects.filter(user=user).select_related("program").order_by("pk"),
          program=PROGRAM),
    _kind("ledger", LedgerLine, "Every money line: earned, paid and reversed. Your balance is earned minus paid, "
          "with reversals cancelling the line they point at.",
          "id program kind source amount currency booked_on label source_url credit_id time_entry_id method "
          "external_reference payout_run reverses_id reason created_at",
          lambda user: LedgerLine.objects.filter(user=user).select_related("program", "payout_run")
          .order_by("booked_on", "pk"),
          program=PROGRAM, payout_run=via("payout_run.reference", "")),
    _kind("payouts", PayoutRunItem, "Your part in each payout run and how it ended.",
          "payout_run program currency amount status failure_reason run_status run_created_at",
          lambda user: PayoutRunItem.objects.filter(user=user).select_related("run__program").order_by("run_id", "pk"),
          payout_run=via("run.reference"),
          program=via("run.program.slug"),
          currency=via("run.currency"), run_status=via("run.status"),
          run_created_at=via("run.created_at")),
)  # fmt: skip

# Models that link to the user but are not exported, and why. The test keeps this list honest.
LEFT_OUT: dict[str, str] = {
    "portal.DataExport": "The exports themselves: the list is on the export page.",
    "admin.LogEntry": "The staff admin's audit log of changes staff made; about the records changed, not you.",
    "programs.AgreementVersion": "Who drafted and published an agreement is a staff action; the texts you accepted "
    "are in agreements/.",
    "programs.RateCard": "Rate cards are the program's public prices, published by staff.",
    "programs.PayoutRun": "A payout run is a staff batch; your part in each one is in payouts.",
    "programs.PayoutRunEvent": "The history of a staff batch; your item's outcome and failure reason are in payouts.",
    "programs.TransparencySnapshot": "Published aggregate reports with no personal data.",
    "submissions.ReviewClaim": "A reviewer's short-lived lock on a video under review.",
    "submissions.ReviewerGroup": "Who sits in a program's reviewer groups is part of its review set-up; your reviewer "
    "roles are in roles.",
    "submissions.ApiKey": "Keys of a program's generation service, created by staff.",
}
