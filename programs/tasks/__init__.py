# One module per concern; Celery's autodiscovery imports this package, which imports them all.
from programs.tasks import compensation  # noqa: F401
from programs.tasks.enrolment import (
    notify_agreement_published,
    send_agreement_notice,
    send_application_decision_email,
    send_invitation_email,
)
from programs.tasks.mail import send_templated_email

__all__ = [
    "notify_agreement_published",
    "send_agreement_notice",
    "send_application_decision_email",
    "send_invitation_email",
    "send_templated_email",
]
