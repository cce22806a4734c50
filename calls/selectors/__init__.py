"""Reads that grow complex, one module per kind of opportunity (never importing services)."""
