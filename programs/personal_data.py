"""Programs' part of a person's data export and account erasure (see core.personal_records)."""

from collections.abc import Iterable

from django.db.models import Q

from core.personal_records import DELETED_DOMAIN, EVENT, PROGRAM, ExportFile, FileSet, bound, by_actor, kind, money, via
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
from programs.selectors.consent import current_consent
from programs.selectors.enrolment import LEAVABLE
from programs.services.compensation import timeentry_withdraw
from programs.services.consent import consent_set
from programs.services.credit_bookings import pending_credits_drop
from programs.services.enrolment import enrolment_leave
from programs.services.invitation_states import invitations_close_pending
from programs.services.payout_runs import payoutrun_items_withdraw

COHORT = via("cohort.name", "")


def agreement_path(acceptance: AgreementAcceptance) -> str:
    return f"agreements/{acceptance.version.program.slug}-v{acceptance.version.version}.txt"


def acceptances_of(user):
    return (
        AgreementAcceptance.objects.filter(enrolment__user=user)
        .select_related("version__program")
        .order_by("accepted_at", "pk")
    )


def agreement_texts(user) -> Iterable[ExportFile]:
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
        yield ExportFile(path, content=body.encode("utf-8"))


def _text_file(acceptance: AgreementAcceptance, _user) -> str:
    return agreement_path(acceptance)


KINDS = (
    kind("roles", ProgramRole, "Your reviewer or staff roles in programs.", "program role created_at",
         lambda user: ProgramRole.objects.filter(user=user).select_related("program").order_by("pk"),
         program=PROGRAM),
    # Joining programs
    kind("applications", Application, "Your applications to programs, with your answers and the decision.",
         "id program status cohort portfolio_links statement answers decision_reason decided_at created_at",
         lambda user: Application.objects.filter(user=user).select_related("program", "cohort").order_by("pk"),
         program=PROGRAM, cohort=COHORT),
    kind("application_events", ApplicationEvent, "Every change of your applications' status.",
         f"application_id {EVENT}",
         lambda user: ApplicationEvent.objects.filter(application__user=user).order_by("application_id", "pk"),
         actor=by_actor),
    kind("invitations", Invitation, "Invitations addressed to you (the secret link is left out).",
         "id program cohort email status message expires_at created_at sent_count closed_at close_reason",
         lambda user: Invitation.objects.filter(Q(user=user) | Q(email__iexact=user.email))
         .select_related("program", "cohort").order_by("pk"),
         program=PROGRAM, cohort=COHORT, status=via("state")),
    kind("invitation_events", InvitationEvent, "Every change of the status of invitations addressed to you.",
         f"invitation_id {EVENT}",
         lambda user: InvitationEvent.objects.filter(
             Q(invitation__user=user) | Q(invitation__email__iexact=user.email)).order_by("invitation_id", "pk"),
         actor=by_actor),
    kind("enrolments", Enrolment, "Your places in programs and their status.",
         "id program cohort status created_at status_changed_at",
         lambda user: Enrolment.objects.filter(user=user).select_related("program", "cohort").order_by("pk"),
         program=PROGRAM, cohort=COHORT),
    kind("enrolment_events", EnrolmentEvent, "Every change of your enrolments' status, with the reason.",
         f"enrolment_id program {EVENT}",
         lambda user: EnrolmentEvent.objects.filter(enrolment__user=user).select_related("enrolment__program")
         .order_by("enrolment_id", "created_at", "pk"),
         program=via("enrolment.program.slug"), actor=by_actor),
    kind("agreement_acceptances", AgreementAcceptance, "Each agreement version you accepted, with its SHA-256; the "
         "text you accepted is in the file named in text_file.",
         "id program version title content_hash accepted_at ip_address user_agent text_file", acceptances_of,
         program=via("version.program.slug"),
         version=via("version.version"), title=via("version.title"),
         text_file=_text_file),
    kind("trusted_publisher", TrustedPublisher, "Exemptions from review granted to you, and their revocation.",
         "program reason granted_at revoked_at revoke_reason",
         lambda user: TrustedPublisher.objects.filter(enrolment__user=user).select_related("enrolment__program")
         .order_by("granted_at", "pk"),
         program=via("enrolment.program.slug")),
    kind("consent_history", ConsentRecord, "Every version of your consent choices per program (the newest is in "
         "force).", "program version training marketing showcase wording_version created_at ip_address",
         lambda user: ConsentRecord.objects.filter(user=user).select_related("program")
         .order_by("program_id", "version"),
         program=PROGRAM),
    # Hours and money
    kind("time_entries", TimeEntry, "The hours you logged and their status.",
         "id program worked_on minutes hours category note status corrects_id created_at status_changed_at",
         lambda user: TimeEntry.objects.filter(user=user).select_related("program").order_by("worked_on", "pk"),
         program=PROGRAM),
    kind("time_entry_events", TimeEntryEvent, "Every change of your time entries' status, with the reason.",
         f"entry_id {EVENT}",
         lambda user: TimeEntryEvent.objects.filter(entry__user=user).order_by("entry_id", "created_at", "pk"),
         actor=by_actor),
    kind("credits", Credit, "Contributions that earned money (accepted reports and feedback, approved and "
         "showcased videos, awards), priced by the rate card version named.",
         "id program kind severity source_label source_url reason occurred_on amount currency rate_card_version "
         "created_at",
         lambda user: Credit.objects.filter(user=user).select_related("program", "rate_card")
         .order_by("occurred_on", "pk"),
         program=PROGRAM, rate_card_version=via("rate_card.version"), amount=money("amount")),
    kind("pending_credits", PendingCredit, "Credits your contributions earned that the ledger could not book yet "
         "(retried automatically; once booked they are in credits).",
         "id program kind source_label source_url occurred_on status attempts created_at credit_id",
         lambda user: PendingCredit.objects.filter(user=user).select_related("program").order_by("pk"),
         program=PROGRAM),
    kind("ledger", LedgerLine, "Every money line: earned, paid and reversed. Your balance is earned minus paid, "
         "with reversals cancelling the line they point at.",
         "id program kind source amount currency booked_on label source_url credit_id time_entry_id method "
         "external_reference payout_run reverses_id reason created_at",
         lambda user: LedgerLine.objects.filter(user=user).select_related("program", "payout_run")
         .order_by("booked_on", "pk"),
         program=PROGRAM, payout_run=via("payout_run.reference", ""), amount=money("amount")),
    kind("payouts", PayoutRunItem, "Your part in each payout run and how it ended.",
         "payout_run program currency amount status failure_reason run_status run_created_at",
         lambda user: PayoutRunItem.objects.filter(user=user).select_related("run__program").order_by("run_id", "pk"),
         payout_run=via("run.reference"),
         program=via("run.program.slug"),
         currency=via("run.currency"), amount=money("amount", "run.currency"), run_status=via("run.status"),
         run_created_at=via("run.created_at")),
)  # fmt: skip

