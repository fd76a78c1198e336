"""``prodgate catalog [PATH] --out DIR``: evaluate every service and write the catalog
(:mod:`gate.site`: ``catalog.json``, the badges, ``index.html``).

Exit code: 0 when the catalog is written (the catalog reports readiness, it does not block),
2 on a usage or configuration error, or when no service is found (nothing is written then).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import TextIO

from gate import UsageError
from gate.config import Config
from gate.context import RunInfo
from gate.engine import evaluate
from gate.github.evidence import GitHubEvidence
from gate.options import (
    formats,
    load_config,
    make_workspace,
    parse_now,
    parse_only,
    providers,
    repo_root,
    select,
    write_outputs,
)
from gate.providers import start as start_live
from gate.render.common import one_line
from gate.services import Service, discover
from gate.site import INDEX_HTML, write_catalog
from gate.workspace import Workspace


class Progress:
    """A one-line progress bar with the current service, redrawn in place on a terminal."""

    def __init__(self, total: int, stream: TextIO, bar: int = 24) -> None:
        self.total = total
        self.stream = stream
        self.bar = bar
        self.current = 0

    def __call__(self, svc: Service) -> None:
        self.current += 1
        done = self.current - 1
        filled = self.bar * done // self.total if self.total else self.bar
        bar = "#" * filled + "-" * (self.bar - filled)
        line = f"prodgate catalog [{bar}] {self.current}/{self.total} {one_line(svc.name, 200)}"
        cols = shutil.get_terminal_size((80, 24)).columns
        self.stream.write("\r" + line[: max(cols - 1, 10)] + "\x1b[K")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()


def github_evidence(services: list[Service], config: Config, notes: list[str]) -> GitHubEvidence | None:
    """In GitHub Actions with a token: what GitHub shows of the evaluated commit and of each
    service's deployments (dev, staging, prod), so that ``promotion.prod-monitor`` and the
    deployment items are judged as far as that evidence allows. Elsewhere: None (and a note)."""
    from gate.github import env as ghenv

    try:
        env = ghenv.load()
    except ghenv.EnvError as exc:
        raise UsageError(str(exc)) from None
    if not (env.in_actions and env.token and "/" in env.repository):
        notes.append("No GitHub evidence here (the catalog reads deployments and checks only in GitHub Actions, "
                     "with a token): the items that need it are unverified.")
        return None
    from gate.github.client import Client
    from gate.github.gather import gather

    owner, repo = env.owner_repo
    evidence = gather(Client(env.token, env.api_url), None, owner, repo, None, env.sha, services, config, "catalog")
    for what, why in evidence.errors.items():
        notes.append(f"GitHub evidence {what} is not available: {why}")
    return evidence


def run_catalog(args: argparse.Namespace) -> int:
    now = parse_now(args.now)
    only = parse_only(args.only)
    if args.format or args.output or args.out_dir:
        formats(args.format, "json")  # a wrong --format is a usage error before any work
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {args.out}: exists and is not a directory")
    root = repo_root(args.paths, args.repo)
    config = load_config(Workspace(root), args.config)
    ws = make_workspace(root, config)
    all_services = discover(ws, config.path("services"))
    services = select(all_services, root, args.paths, config.path("services"))
    notes: list[str] = []
    evidence = github_evidence(services, config, notes)
    run = RunInfo(ws, config, now, "catalog", base=args.base, all_services=all_services, github=evidence,
                  strict=args.strict, providers=providers(args))
    start_live(run, services)  # configured live providers, prefetched concurrently (none with --offline)
    interactive = sys.stderr.isatty()
    progress = Progress(len(services), sys.stderr) if interactive else None
    try:
        report = evaluate(run, services, only, tuple(notes), on_service=progress)
    finally:
        if progress is not None:
            progress.close()
    write_catalog(report, out, {s.name for s in all_services}, root)
    if args.format or args.output or args.out_dir:
        write_outputs(report, args, default="json", root=root)
    if interactive:
        ready = sum(1 for s in report.services if s.ready)
        print(
            f"prodgate catalog: {len(report.services)} services, {ready} ready → {out / INDEX_HTML}",
            file=sys.stderr,
        )
    return 0
