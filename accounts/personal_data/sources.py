"""Whose records a person's export and erasure cover: the account's own, then every installed app that offers a
`personal_data` module (core.personal_records says what it holds), found here so that no app is imported by name
and a new app joins by adding its module."""

from functools import cache
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import module_has_submodule

from accounts.personal_data import account


@cache
def app_sources() -> tuple[ModuleType, ...]:
    """Each other installed app's personal_data module, in INSTALLED_APPS order (programs before submissions),
    and core's last: its outbox then also loses the mails that the other apps' erasure queued."""
    found = [
        import_module(f"{config.name}.personal_data")
        for config in apps.get_app_configs()
        if config.name != "accounts" and module_has_submodule(config.module, "personal_data")
    ]
    return tuple(sorted(found, key=lambda module: module.__name__ == "core.personal_data"))


def export_sources() -> tuple[ModuleType, ...]:
    return (account, *app_sources())
