"""Checks of the docs section."""
