"""Participation agreements: drafting, publishing (a new version, or a translation of the current one), and
artists accepting an exact version in the language they were shown."""

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from programs.errors import AgreementOutdated, TransitionRefused
from programs.mails import agreement_published_mails_send
from programs.models import AgreementAcceptance, AgreementVersion, Enrolment, Program
from programs.models.agreements import content_hash
from programs.services.enrolment import locked


def _newest_published(program: Program) -> AgreementVersion | None:
    return AgreementVersion.objects.published().filter(program=program).order_by("-version").first()


def _new_draft(program: Program, language: str, actor) -> AgreementVersion:
    """A draft in the default language is the next version; in another language, a translation of the current."""
    if AgreementVersion.objects.filter(program=program, language=language, published_at__isnull=True).exists():
        raise TransitionRefused(
            _("This program already has an unpublished draft in that language; edit or publish it first.")
        )
    if language == program.language:
        latest = AgreementVersion.objects.filter(program=program).order_by("-version").first()
        number = (latest.version + 1) if latest else 1
    else:
        current = _newest_published(program)
        if current is None:
            raise TransitionRefused(_("Publish the agreement in the program's default language before translating it."))
        if current.translations().filter(language=language).exists():
            raise TransitionRefused(
                _("Version %(version)s is already published in that language.") % {"version": current.version}
            )
        number = current.version
    return AgreementVersion(program=program, version=number, language=language, created_by=actor)


def agreement_draft_save(
    *,
    program: Program,
    title: str,
    body: str,
    summary_of_changes: str,
    actor,
    draft: AgreementVersion | None = None,
    language: str | None = None,
) -> AgreementVersion:
    """Create the program's next draft (or a translation of its current version), or edit the existing draft.
    Published versions are never edited."""
    with transaction.atomic():
        program = Program.objects.select_for_update().get(pk=program.pk)  # one numbering at a time per program
        if draft is None:
            draft = _new_draft(program, language or program.language, actor)
        else:
            draft = AgreementVersion.objects.select_for_update().get(pk=draft.pk)
            if draft.is_published:
                raise TransitionRefused(
                    _("Version %(version)s is published and can no longer change; write a new version.")
                    % {"version": draft.version}
                )
        draft.title, draft.body, draft.summary_of_changes = title, body, summary_of_changes
        draft.save()
    return draft


def _check_translation_current(version: AgreementVersion) -> None:
    newest = _newest_published(version.program)
    if newest is not None and newest.version != version.version:
        raise TransitionRefused(
            _("This translates version %(old)s, but version %(new)s is now current; translate that one instead.")
            % {"old": version.version, "new": newest.version}
        )


def agreement_publish(*, version: AgreementVersion, actor) -> AgreementVersion:
    """Freeze a draft. A new version becomes the program's current agreement (active artists must accept it
    before contributing, and are told by mail); a translation only gives artists the same version to read in
    their language."""
    with transaction.atomic():
        Program.objects.select_for_update().get(pk=version.program_id)
        version = AgreementVersion.objects.select_for_update().select_related("program").get(pk=version.pk)
        if version.is_published:
            raise TransitionRefused(
                _("Version %(version)s was already published on %(day)s.")
                % {"version": version.version, "day": formats.date_format(version.published_at, "DATE_FORMAT")}
            )
        if not version.body.strip():
            raise TransitionRefused(_("An agreement with no text cannot be published."))
        is_translation = version.translations().exists()
        if is_translation:
            _check_translation_current(version)
        version.content_hash = content_hash(version.body)
        version.published_at = timezone.now()
        version.published_by = actor
        version.save(update_fields=["content_hash", "published_at", "published_by"])
        if not is_translation:
            agreement_published_mails_send(version)
    return version


def check_current(program: Program, *, version_id: int, submitted_hash: str) -> AgreementVersion:
    """The version the form named, in the language it was shown, if it is the current version and unchanged;
    otherwise refuse: the artist read something else."""
    newest = _newest_published(program)
    if newest is None:
        raise AgreementOutdated(
            _("%(program)s has not published its participation agreement yet.") % {"program": program.name}
        )
    shown = newest.translations().filter(pk=version_id).first()
    if shown is None or shown.content_hash != submitted_hash:
        raise AgreementOutdated(
            _(
                "A new version (version %(version)s) of the agreement was published while you were reading. "
                "Please read it and accept it again."
            )
            % {"version": newest.version}
        )
    return shown


def record_acceptance(
    enrolment: Enrolment, version: AgreementVersion, *, ip_address: str | None, user_agent: str
) -> AgreementAcceptance:
    """Write the acceptance row (inside the caller's transaction) with the language the artist was shown;
    accepting the same version twice (in any language) is one row."""
    same_version = AgreementAcceptance.objects.filter(
        enrolment=enrolment, version__program_id=version.program_id, version__version=version.version
    )
    existing = same_version.first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return AgreementAcceptance.objects.create(
                enrolment=enrolment,
                version=version,
                language=version.language,
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
        raise TransitionRefused(_("Only the artist can accept their agreement."))
    if enrolment.status not in (Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED):
        raise TransitionRefused(
            _("Your enrolment is %(status)s; invited artists accept the agreement through their invitation.")
            % {"status": enrolment.get_status_display().lower()}
        )
    version = check_current(enrolment.program, version_id=version_id, submitted_hash=submitted_hash)
    return record_acceptance(enrolment, version, ip_address=ip_address, user_agent=user_agent)
