"""Checks of the data section."""
