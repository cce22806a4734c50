"""Who may see and do what with opportunities: open calls (calls.py), grants (grants.py), events (events.py)."""
