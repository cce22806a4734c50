"""Content Credentials (C2PA): the portal signs each published copy, reads the credentials of received files and of
files sent to /verify/, and publishes the CA certificate that verifiers trust.

- keys: the signer (production files from the environment, or the demo CA and signer made on first use);
- assets: signing a file and reading a file's credentials through the C2PA library;
- manifest: what the portal's manifest states about a published video.
The services that sign and record are in submissions.services.credentials.
"""

from submissions.credentials.assets import (
    ABSENT,
    INVALID,
    SIGNABLE_TYPES,
    TRUSTED,
    UNREADABLE,
    VALID,
    Credentials,
    read_file,
)
from submissions.credentials.keys import trust_anchor_pem

__all__ = [
    "ABSENT",
    "INVALID",
    "SIGNABLE_TYPES",
    "TRUSTED",
    "UNREADABLE",
    "VALID",
    "Credentials",
    "provider_credentials_of",
    "read_credentials",
]


def read_credentials(path: str, *, content_type: str | None = None) -> Credentials:
    """What the file at `path` says about itself, checked with the portal's CA as the one trust anchor."""
    return read_file(path, trust_anchor_pem=trust_anchor_pem(create=False), content_type=content_type)


def provider_credentials_of(path: str, *, content_type: str | None = None) -> dict:
    """For a received file (upload, API, studio): the credentials it arrived with, as kept in its provenance
    (Video.provider_credentials). The one function intake calls."""
    return read_credentials(path, content_type=content_type).as_dict()
