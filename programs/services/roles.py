"""Program roles (reviewer, program staff). Staff also get the admin permissions of the "Program staff" group."""

from django.contrib.auth.models import Group
from django.db import transaction

from programs.models import Program, ProgramRole

# Created by migration programs.0005 and extended by submissions.0005 with the admin permissions.
PROGRAM_STAFF_GROUP = "Program staff"


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
        if _holds_no_admin_rights(user):
            user.is_staff = False  # nothing left for them in the admin: they no longer log in to it
            user.save(update_fields=["is_staff"])


def _holds_no_admin_rights(user) -> bool:
    return not (user.is_superuser or user.groups.exists() or user.user_permissions.exists())
