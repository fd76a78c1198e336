"""Checks of the artifacts section."""
