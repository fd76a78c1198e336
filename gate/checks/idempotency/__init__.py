"""Checks of the idempotency section."""
