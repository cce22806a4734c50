"""Pages: one module per kind of opportunity."""
