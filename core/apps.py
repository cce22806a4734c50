from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app builds on: domain errors, the CSV helper (and, as they move here, lifecycle, history, mail)."""

    name = "core"
    verbose_name = "Core"
