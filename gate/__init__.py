"""prodgate: a production-readiness gate for platform monorepos."""

__version__ = "0.1.0"
