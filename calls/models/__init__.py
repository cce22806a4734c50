"""Opportunities: open calls (calls.py), grants (grants.py) and sessions and events (events.py)."""
