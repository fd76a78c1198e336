"""Checks of the deployment section."""