LEFT_OUT = {
    "programs.AgreementVersion": "Who drafted and published an agreement is a staff action; the texts you accepted "
    "are in agreements/.",
    "programs.RateCard": "Rate cards are the program's public prices, published by staff.",
    "programs.PayoutRun": "A payout run is a staff batch; your part in each one is in payouts.",
    "programs.PayoutRunEvent": "The history of a staff batch; your item's outcome and failure reason are in payouts.",
}

FILES = (
    FileSet(
        stage="Adding the agreement texts you accepted",
        pattern="agreements/PROGRAM-vVERSION.txt",
        description="The text of each agreement version you accepted, byte for byte: its SHA-256 equals the "
        "content_hash in agreement_acceptances (check with `sha256sum`).",
        files=agreement_texts,
    ),
)


def records(user):
    return bound(KINDS, user)


def erase(user, *, reason: str) -> list[str]:
    """Places in programs left, what is pending settled, consent withdrawn, identifying traces erased, roles
    ended; hours, money, decisions and history stay (see accounts.personal_data.deletion)."""
    _leave_programs(user, reason)
    _settle_pending_money(user, reason)
    _withdraw_consent(user)
    _erase_traces(user, reason)
    return []


def _leave_programs(user, reason: str) -> None:
    for enrolment in Enrolment.objects.filter(user=user, status__in=LEAVABLE):
        enrolment_leave(enrolment=enrolment, actor=user, reason=reason)


def _settle_pending_money(user, reason: str) -> None:
    """Nothing stays payable to an account nobody can be paid at: see the page's "What happens to what is pending"."""
    waiting = TimeEntry.objects.filter(user=user, status__in=[TimeEntry.Status.PENDING, TimeEntry.Status.QUERIED])
    for entry in waiting.order_by("pk"):
        timeentry_withdraw(entry=entry, actor=user, reason=reason)
    payoutrun_items_withdraw(user=user, reason=reason)
    pending_credits_drop(user=user, reason=reason)


def _withdraw_consent(user) -> None:
    """A new record with every use off, where anything was on: the history shows when consent ended."""
    for enrolment in Enrolment.objects.filter(user=user).select_related("program"):
        if any(current_consent(user, enrolment.program).choices().values()):
            consent_set(user=user, program=enrolment.program, training=False, marketing=False, showcase=False)


def _erase_traces(user, reason: str) -> None:
    """What identifies the person inside records that stay, and the roles that let them act."""
    Application.objects.filter(user=user).update(statement="", portfolio_links=[], answers=[])
    AgreementAcceptance.objects.filter(enrolment__user=user).update(ip_address=None, user_agent="")
    ConsentRecord.objects.filter(user=user).update(ip_address=None)
    invitations = Invitation.objects.filter(Q(user=user) | Q(email__iexact=user.email))
    invitations_close_pending(invitations, Invitation.Status.DECLINED, actor=user, reason=reason)
    invitations.update(email=f"invitee-{user.pk}@{DELETED_DOMAIN}", message="")
    ProgramRole.objects.filter(user=user).delete()
