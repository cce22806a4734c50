"""Consent choices: every change is a new, numbered record; the newest is in force."""

from django.db import transaction
from django.utils.translation import gettext

from programs.errors import ConsentRefused
from programs.models import ConsentRecord, Enrolment, Program
from programs.selectors.consent import current_consent


@transaction.atomic
def consent_set(
    *, user, program: Program, training: bool, marketing: bool, showcase: bool, ip_address: str | None = None
) -> ConsentRecord | None:
    """Record new choices. Any artist who has been in the program may change them, even after leaving.

    Returns the new record, or None when the choices are those already in force (nothing is written).
    """
    enrolment = Enrolment.objects.select_for_update().filter(user=user, program=program).first()
    if enrolment is None:
        raise ConsentRefused(
            gettext("You have no place in %(program)s, so there is nothing to consent to.") % {"program": program.name}
        )
    current = current_consent(user, program)
    wanted = {"training": training, "marketing": marketing, "showcase": showcase}
    if current.record is not None and current.choices() == wanted:
        return None
    version = current.record.version + 1 if current.record else 1
    return ConsentRecord.objects.create(user=user, program=program, version=version, ip_address=ip_address, **wanted)
