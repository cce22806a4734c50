"""Who may do what in a program. Every view and service asks these helpers; none checks roles by hand.

`roles` says who holds which role in a program, `enrolment` who may contribute and the lookups pages use,
`compensation` who may see which money. The names below are the ones other apps use.
"""

from programs.access.enrolment import (
    Action,
    active_enrolment,
    contributing_enrolment,
    contributing_enrolments,
    current_agreement,
    get_acceptance_for_user,
    get_application_for_staff,
    get_enrolment_for_staff,
    get_invitation_for_staff,
    get_own_enrolment,
    get_program_for_staff,
    get_public_program,
    may_act_in_program,
)
from programs.access.roles import (
    RoleSummary,
    is_program_reviewer,
    is_program_staff,
    is_trusted_publisher,
    programs_reviewed_by,
    programs_staffed_by,
    role_summary,
)

__all__ = [
    "Action",
    "RoleSummary",
    "active_enrolment",
    "contributing_enrolment",
    "contributing_enrolments",
    "current_agreement",
    "get_acceptance_for_user",
    "get_application_for_staff",
    "get_enrolment_for_staff",
    "get_invitation_for_staff",
    "get_own_enrolment",
    "get_program_for_staff",
    "get_public_program",
    "is_program_reviewer",
    "is_program_staff",
    "is_trusted_publisher",
    "may_act_in_program",
    "programs_reviewed_by",
    "programs_staffed_by",
    "role_summary",
]
