"""Who is who in the demo, by artist index: where each artist ends up, so every part of the demo can tell who
may contribute without asking the database before the story is played."""

from programs.models import Enrolment

# Enrolment states for the 30 demo artists, by index: most active, some in every other state.
INVITED = {26, 27}
PAUSED = {24}
LEFT = {25}
REMOVED = {29}
NOT_ENROLLED = {28}  # has an account only (an applicant, see the enrolment issue)
SPRING = range(0, 18)  # the others are in the autumn cohort
ACCEPTED_V2 = range(0, 12)  # active artists who accepted version 2; the others active are still on version 1
TRUSTED = 0  # Amara Okafor


def status_for(index: int) -> str | None:
    if index in NOT_ENROLLED:
        return None
    for bucket, status in (
        (INVITED, Enrolment.Status.INVITED),
        (PAUSED, Enrolment.Status.PAUSED),
        (LEFT, Enrolment.Status.LEFT),
        (REMOVED, Enrolment.Status.REMOVED),
    ):
        if index in bucket:
            return status
    return Enrolment.Status.ACTIVE


def contributing_artists(people: dict) -> list:
    """The artists who may contribute today (active, on the current agreement), in the order of their index."""
    return [people["artists"][index] for index in ACCEPTED_V2]
