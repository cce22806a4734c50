"""The providers this deployment offers, by key: the local stand-in always, the others when their credentials
are in the environment (settings), never from the database or a page.

To add a provider, add its key and the dotted path of a factory to FACTORIES. The factory reads settings and
returns the adapter, or None when this deployment is not configured for it (no API key, no server URL).
"""

from __future__ import annotations

import functools

from django.utils.module_loading import import_string

from studio.providers.base import Provider

FACTORIES: dict[str, str] = {
    "local": "studio.providers.local.from_environment",
    "openai": "studio.providers.openai_videos.from_environment",
    "runway": "studio.providers.runway.from_environment",
    "gemini": "studio.providers.gemini.from_environment",
    "comfyui": "studio.providers.comfyui.from_environment",
}


class ProviderUnavailable(LookupError):
    """This deployment does not offer the provider (unknown key, or no credentials in the environment)."""


@functools.cache
def _built(key: str) -> Provider | None:
    path = FACTORIES.get(key)
    return import_string(path)() if path else None


def get_provider(key: str) -> Provider:
    provider = _built(key)
    if provider is None:
        raise ProviderUnavailable(key)
    return provider


def offered() -> dict[str, Provider]:
    """Every provider this deployment can use now, by key."""
    return {key: provider for key in FACTORIES if (provider := _built(key)) is not None}


def reset() -> None:
    """Forget the built adapters (after the environment or settings changed: tests, a reload)."""
    _built.cache_clear()
