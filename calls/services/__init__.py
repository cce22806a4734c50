"""Writes: one module per kind of opportunity."""
