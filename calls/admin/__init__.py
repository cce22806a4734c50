"""The calls app in the Django admin: open calls (calls.py), grants and events (grants_events.py)."""

from calls.admin import calls, grants_events  # noqa: F401  (registers the admin classes)
