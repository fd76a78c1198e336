"""Checks of the observability section."""
