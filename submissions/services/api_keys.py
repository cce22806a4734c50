"""Keys of a program's generation service (the ingestion API): made by staff, shown once, revoked, never deleted."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import Program
from submissions.models import ApiKey
from submissions.services.videos import VideoError


def api_key_create(*, program: Program, name: str, actor) -> tuple[ApiKey, str]:
    """Make a key for the program's generation service. The raw key is returned once and never stored."""
    if not name.strip():
        raise VideoError(_("Name the key after who or what will use it."))
    raw = ApiKey.PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        program=program, name=name.strip(), prefix=raw[:12], key_hash=ApiKey.hash(raw), created_by=actor
    )
    return key, raw


def api_key_revoke(*, key_id: int, actor) -> ApiKey:
    with transaction.atomic():
        key = ApiKey.objects.select_for_update().get(pk=key_id)
        if key.revoked_at is not None:
            raise VideoError(_("%(key)s was already revoked.") % {"key": key})
        key.revoked_at, key.revoked_by = timezone.now(), actor
        key.save(update_fields=["revoked_at", "revoked_by"])
    return key


def api_key_record_use(key: ApiKey) -> None:
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
