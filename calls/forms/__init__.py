"""Forms: one module per kind of opportunity."""
