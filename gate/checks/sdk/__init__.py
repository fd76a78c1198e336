"""Checks of the sdk section."""
