"""Who may do what in a program. Every view asks these helpers; none checks roles by hand."""

from dataclasses import dataclass

from django.http import Http404

from programs.models import Enrolment, Program, ProgramRole


def is_program_staff(user, program: Program) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return ProgramRole.objects.filter(user=user, program=program, role=ProgramRole.Role.STAFF).exists()


def is_program_reviewer(user, program: Program) -> bool:
    if not user.is_authenticated:
        return False
    return ProgramRole.objects.filter(user=user, program=program, role=ProgramRole.Role.REVIEWER).exists()


def active_enrolment(user, program: Program) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    return Enrolment.objects.active().filter(user=user, program=program).first()


def contributing_enrolment(user, program: Program) -> Enrolment | None:
    """The enrolment under which `user` may contribute (videos, reports, hours) to `program`, or None.

    Every contribution view asks this, not active_enrolment: it is where the rules for contributing live
    (an active enrolment today; the enrolment issue adds "has accepted the current agreement").
    """
    return active_enrolment(user, program)


def get_public_program(slug: str) -> Program:
    """A program anyone may see, or 404 (drafts do not leak)."""
    program = Program.objects.public().filter(slug=slug).first()
    if program is None:
        raise Http404("No such program.")
    return program


@dataclass(frozen=True)
class RoleSummary:
    """What the navigation shows: the roles a user holds in any program."""

    is_artist: bool = False
    is_reviewer: bool = False
    is_staff: bool = False


def role_summary(user) -> RoleSummary:
    if not user.is_authenticated:
        return RoleSummary()
    roles = set(ProgramRole.objects.filter(user=user).values_list("role", flat=True))
    return RoleSummary(
        is_artist=Enrolment.objects.filter(user=user).exists(),
        is_reviewer=ProgramRole.Role.REVIEWER in roles,
        is_staff=user.is_superuser or ProgramRole.Role.STAFF in roles,
    )
