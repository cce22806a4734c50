"""Roles in a program (staff, reviewer, trusted publisher). Roles are per program: a reviewer of one program is
nobody in another."""

from dataclasses import dataclass

from django.db.models import QuerySet

from programs.models import Enrolment, Program, ProgramRole, TrustedPublisher


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


def is_trusted_publisher(user, program: Program) -> bool:
    """True when staff exempted this active artist from pre-publication review in `program`."""
    if not user.is_authenticated:
        return False
    return (
        TrustedPublisher.objects.in_force()
        .filter(enrolment__user=user, enrolment__program=program, enrolment__status=Enrolment.Status.ACTIVE)
        .exists()
    )


def programs_staffed_by(user) -> QuerySet[Program]:
    """The programs where `user` is program staff (every program for a superuser)."""
    if not user.is_authenticated:
        return Program.objects.none()
    if user.is_superuser:
        return Program.objects.all()
    return Program.objects.filter(roles__user=user, roles__role=ProgramRole.Role.STAFF).distinct()


def programs_reviewed_by(user) -> QuerySet[Program]:
    if not user.is_authenticated:
        return Program.objects.none()
    return Program.objects.filter(roles__user=user, roles__role=ProgramRole.Role.REVIEWER).distinct()


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
