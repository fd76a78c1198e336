"""Checks of the conventions section."""
