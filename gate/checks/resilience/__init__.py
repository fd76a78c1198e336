"""Checks of the resilience section."""
