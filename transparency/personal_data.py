"""Transparency's part of a person's data export and account erasure (see core.personal_records): it holds no
personal data, only aggregates; a snapshot names the staff member who published it."""

KINDS = ()
LEFT_OUT = {"transparency.TransparencySnapshot": "Published aggregate reports with no personal data."}
FILES = ()


def records(user):
    return ()


def erase(user, *, reason: str) -> list[str]:
    return []
