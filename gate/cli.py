"""The command line: ``prodgate check|pr|promote|catalog|refresh``.

Exit codes: 0 nothing blocks, 1 something blocks, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from gate import __version__


class UsageError(Exception):
    """A usage or configuration problem: printed on stderr, exit code 2."""


def parse_now(value: str | None) -> dt.datetime:
    """``--now`` (ISO 8601; a naive time is UTC) or the current time, timezone-aware."""
    if not value:
        return dt.datetime.now(dt.UTC)
    try:
        t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--now {value!r} is not an ISO 8601 time (e.g. 2026-11-29T12:00:00Z)") from None
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def _formats(values: list[str] | None, default: str) -> list[str]:
    from gate.render import FORMATS

    out: list[str] = []
    for v in values or [default]:
        for f in v.split(","):
            f = f.strip()
            if f not in FORMATS:
                raise UsageError(f"--format {f!r}: choose from {', '.join(FORMATS)}")
            if f not in out:
                out.append(f)
    return out


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", action="append", metavar="FMT", help="text, json, markdown, sarif (repeatable or comma-separated)")
    p.add_argument("--output", action="append", metavar="FILE", help="write the n-th format to FILE (repeatable)")
    p.add_argument("--out-dir", metavar="DIR", help="write every format as report.<ext> into DIR")
    p.add_argument("--only", metavar="ID,...", help="evaluate only these item ids (the others are reported unverified)")
    p.add_argument("--strict", action="store_true", help="unverified items block too")
    p.add_argument("--now", metavar="ISO", help="the gate's clock (default: now)")
    p.add_argument("--config", metavar="FILE", help="configuration file (default: .github/prod-readiness.yml in the repository)")
    p.add_argument("--repo", metavar="DIR", help="repository root (default: found from PATH or the current directory)")
    p.add_argument("--base", metavar="REF", help="base commit: what is new in this change (migrations)")
    p.add_argument("--offline", action="store_true", help="no live provider is called")


def _database_url(p: argparse.ArgumentParser) -> None:
    p.add_argument("--database-url", metavar="URL",
                   help="PostgreSQL URL read (read-only) to verify data.grants live; "
                        "default: the variable named by data.database_url_env")


def providers(args: argparse.Namespace) -> dict[str, object]:
    """What live providers get from the command line (RunInfo.providers)."""
    return {"offline": bool(getattr(args, "offline", False)),
            "database_url": getattr(args, "database_url", None)}


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="prodgate", description="Production-readiness gate for platform monorepos.")
    p.add_argument("--version", action="version", version=f"prodgate {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    c = sub.add_parser("check", help="evaluate services offline and print a report")
    c.add_argument("paths", nargs="*", metavar="PATH", help="repository, services folder or service folders")
    _common(c)
    _database_url(c)
    pr = sub.add_parser("pr", help="GitHub Actions: judge the pull request and post a check run")
    _common(pr)
    pm = sub.add_parser("promote", help="judge one service strictly before promoting it")
    pm.add_argument("--service", required=True, help="service name")
    pm.add_argument("--stage", default="prod", help="target stage (default: prod)")
    pm.add_argument("--after-deploy", action="store_true", help="also judge promotion.prod-monitor")
    _common(pm)
    _database_url(pm)
    ca = sub.add_parser("catalog", help="write catalog.json, badges and index.html")
    ca.add_argument("paths", nargs="*", metavar="PATH")
    ca.add_argument("--out", metavar="DIR", default="catalog", help="output folder (default: catalog)")
    _common(ca)
    from gate.refresh import add_parser as add_refresh

    add_refresh(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    from_inputs = False
    if argv is None and len(sys.argv) <= 1 and "INPUT_MODE" in os.environ:
        # the Docker action's entrypoint: the subcommand and flags come from the inputs
        try:
            from gate.action import argv_from_inputs
            from gate.refresh import argv_from_inputs as refresh_argv

            argv = refresh_argv() if os.environ.get("INPUT_MODE") == "refresh" else argv_from_inputs()
        except UsageError as exc:
            print(f"prodgate: {exc}", file=sys.stderr)
            return 2
        from_inputs = True
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version (0) or a usage error (2)
        return int(exc.code or 0)
    if not args.command:
        parser.print_help(sys.stderr)
        return 2
    try:
        if args.command == "check" and not from_inputs:
            from gate.run import run_check

            return run_check(args)
        if args.command == "refresh":
            from gate.refresh import run_refresh

            return run_refresh(args)
        if args.command in ("pr", "promote", "check"):
            from gate.action import run_action

            return run_action(args)
        from gate.site import run_catalog

        return run_catalog(args)
    except UsageError as exc:
        print(f"prodgate: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def repo_root(paths: list[str], explicit: str | None) -> Path:
    """The repository: ``--repo``, else the nearest folder (from the first PATH or the current
    directory, upwards) holding sst.config.ts, .github/prod-readiness.yml or .git."""
    if explicit:
        root = Path(explicit)
        if not root.is_dir():
            raise UsageError(f"--repo {explicit}: not a directory")
        return root.resolve()
    start = Path(paths[0]) if paths else Path.cwd()
    if not start.exists():
        raise UsageError(f"{start}: no such file or directory")
    start = start.resolve()
    if start.is_file():
        start = start.parent
    for d in (start, *start.parents):
        if (d / "sst.config.ts").is_file() or (d / ".github" / "prod-readiness.yml").is_file() or (d / ".git").exists():
            return d
    return start
