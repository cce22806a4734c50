"""Core's part of a person's data export and account erasure (see core.personal_records): the mail outbox."""

from core.mail import mails_erase, mails_of
from core.models import Mail
from core.personal_records import bound, kind

KINDS = (
    kind(
        "mails",
        Mail,
        "The emails the portal sent you (subject once sent) or is about to send.",
        "id template to subject created_at sent_at",
        mails_of,
    ),
)
LEFT_OUT: dict[str, str] = {}
FILES = ()


def records(user):
    return bound(KINDS, user)


def erase(user, *, reason: str) -> list[str]:
    """The person's mails go, sent or not. Run after the other apps (see accounts' sources), so that a mail
    their erasure queued goes too."""
    mails_erase(user=user)
    return []
