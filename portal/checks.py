"""System checks of our own. `check --deploy` runs the deploy-tagged ones with Django's."""

import re
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register

EXAMPLE_ENV = Path(settings.BASE_DIR) / ".env.production.example"
# Words that only a placeholder or a copied example contains; a generated key never spells them.
PLACEHOLDER_WORDS = re.compile(r"change[-_]?me|changeme|example|placeholder|insecure|replace|your[-_]|please", re.I)


def example_secret_keys() -> set[str]:
    """The SECRET_KEY values written in the example environment file (what a careless copy deploys)."""
    if not EXAMPLE_ENV.exists():
        return set()
    keys = set()
    for line in EXAMPLE_ENV.read_text(encoding="utf-8").splitlines():
        name, _, value = line.partition("=")
        if name.strip() == "SECRET_KEY" and value.strip():
            keys.add(value.strip().strip("\"'"))
    return keys


def insecure_secret_key(key: str) -> str | None:
    """Why `key` must not sign production sessions and tokens, or None."""
    if key in example_secret_keys():
        return "it is the placeholder from .env.production.example"
    if PLACEHOLDER_WORDS.search(key):
        return "it looks like a placeholder (it contains words such as “change-me” or “example”)"
    return None


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs) -> list[Error]:
    reason = insecure_secret_key(settings.SECRET_KEY or "")
    if reason is None:
        return []
    return [
        Error(
            f"SECRET_KEY is not secret: {reason}.",
            hint="Set SECRET_KEY to a long random value, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(60))'.",
            id="portal.E001",
        )
    ]


@register(Tags.security, deploy=True)
def check_content_credentials_signer(app_configs, **kwargs) -> list[Error]:
    """Files named in C2PA_SIGNER_KEY / _CERTS / C2PA_TRUST_ANCHOR must be readable certificates, or every
    published copy would wait unsigned."""
    from submissions.credentials.keys import SignerNotConfigured, signing_material

    if not settings.C2PA_SIGNER_KEY:
        return []  # the demo signer, made on first use (README)
    try:
        signing_material().signer_certificate  # noqa: B018 (parsing it is the check)
    except (SignerNotConfigured, ValueError) as exc:
        return [Error(f"The Content Credentials signer cannot be used: {exc}", id="portal.E002")]
    return []
