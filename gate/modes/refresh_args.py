"""The ``refresh`` sub-command's arguments and what its token needs: kept apart from
:mod:`gate.modes.refresh` so that building the command line imports nothing heavy."""

from __future__ import annotations

from typing import Any

#: what the token needs, and why
PERMISSIONS: tuple[tuple[str, str], ...] = (
    ("pull-requests: read", "list the open pull requests"),
    ("checks: write", "read each head's prod-readiness check run, and post one where a re-run is not possible"),
    ("actions: write", "re-run the workflow run that produced an expired verdict"),
    ("contents: read", "read the configuration and freeze calendars of a pull request's base commit"),
)
#: how many open pull requests one run reads at most (one request each)
DEFAULT_SCAN = 100
#: how many expired verdicts one run re-judges at most
DEFAULT_MAX = 10


def permissions_text() -> str:
    return "; ".join(f"{p} ({why})" for p, why in PERMISSIONS)


def argv_from_inputs() -> list[str]:
    """The Action with ``mode: refresh``: the command line from its inputs (``config``)."""
    from gate.github.env import get_input

    config = get_input("config")
    return ["refresh", *(["--config", config] if config else [])]


def add_parser(sub: Any) -> None:
    p = sub.add_parser("refresh", help="scheduled: re-judge open pull requests whose verdict has expired")
    p.add_argument("--now", metavar="ISO", help="the clock (default: now)")
    p.add_argument("--max-prs", type=int, default=DEFAULT_MAX, metavar="N",
                   help=f"re-judge at most N expired pull requests, the stalest first (default {DEFAULT_MAX})")
    p.add_argument("--scan", type=int, default=DEFAULT_SCAN, metavar="N",
                   help=f"read the verdicts of at most N open pull requests (default {DEFAULT_SCAN})")
    p.add_argument("--config", metavar="FILE", default=None,
                   help="configuration path in the repository (default: .github/prod-readiness.yml)")
    p.add_argument("--check-name", metavar="NAME", help="the gate's check run name (default: from the configuration)")
