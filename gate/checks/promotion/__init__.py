"""Checks of the promotion section."""
