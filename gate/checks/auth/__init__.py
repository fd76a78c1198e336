"""Checks of the auth section."""
