"""Enrolment: who may contribute to a program, and the lookups behind artist and staff pages (404 where existence
must not leak, 403 where the person may see but not act)."""

from enum import StrEnum

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import translation

from programs.access.roles import is_program_reviewer, is_program_staff, programs_staffed_by
from programs.models import AgreementAcceptance, AgreementVersion, Application, Enrolment, Invitation, Program


def active_enrolment(user, program: Program) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    return Enrolment.objects.active().filter(user=user, program=program).first()


def contributing_enrolment(user, program: Program) -> Enrolment | None:
    """The enrolment under which `user` may contribute (videos, reports, hours) to `program`, or None.

    Every contribution view asks this, not active_enrolment: it is where the rules for contributing live.
    The enrolment must be active and the artist must have accepted the program's current agreement version
    (after staff publish a new version, contributions stop until the artist accepts it). A program that has
    not published an agreement yet asks for none.
    """
    return contributing_enrolments(user).filter(program=program).first()


def contributing_enrolments(user) -> QuerySet[Enrolment]:
    """Every enrolment under which `user` may contribute now, in one query: the rule of contributing_enrolment
    for all programs at once (use it for lists, rather than asking program by program)."""
    if not user.is_authenticated:
        return Enrolment.objects.none()
    newest = AgreementVersion.objects.published().filter(program=OuterRef("program")).order_by("-version")
    accepted = AgreementAcceptance.objects.filter(
        enrolment=OuterRef("pk"), version__version=OuterRef("current_version")
    )
    return (
        Enrolment.objects.active()
        .filter(user=user)
        .annotate(current_version=Subquery(newest.values("version")[:1]))
        .filter(Q(current_version__isnull=True) | Exists(accepted))
    )


def current_agreement(program: Program, language: str | None = None) -> AgreementVersion | None:
    """The newest published agreement version of the program, the one artists must have accepted, in `language`
    (the reader's, by default) when it is published in it, else in the program's default language."""
    wanted = language or translation.get_language() or program.language
    newest = AgreementVersion.objects.published().filter(program=program).order_by("-version").first()
    if newest is None or newest.language == wanted:
        return newest
    translations = {row.language: row for row in newest.translations()}
    return translations.get(wanted) or translations.get(program.language) or newest


class Action(StrEnum):
    """Things a person may do in one program. Each maps to exactly one rule in may_act_in_program."""

    CONTRIBUTE = "contribute"  # upload videos, file reports, log hours
    REVIEW = "review"  # decide on videos in the approval queue
    MANAGE_APPLICATIONS = "manage_applications"
    MANAGE_INVITATIONS = "manage_invitations"
    MANAGE_ENROLMENTS = "manage_enrolments"  # pause, resume, remove, see the roster
    MANAGE_TRUST = "manage_trust"  # grant or revoke trusted-publisher exemptions
    MANAGE_AGREEMENTS = "manage_agreements"


_STAFF_ACTIONS = {
    Action.MANAGE_APPLICATIONS,
    Action.MANAGE_INVITATIONS,
    Action.MANAGE_ENROLMENTS,
    Action.MANAGE_TRUST,
    Action.MANAGE_AGREEMENTS,
}


def may_act_in_program(user, program: Program, action: Action) -> bool:
    """May `user` do `action` in `program`? Roles are per program: a reviewer of one program is nobody in another."""
    if action == Action.CONTRIBUTE:
        return contributing_enrolment(user, program) is not None
    if action == Action.REVIEW:
        return is_program_reviewer(user, program)
    if action in _STAFF_ACTIONS:
        return is_program_staff(user, program)
    raise ValueError(f"Unknown action {action!r}")


def get_program_for_staff(user, slug: str, action: Action) -> Program:
    """A program the user may manage: 404 if it is unknown (or a draft they may not see), else 403."""
    program = Program.objects.filter(slug=slug).first()
    if program is None:
        raise Http404("No such program.")
    if not may_act_in_program(user, program, action):
        if program.status == Program.Status.DRAFT:
            raise Http404("No such program.")
        from programs.refusals import staff_refusal  # programs.refusals imports this module

        raise staff_refusal(program)
    return program


def _get_in_staffed_program(user, queryset: QuerySet, pk: int, program_path: str):
    """One object of a program the user staffs, or 404: other programs' records do not leak."""
    obj = queryset.filter(pk=pk, **{f"{program_path}__in": programs_staffed_by(user)}).first()
    if obj is None:
        raise Http404("Not found.")
    return obj


def get_application_for_staff(user, pk: int) -> Application:
    queryset = Application.objects.select_related("program", "user", "cohort")
    return _get_in_staffed_program(user, queryset, pk, "program")


def get_invitation_for_staff(user, pk: int) -> Invitation:
    return _get_in_staffed_program(user, Invitation.objects.select_related("program", "cohort"), pk, "program")


def get_enrolment_for_staff(user, pk: int) -> Enrolment:
    queryset = Enrolment.objects.select_related("program", "user", "cohort")
    return _get_in_staffed_program(user, queryset, pk, "program")


def get_own_enrolment(user, program: Program, *, statuses: set[str] | None = None) -> Enrolment:
    """The user's own enrolment in `program` (any status unless `statuses` says; people who left still see their
    statements), or 404."""
    if not user.is_authenticated:
        raise Http404("You are not in this program.")
    enrolment = Enrolment.objects.filter(user=user, program=program).select_related("program", "cohort").first()
    if enrolment is None or (statuses is not None and enrolment.status not in statuses):
        raise Http404("You are not in this program.")
    return enrolment


def get_acceptance_for_user(user, pk: int) -> AgreementAcceptance:
    """An acceptance record for its artist (even after they left) or the program's staff; 404 for anyone else."""
    acceptance = AgreementAcceptance.objects.select_related("version__program", "enrolment__user").filter(pk=pk).first()
    if acceptance is None:
        raise Http404("Not found.")
    if acceptance.enrolment.user_id != user.pk and not is_program_staff(user, acceptance.version.program):
        raise Http404("Not found.")
    return acceptance


def get_public_program(slug: str) -> Program:
    """A program anyone may see, or 404 (drafts do not leak)."""
    program = Program.objects.public().filter(slug=slug).first()
    if program is None:
        raise Http404("No such program.")
    return program
