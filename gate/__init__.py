"""prodgate: a production-readiness gate for platform monorepos."""

__version__ = "0.1.0"


class UsageError(Exception):
    """A usage or configuration problem: printed on stderr, exit code 2. Any layer may raise it
    (an option, a configuration file, a path the gate refuses to write through); the command line
    (:mod:`gate.cli`) prints it."""
