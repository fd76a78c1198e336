"""``prodgate check``: evaluate the services under PATH from the repository's files (and the live
providers that are configured) and write the report. In GitHub Actions (the Action's ``mode:
check``) :func:`gate.modes.pr.run_check_action` runs instead."""

from __future__ import annotations

import argparse

from gate.context import RunInfo
from gate.engine import evaluate
from gate.model import blocks
from gate.options import load_config, make_workspace, parse_now, parse_only, providers, repo_root, select, write_outputs
from gate.services import discover
from gate.workspace import Workspace


def run_check(args: argparse.Namespace) -> int:
    now = parse_now(args.now)
    only = parse_only(args.only)
    root = repo_root(args.paths, args.repo)
    probe = Workspace(root)
    config = load_config(probe, args.config)
    ws = make_workspace(root, config)
    all_services = discover(ws, config.path("services"))
    services = select(all_services, root, args.paths, config.path("services"))
    run = RunInfo(ws, config, now, "check", base=args.base, all_services=all_services, strict=args.strict,
                  providers=providers(args))
    if not run.providers.offline and config.providers.any():
        from gate.providers import start  # its HTTP, TLS and thread modules: only when some provider is asked

        start(run, services)  # live queries of the judged services, concurrently
    report = evaluate(run, services, only)
    write_outputs(report, args, root=root)
    return 1 if blocks(report, strict=args.strict) else 0
