"""Program roles (reviewer, program staff). Staff also get the admin permissions of the "Program staff" group."""

from django.contrib.auth.models import Group
from django.db import transaction

from programs.models import Program, ProgramRole

PROGRAM_STAFF_GROUP = "Program staff"  # created by migration programs.0003 with the admin permissions


@transaction.atomic
def program_role_grant(*, user, program: Program, role: str) -> ProgramRole:
    granted, _ = ProgramRole.objects.get_or_create(user=user, program=program, role=role)
    if role == ProgramRole.Role.STAFF:
        user.groups.add(Group.objects.get(name=PROGRAM_STAFF_GROUP))
        if not user.is_staff:
            user.is_staff = True  # may log in to the admin, where querysets are scoped to their programs
            user.save(update_fields=["is_staff"])
    return granted


@transaction.atomic
def program_role_revoke(*, role: ProgramRole) -> None:
    user = role.user
    role.delete()
    if role.role == ProgramRole.Role.STAFF and not user.program_roles.filter(role=ProgramRole.Role.STAFF).exists():
        user.groups.remove(Group.objects.get(name=PROGRAM_STAFF_GROUP))
