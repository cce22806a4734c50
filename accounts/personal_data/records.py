"""What a person's data export holds: one record kind per file, each with stable field names, from every app's
personal_data module (accounts.personal_data.sources).

Every kind lists the rows of one model that are about the person (their own records, and the history, decisions
and answers on those records). Other people are never named. Records a person made in a staff or reviewer role
are about other people and are left out; tests/test_personal_data_export.py walks every model with a link to the
user and checks that each is either a kind here or listed in LEFT_OUT with the reason.
"""

from accounts.personal_data.sources import export_sources

KINDS = tuple(kind for source in export_sources() for kind in source.KINDS)
FILES = tuple(file_set for source in export_sources() for file_set in source.FILES)
# Models that link to the user but are not exported, and why. The test keeps this list honest.
LEFT_OUT: dict[str, str] = {label: reason for source in export_sources() for label, reason in source.LEFT_OUT.items()}
