"""Participation agreements: drafting, publishing, and artists accepting an exact version."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from programs.access import current_agreement
from programs.errors import AgreementOutdated, TransitionRefused
from programs.mails import agreement_published_mails_send
from programs.models import AgreementAcceptance, AgreementVersion, Enrolment, Program
from programs.models.agreements import content_hash
from programs.services.enrolment import locked


def agreement_draft_save(
    *, program: Program, title: str, body: str, summary_of_changes: str, actor, draft: AgreementVersion | None = None
) -> AgreementVersion:
    """Create the program's next draft, or edit the existing draft. Published versions are never edited."""
    with transaction.atomic():
        Program.objects.select_for_update().get(pk=program.pk)  # one numbering at a time per program
        if draft is None:
            if AgreementVersion.objects.filter(program=program, published_at__isnull=True).exists():
                raise TransitionRefused("This program already has an unpublished draft; edit or publish it first.")
            latest = AgreementVersion.objects.filter(program=program).order_by("-version").first()
            draft = AgreementVersion(program=program, version=(latest.version + 1) if latest else 1, created_by=actor)
        else:
            draft = AgreementVersion.objects.select_for_update().get(pk=draft.pk)
            if draft.is_published:
                raise TransitionRefused(
                    f"Version {draft.version} is published and can no longer change; write a new version."
                )
        draft.title, draft.body, draft.summary_of_changes = title, body, summary_of_changes
        draft.save()
    return draft


def agreement_publish(*, version: AgreementVersion, actor) -> AgreementVersion:
    """Freeze a draft as the program's current agreement. Active artists must accept it before contributing."""
    with transaction.atomic():
        version = AgreementVersion.objects.select_for_update().get(pk=version.pk)
        if version.is_published:
            raise TransitionRefused(
                f"Version {version.version} was already published on {version.published_at:%d %B %Y}."
            )
        if not version.body.strip():
            raise TransitionRefused("An agreement with no text cannot be published.")
        version.content_hash = content_hash(version.body)
        version.published_at = timezone.now()
        version.published_by = actor
        version.save(update_fields=["content_hash", "published_at", "published_by"])
        agreement_published_mails_send(version)
    return version


def check_current(program: Program, *, version_id: int, submitted_hash: str) -> AgreementVersion:
    """The current version, if the form named it; otherwise refuse: the artist read something else."""
    current = current_agreement(program)
    if current is None:
        raise AgreementOutdated(f"{program.name} has not published its participation agreement yet.")
    if current.pk != version_id or current.content_hash != submitted_hash:
        raise AgreementOutdated(
            f"A new version (version {current.version}) of the agreement was published while you were reading. "
            "Please read it and accept it again."
        )
    return current


def record_acceptance(
    enrolment: Enrolment, version: AgreementVersion, *, ip_address: str | None, user_agent: str
) -> AgreementAcceptance:
    """Write the acceptance row (inside the caller's transaction); accepting the same version twice is one row."""
    existing = AgreementAcceptance.objects.filter(enrolment=enrolment, version=version).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return AgreementAcceptance.objects.create(
                enrolment=enrolment,
                version=version,
                content_hash=version.content_hash,
                ip_address=ip_address,
                user_agent=user_agent,
            )
    except IntegrityError:  # a double submit that raced us
        return AgreementAcceptance.objects.get(enrolment=enrolment, version=version)


@transaction.atomic
def agreement_accept(
    *, enrolment: Enrolment, version_id: int, submitted_hash: str, actor, ip_address: str | None, user_agent: str = ""
) -> AgreementAcceptance:
    """An active or paused artist accepts the current version (after a new one was published)."""
    enrolment = locked(enrolment)
    if actor.pk != enrolment.user_id:
        raise TransitionRefused("Only the artist can accept their agreement.")
    if enrolment.status not in (Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED):
        raise TransitionRefused(
            f"Your enrolment is {enrolment.get_status_display().lower()}; "
            "invited artists accept the agreement through their invitation."
        )
    version = check_current(enrolment.program, version_id=version_id, submitted_hash=submitted_hash)
    return record_acceptance(enrolment, version, ip_address=ip_address, user_agent=user_agent)
