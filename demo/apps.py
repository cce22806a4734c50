from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo program that `make run` loads (seed_demo) and the test clips; no other app imports it."""

    name = "demo"
    verbose_name = "Demo"
