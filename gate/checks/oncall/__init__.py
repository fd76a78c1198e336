"""Checks of the oncall section."""
